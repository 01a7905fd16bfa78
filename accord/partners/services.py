"""Writes about partners, frameworks and memberships. One transaction each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F

from accord.access.permissions import Actor, require
from accord.core.dates import DatePrecision
from accord.core.errors import Invalid
from accord.core.services import full_clean_or_invalid, model_update
from accord.partners.models import (
    Framework,
    Membership,
    Organisation,
    OrganisationName,
)
from accord.partners.permissions import can_edit_partner


@transaction.atomic
def organisation_create(
    *,
    acronym: str,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    source: str = "",
) -> Organisation:
    organisation = Organisation(acronym=acronym, name=name, kind=kind, parent=parent, source=source)
    full_clean_or_invalid(organisation)
    organisation.save()
    OrganisationName.objects.create(organisation=organisation, acronym=acronym, name=name)
    return organisation


def organisation_update(
    *, organisation: Organisation, data: dict[str, Any], version: int | None, by: Actor = None
) -> Organisation:
    """Edit an organisation's own fields; renaming goes through :func:`organisation_rename`."""
    require(can_edit_partner(by, organisation), "Only the secretariat edits partners.")
    if {"acronym", "name"} & set(data):
        raise Invalid("Change a name with a renaming, so the former name stays on record.")
    return model_update(instance=organisation, data=data, version=version)


@transaction.atomic
def organisation_rename(
    *,
    organisation: Organisation,
    acronym: str,
    name: str,
    on: dt.date,
    uncertain: bool = False,
    source: str = "",
) -> OrganisationName:
    """Record that from ``on`` the organisation bears a new acronym and name.

    The former name stays on record, so both names resolve to the organisation and each
    date shows the name it had then.
    """
    if not organisation.names.filter(valid_from__isnull=True).exists():
        OrganisationName.objects.create(
            organisation=organisation, acronym=organisation.acronym, name=organisation.name
        )
    clash = Organisation.objects.filter(acronym__iexact=acronym).exclude(pk=organisation.pk)
    if clash.exists():
        raise Invalid(f"The acronym {acronym!r} already belongs to another organisation.")
    entry = OrganisationName(
        organisation=organisation,
        acronym=acronym,
        name=name,
        valid_from=on,
        uncertain_fields=["valid_from"] if uncertain else [],
        source=source,
    )
    full_clean_or_invalid(entry)
    entry.save()
    latest = organisation.names.order_by(F("valid_from").desc(nulls_last=True)).first()
    if latest is not None and latest.pk == entry.pk:
        organisation.acronym, organisation.name = acronym, name
        organisation.version += 1
        organisation.save(update_fields=["acronym", "name", "version", "updated_at"])
    return entry


@transaction.atomic
def membership_create(
    *,
    framework: Framework,
    organisation: Organisation,
    joined_on: dt.date,
    instrument: str,
    joined_precision: str = DatePrecision.DAY,
    note: str = "",
    source: str = "",
) -> Membership:
    overlapping = Membership.objects.filter(
        framework=framework, organisation=organisation, left_on__isnull=True
    ).exclude(joined_on=joined_on)
    if overlapping.exists():
        raise Invalid(f"{organisation} is already a member of {framework}.")
    membership = Membership(
        framework=framework,
        organisation=organisation,
        joined_on=joined_on,
        joined_precision=joined_precision,
        instrument=instrument,
        note=note,
        source=source,
    )
    full_clean_or_invalid(membership)
    membership.save()
    return membership


def membership_end(*, membership: Membership, left_on: dt.date, version: int | None) -> Membership:
    if left_on <= membership.joined_on:
        raise Invalid("A partner can only leave after it joined.")
    return model_update(instance=membership, data={"left_on": left_on}, version=version)

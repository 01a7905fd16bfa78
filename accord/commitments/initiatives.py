"""Writes about initiatives: entered on a page or through the API, one at a time.

Partners enter and edit their own initiatives; only the secretariat publishes one
directly (see :mod:`accord.commitments.permissions`). Imports write through
:func:`accord.commitments.records.initiatives_apply` instead.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accord.access.permissions import Actor, require
from accord.commitments import permissions
from accord.commitments.models import Initiative
from accord.commitments.records import ApplySummary, InitiativeRecord, initiatives_apply
from accord.core.models import Classification
from accord.core.services import lock_current
from accord.partners.models import Organisation


@transaction.atomic
def initiative_create(
    *, user: Actor, record: InitiativeRecord, origin: str = "entered"
) -> Initiative:
    """Enter one initiative. Partners enter their own; only the secretariat publishes."""
    if not permissions.is_secretariat(user):
        partner = Organisation.objects.filter(acronym=record.partner or "").first()
        require(
            permissions.can_report_for(user, partner),
            _("You may enter initiatives only for a partner you report for."),
        )
        require(
            record.classification != Classification.PUBLIC
            or permissions.can_publish_initiative(user),
            _("An initiative becomes public when the secretariat verifies it."),
        )
    if record.classification:
        record.given.add("classification")
    (pk,) = initiatives_apply([record], origin=origin, summary=ApplySummary())
    return Initiative.objects.get(pk=pk)


@transaction.atomic
def initiative_update(
    *, user: Actor, initiative: Initiative, record: InitiativeRecord, version: int | None
) -> Initiative:
    """Edit an initiative from the version the editor saw; a stale version is refused."""
    require(
        permissions.can_edit_initiative(user, initiative), _("You may not edit this initiative.")
    )
    require(
        "classification" not in record.given
        or record.classification != Classification.PUBLIC
        or permissions.can_publish_initiative(user),
        _("An initiative becomes public when the secretariat verifies it."),
    )
    if "partner" in record.given and not permissions.is_secretariat(user):
        reporting = Organisation.objects.filter(acronym=record.partner or "").first()
        require(
            reporting is not None and permissions.can_report_for(user, reporting),
            _("You may report initiatives only for your own partner."),
        )
    current = lock_current(Initiative, pk=initiative.pk, version=version)
    record.pk = initiative.pk
    initiatives_apply([record], origin=current.origin, summary=ApplySummary())
    return Initiative.objects.get(pk=initiative.pk)

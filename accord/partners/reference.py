"""Loads the framework, its organisations, renamings, memberships and people.

Idempotent: every fact is matched on its natural key and updated in place, so running
the loader twice leaves one copy of each.
"""

from __future__ import annotations

from typing import Any

from accord.core.dates import parse_partial_date
from accord.core.models import Classification
from accord.partners.models import (
    Framework,
    Membership,
    Organisation,
    OrganisationName,
    Person,
    PersonRole,
)
from accord.reference import sources_of


def _uncertain(entry: dict[str, Any], *fields: tuple[str, str]) -> list[str]:
    """Field names whose ``<key>_uncertain`` flag is set in the entry."""
    return [field for key, field in fields if entry.get(f"{key}_uncertain")]


def load(data: dict[str, Any]) -> dict[str, int]:
    counts = {"organisations": 0, "memberships": 0, "people": 0}
    spec = data["framework"]
    established, established_precision = parse_partial_date(spec["established"])
    framework, _ = Framework.objects.update_or_create(
        code=spec["code"],
        defaults={
            "name": spec["name"],
            "established_on": established,
            "established_precision": established_precision,
            "purpose_topics": spec.get("purpose_topics", []),
            "builds_on": spec.get("builds_on", ""),
            "source": sources_of(spec),
            "description": (
                "A structured dialogue between European Commission services, the European "
                "External Action Service and the International Organization for Migration "
                "on " + ", ".join(spec.get("purpose_topics", [])) + "."
            ),
        },
    )

    by_acronym: dict[str, Organisation] = {}
    for entry in data["organisations"]:
        renamed = entry.get("renamed")
        current_acronym = renamed["acronym"] if renamed else entry["acronym"]
        current_name = renamed["name"] if renamed else entry["name"]
        existing = Organisation.objects.filter(acronym__in=[entry["acronym"], current_acronym])
        organisation = existing.first() or Organisation(acronym=current_acronym)
        organisation.acronym = current_acronym
        organisation.name = current_name
        organisation.kind = entry["kind"]
        organisation.parent = by_acronym.get(entry.get("parent", ""))
        organisation.source = sources_of(entry)
        if entry.get("iati_identifier"):
            organisation.iati_identifier = entry["iati_identifier"]
        if "opened" in entry:
            organisation.opened_on, organisation.opened_precision = parse_partial_date(
                entry["opened"]
            )
        organisation.save()
        OrganisationName.objects.update_or_create(
            organisation=organisation,
            valid_from=None,
            defaults={"acronym": entry["acronym"], "name": entry["name"]},
        )
        if renamed:
            on, _precision = parse_partial_date(renamed["on"])
            OrganisationName.objects.update_or_create(
                organisation=organisation,
                valid_from=on,
                defaults={
                    "acronym": renamed["acronym"],
                    "name": renamed["name"],
                    "uncertain_fields": _uncertain(renamed, ("on", "valid_from")),
                    "source": sources_of(renamed),
                },
            )
        by_acronym[entry["acronym"]] = organisation
        by_acronym[current_acronym] = organisation
        counts["organisations"] += 1

    for entry in data["memberships"]:
        joined, precision = parse_partial_date(entry["joined"])
        Membership.objects.update_or_create(
            framework=framework,
            organisation=by_acronym[entry["organisation"]],
            joined_on=joined,
            defaults={
                "joined_precision": precision,
                "instrument": entry["instrument"],
                "note": entry.get("note", ""),
                "source": sources_of(entry) or framework.source,
                "uncertain_fields": _uncertain(entry, ("joined", "joined_on")),
            },
        )
        counts["memberships"] += 1

    for entry in data.get("people", []):
        # The people in the reference record are named in public announcements.
        person, _ = Person.objects.update_or_create(
            full_name=entry["name"],
            defaults={
                "phone": entry.get("phone", ""),
                "classification": Classification.PUBLIC,
            },
        )
        as_of, as_of_precision = parse_partial_date(entry["as_of"])
        PersonRole.objects.update_or_create(
            person=person,
            organisation=by_acronym[entry["organisation"]],
            title=entry["role"],
            defaults={"as_of": as_of, "as_of_precision": as_of_precision},
        )
        counts["people"] += 1
    return counts

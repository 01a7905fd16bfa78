"""Loads the instruments and their commitment trees, and the EU-IOM Joint Initiative
(funded by the EU Emergency Trust Fund for Africa, named as its funder) from the record.

Idempotent: instruments and commitments by code, the initiative by its reference
identifier, each updated in place.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accord.commitments.models import (
    Commitment,
    Funding,
    Initiative,
    InitiativeCommitment,
    InitiativeKind,
    InitiativePlace,
    InitiativeStatus,
    Instrument,
    Milestone,
    PlaceKind,
    Programme,
)
from accord.commitments.places import country_m49
from accord.core.dates import parse_partial_date
from accord.core.models import Classification
from accord.partners.models import Organisation
from accord.reference import sources_of


def _instrument(entry: dict[str, Any]) -> Instrument:
    adopted, _precision = parse_partial_date(entry["adopted"])
    note = "\n".join(str(entry[key]) for key in ("follow_up", "related", "note") if entry.get(key))
    instrument, _ = Instrument.objects.update_or_create(
        code=entry["code"],
        defaults={
            "name": entry["name"],
            "adopted_on": adopted,
            "venue": entry.get("venue", ""),
            "note": note,
            "source": sources_of(entry),
        },
    )
    return instrument


def _commitment(
    instrument: Instrument,
    code: str,
    title: str,
    position: int,
    *,
    parent: Commitment | None = None,
    description: str = "",
) -> Commitment:
    commitment = Commitment.objects.filter(code=code).first() or Commitment(code=code)
    commitment.instrument = instrument
    commitment.parent = parent
    commitment.title = {"en": title}
    commitment.description = {"en": description} if description else {}
    commitment.position = position
    commitment.save()
    return commitment


def _title(entry: dict[str, Any]) -> str:
    """The title, rejoined where an unquoted comma in a YAML flow mapping split it into keys
    with no value (``{title: Return, readmission and reintegration}``)."""
    stray = [key for key, value in entry.items() if value is None]
    return ", ".join([str(entry["title"]), *stray])


def _commitments(instrument: Instrument, entry: dict[str, Any]) -> int:
    """The commitment tree of one instrument, in the shape its entry gives."""
    code = instrument.code
    made = 0
    for position, domain in enumerate(entry.get("domains", []), start=1):
        examples = domain.get("examples", [])
        description = ("Examples: " + "; ".join(examples) + ".") if examples else ""
        _commitment(instrument, domain["code"], _title(domain), position, description=description)
        made += 1
    for position, part in enumerate(entry.get("parts", []), start=1):
        _commitment(instrument, part["code"], _title(part), position)
        made += 1
    for position, pillar in enumerate(entry.get("pillars", []), start=1):
        _commitment(instrument, f"{code}-{position}", pillar, position)
        made += 1
    headings = [
        _commitment(instrument, f"{code}-{position}", heading, position)
        for position, heading in enumerate(entry.get("headings", []), start=1)
    ]
    made += len(headings)
    for point in entry.get("points_known", []):
        # The Leaders' Statement groups points 1-2 under information exchange, 3 under
        # secondary movements and 4-6 under support to refugees and shelter.
        number = int(point["n"])
        heading_index = 0 if number <= 2 else 1 if number == 3 else 2
        parent = headings[heading_index] if len(headings) > heading_index else None
        _commitment(instrument, f"{code}-P{number}", _title(point), number, parent=parent)
        made += 1
    for position, target in enumerate(entry.get("targets", []), start=1):
        parent = _commitment(instrument, f"{code}-{target['code']}", target["title"], position)
        made += 1
        for index, indicator in enumerate(target.get("indicators", []), start=1):
            custodian = indicator.get("custodian")
            _commitment(
                instrument,
                f"{code}-{indicator['code']}",
                indicator["title"],
                index,
                parent=parent,
                description=f"Custodian agency: {custodian}." if custodian else "",
            )
            made += 1
    return made


def _joint_initiative(entry: dict[str, Any], funds: dict[str, dict[str, Any]]) -> Initiative:
    start, start_precision = parse_partial_date(entry["launched"])
    iom = Organisation.objects.filter(acronym="IOM").first()
    initiative = Initiative.objects.filter(external_ids__reference=entry["code"]).first()
    if initiative is None:
        initiative = Initiative(external_ids={"reference": entry["code"]})
    initiative.title = {"en": entry["name"]}
    initiative.description = {
        "en": "Protection and reintegration of returning migrants, implemented by IOM and "
        "funded by the EU Emergency Trust Fund for Africa with Germany and Italy."
    }
    initiative.kind = InitiativeKind.PROJECT
    initiative.partner = iom
    initiative.start_on, initiative.start_precision = start, start_precision
    initiative.status = InitiativeStatus.ONGOING
    initiative.uncertain_fields = ["status"]
    initiative.classification = Classification.PUBLIC
    initiative.source = sources_of(entry)
    initiative.programme = Programme.objects.filter(code=entry["code"]).first()
    initiative.save()
    if iom is not None:
        initiative.implementers.set([iom])
    funder_code = str(entry.get("funded_by", "")).split(" ")[0]
    initiative.fundings.all().delete()
    through = Programme.objects.filter(code=funder_code).first()
    if through is not None:
        # Funded through the trust fund's programme (not a partner organisation).
        Funding.objects.create(initiative=initiative, programme=through, currency="EUR")
    for co_funder in ("Germany", "Italy"):
        Funding.objects.create(initiative=initiative, funder_name=co_funder, currency="EUR")
    codes = {
        country_m49(alpha3) for group in entry.get("countries", {}).values() for alpha3 in group
    }
    initiative.places.exclude(code__in=codes).delete()
    existing = set(initiative.places.values_list("code", flat=True))
    InitiativePlace.objects.bulk_create(
        InitiativePlace(initiative=initiative, code=code, kind=PlaceKind.COUNTRY)
        for code in sorted(codes - existing)
    )
    linked = Commitment.objects.filter(code__in=["JVAP-3", "JVAP-5", "SDG-10.7"])
    for commitment in linked:
        InitiativeCommitment.objects.get_or_create(initiative=initiative, commitment=commitment)
    initiative.milestones.all().delete()
    for figure in entry.get("figures", []):
        on, precision = parse_partial_date(figure["as_of"])
        parts = [f"{figure.get('qualifier', '')} {figure['returns_assisted']:,} returns assisted"]
        if figure.get("reintegration_assisted"):
            parts.append(f"{figure['reintegration_assisted']:,} reintegration assisted")
        Milestone.objects.create(
            initiative=initiative,
            on=on,
            precision=precision,
            title="; ".join(parts).strip().capitalize(),
            done=True,
        )
    return initiative


def _programmes(entries: list[dict[str, Any]]) -> None:
    """The record's funds and programmes, a programme funded through its fund."""
    for entry in sorted(entries, key=lambda e: "funded_by" in e):
        launched = parse_partial_date(str(entry["launched"]))[0] if entry.get("launched") else None
        parent_code = str(entry.get("funded_by", "")).split(" ")[0]
        resources = entry.get("resources_eur")
        Programme.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "launched_on": launched,
                "parent": Programme.objects.filter(code=parent_code).first(),
                "description": entry.get("note", ""),
                "resources_eur": Decimal(str(resources)) if resources else None,
                "source": sources_of(entry),
            },
        )


def load(data: dict[str, Any]) -> dict[str, int]:
    counts = {"instruments": 0, "commitments": 0, "funds": 0, "initiatives": 0}
    for entry in data.get("instruments", []):
        instrument = _instrument(entry)
        counts["instruments"] += 1
        counts["commitments"] += _commitments(instrument, entry)
    funds = {
        entry["code"]: entry
        for entry in data.get("funds_and_programmes", [])
        if "funded_by" not in entry
    }
    counts["funds"] = len(funds)
    _programmes(data.get("funds_and_programmes", []))
    for entry in data.get("funds_and_programmes", []):
        if "funded_by" in entry:
            _joint_initiative(entry, funds)
            counts["initiatives"] += 1
    return counts

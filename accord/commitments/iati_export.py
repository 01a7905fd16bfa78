"""Initiatives out as IATI 2.03 activity XML, valid against IATI's schema.

An initiative is written when its partner has an IATI organisation identifier (the
reporting organisation IATI needs); the others are left out and counted. Codes come
from IATI's codelists: ActivityStatus, ActivityDateType (2 actual start, 3 planned end),
OrganisationRole (2 accountable, 4 implementing, 1 funding), OrganisationType, Country
(alpha-2, ``XK`` too), Region (vocabulary 1 DAC, 2 UN M49), Currency. Milestones go out
as ``result`` elements (:mod:`.iati_results`).

Each activity also carries, in Accord's own namespace (which IATI's schema allows), the
initiative's id, its version and a digest of the IATI elements written: importing the
file again finds an activity unchanged when neither it nor the initiative has changed
since, so a round trip changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import IO, Any

from django.utils import timezone
from lxml import etree

from accord.commitments.iati_results import write_results
from accord.commitments.iati_values import ACCORD_NS
from accord.commitments.models import (
    Funding,
    Initiative,
    InitiativePlace,
    InitiativeStatus,
    Milestone,
    PlaceKind,
    Programme,
)
from accord.core import places

SubElement = etree.SubElement

A_ID = f"{{{ACCORD_NS}}}id"
A_VERSION = f"{{{ACCORD_NS}}}version"
A_DIGEST = f"{{{ACCORD_NS}}}digest"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

STATUS_CODES: dict[str, str] = {
    InitiativeStatus.PLANNED: "1",
    InitiativeStatus.ONGOING: "2",
    InitiativeStatus.COMPLETED: "3",
    InitiativeStatus.CANCELLED: "5",
    InitiativeStatus.SUSPENDED: "6",
}
ORGANISATION_TYPES = {
    "government": "10",
    "civil_society": "22",
    "international_organisation": "40",
    "eu_institution": "40",
    "eu_service": "10",
    "office": "40",
}


@dataclass
class ExportResult:
    written: int = 0
    left_out: int = 0


ACCORD_ATTRIBUTES = (A_ID, A_VERSION, A_DIGEST)


def digest(activity: Any) -> str:
    """The digest of an activity's IATI content: the activity in canonical XML (exclusive
    C14N) without Accord's own attributes and its tail."""
    attributes = activity.attrib
    saved = {name: attributes.pop(name) for name in ACCORD_ATTRIBUTES if name in attributes}
    tail, activity.tail = activity.tail, None
    try:
        return hashlib.sha256(etree.tostring(activity, method="c14n", exclusive=True)).hexdigest()
    finally:
        activity.tail = tail
        attributes.update(saved)


def children_digest(activity: Any) -> str:
    """The digest earlier exports wrote (each child in canonical XML): their files still
    import as unchanged."""
    hashed = hashlib.sha256()
    for child in activity:
        if isinstance(child.tag, str):
            hashed.update(etree.tostring(child, method="c14n", exclusive=True))
    return hashed.hexdigest()


def _sub(parent: Any, tag: str, attributes: dict[str, str] | None = None) -> Any:
    if not attributes:
        return SubElement(parent, tag)
    if all(attributes.values()):
        return SubElement(parent, tag, attributes)
    return SubElement(parent, tag, {k: v for k, v in attributes.items() if v})


def _narratives(parent: Any, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        if text:
            narrative = SubElement(parent, "narrative", {XML_LANG: lang} if lang else None)
            narrative.text = text


def _org(parent: Any, tag: str, organisation: Any, role: str = "") -> None:
    attributes = {
        "ref": organisation.iati_identifier,
        "type": ORGANISATION_TYPES.get(organisation.kind, "90"),
    }
    if role:
        attributes["role"] = role
    _narratives(_sub(parent, tag, attributes), {"en": organisation.name})


def _many(relation: Any) -> list[Any]:
    """A relation's rows: a list as :func:`plain_initiatives` gives it, or a manager's."""
    return relation if isinstance(relation, list) else list(relation.all())


def activity_element(initiative: Any) -> Any:
    """One initiative as an ``iati-activity`` element (its partner has an identifier)."""
    partner = initiative.partner
    if partner is None:
        raise ValueError("an initiative without a partner has no IATI reporting organisation")
    fundings = _many(initiative.fundings)
    currencies = [f.currency for f in fundings if f.amount is not None]
    activity = etree.Element(
        "iati-activity",
        {XML_LANG: "en", "default-currency": currencies[0] if currencies else "EUR"},
        nsmap={"accord": ACCORD_NS},
    )
    identifier = initiative.iati_identifier or f"{partner.iati_identifier}-ACCORD-{initiative.pk}"
    _sub(activity, "iati-identifier").text = identifier
    _org(activity, "reporting-org", partner)
    _narratives(_sub(activity, "title"), initiative.title)
    description = _sub(activity, "description", {"type": "1"})
    _narratives(description, initiative.description or initiative.title)
    _org(activity, "participating-org", partner, role="2")
    for implementer in _many(initiative.implementers):
        _org(activity, "participating-org", implementer, role="4")
    for name in dict.fromkeys(f.funder_display for f in fundings if f.funder_display):
        _narratives(_sub(activity, "participating-org", {"role": "1"}), {"en": name})
    _sub(activity, "activity-status", {"code": STATUS_CODES.get(initiative.status, "2")})
    start = initiative.start_on or initiative.created_at.date()
    _sub(activity, "activity-date", {"iso-date": start.isoformat(), "type": "2"})
    if initiative.end_on:
        _sub(activity, "activity-date", {"iso-date": initiative.end_on.isoformat(), "type": "3"})
    place_rows = _many(initiative.places)
    for place in place_rows:
        if place.kind == PlaceKind.COUNTRY:
            found = places.country(place.code)
            if found is not None:
                _sub(activity, "recipient-country", {"code": found.iso2, "percentage": _pct(place)})
    for place in place_rows:
        if place.kind in {PlaceKind.REGION, PlaceKind.DAC_REGION}:
            dac = place.kind == PlaceKind.DAC_REGION
            code = place.code.removeprefix(places.DAC_PREFIX) if dac else place.code
            _sub(
                activity,
                "recipient-region",
                {"code": code, "vocabulary": "1" if dac else "2", "percentage": _pct(place)},
            )
    for sector in initiative.sectors or []:
        if sector.get("code"):
            _sub(
                activity,
                "sector",
                {
                    "code": str(sector["code"]),
                    "vocabulary": str(sector.get("vocabulary") or "1"),
                    "percentage": str(sector.get("percentage") or ""),
                },
            )
    end = initiative.end_on or start
    for funding in fundings:
        if funding.amount is None:
            continue
        on = funding.value_date or start
        budget = _sub(activity, "budget", {"type": "1", "status": "2"})
        _sub(budget, "period-start", {"iso-date": start.isoformat()})
        _sub(budget, "period-end", {"iso-date": max(end, start).isoformat()})
        value = _sub(budget, "value", {"currency": funding.currency, "value-date": on.isoformat()})
        value.text = f"{Decimal(funding.amount):.2f}"
    write_results(activity, _many(initiative.milestones))
    content = digest(activity)
    activity.set(A_ID, str(initiative.pk))
    activity.set(A_VERSION, str(initiative.version))
    activity.set(A_DIGEST, content)
    return activity


def _pct(place: Any) -> str:
    return "" if place.percentage is None else f"{Decimal(place.percentage):g}"


def exportable(queryset: Any) -> tuple[Any, int]:
    """The initiatives that can be written (partner with an IATI identifier), and how
    many are left out."""
    total = queryset.count()
    chosen = queryset.filter(partner__isnull=False).exclude(partner__iati_identifier="")
    return chosen, total - chosen.count()


def write_activities(initiatives: Iterable[Any], output: IO[bytes]) -> int:
    """Stream ``iati-activities`` with one activity per initiative; returns the count."""
    count = 0
    now = timezone.now().replace(microsecond=0).isoformat()
    with etree.xmlfile(output, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", {"version": "2.03", "generated-datetime": now}):
            for initiative in initiatives:
                xf.write(activity_element(initiative))
                count += 1
    return count


def plain_initiatives(chosen: Any, *, chunk: int = 1_000) -> Iterator[SimpleNamespace]:
    """The initiatives of ``chosen`` with what the export writes, as plain rows: one
    query per relation per chunk and no model instances (the export's cost is lxml's)."""
    from accord.partners.models import Organisation

    organisations = {
        row["pk"]: SimpleNamespace(**row)
        for row in Organisation.objects.values("pk", "acronym", "name", "kind", "iati_identifier")
    }
    programmes = dict(Programme.objects.values_list("pk", "code"))
    fields = [
        "pk", "iati_identifier", "title", "description", "status", "start_on", "end_on",
        "version", "sectors", "partner_id",
    ]  # fmt: skip
    ordered = chosen.order_by("pk")
    last = 0
    while rows := list(ordered.filter(pk__gt=last).values(*fields)[:chunk]):
        first, last = rows[0]["pk"], rows[-1]["pk"]
        wanted = {row["pk"] for row in rows}
        undated = [row["pk"] for row in rows if row["start_on"] is None]
        created = dict(
            Initiative.objects.filter(pk__in=undated).values_list("pk", "created_at")
            if undated
            else ()
        )
        # A dense run of ids is read by its range (no long list of parameters).
        of_chunk: dict[str, Any] = (
            {"initiative_id__gte": first, "initiative_id__lte": last}
            if last - first < 2 * len(rows)
            else {"initiative_id__in": wanted}
        )
        implementers: dict[int, list[Any]] = defaultdict(list)
        for initiative_id, organisation_id in Initiative.implementers.through.objects.filter(
            **of_chunk
        ).values_list("initiative_id", "organisation_id"):
            if initiative_id in wanted:
                implementers[initiative_id].append(organisations[organisation_id])
        place_rows: dict[int, list[Any]] = defaultdict(list)
        for initiative_id, code, kind, percentage in (
            InitiativePlace.objects.filter(**of_chunk)
            .order_by("kind", "code")
            .values_list("initiative_id", "code", "kind", "percentage")
        ):
            if initiative_id in wanted:
                place_rows[initiative_id].append(
                    SimpleNamespace(code=code, kind=kind, percentage=percentage)
                )
        fundings: dict[int, list[Any]] = defaultdict(list)
        for row in (
            Funding.objects.filter(**of_chunk)
            .order_by("pk")
            .values_list(
                "initiative_id", "funder_id", "funder_name", "programme_id", "amount", "currency",
                "value_date",
            )
        ):  # fmt: skip
            initiative_id, funder_id, funder_name, programme_id, amount, currency, on = row
            if initiative_id not in wanted:
                continue
            funder = organisations[funder_id].acronym if funder_id else ""
            display = funder or funder_name or programmes.get(programme_id, "")
            fundings[initiative_id].append(
                SimpleNamespace(
                    amount=amount, currency=currency, value_date=on, funder_display=display
                )
            )
        milestones: dict[int, list[Any]] = defaultdict(list)
        for initiative_id, on, title, done, precision in (
            Milestone.objects.filter(**of_chunk)
            .order_by("initiative_id", "on", "pk")
            .values_list("initiative_id", "on", "title", "done", "precision")
        ):
            if initiative_id in wanted:
                milestones[initiative_id].append(
                    SimpleNamespace(on=on, title=title, done=done, precision=precision)
                )
        for values in rows:
            pk = values["pk"]
            yield SimpleNamespace(
                **values,
                created_at=created.get(pk),
                partner=organisations.get(values["partner_id"]),
                implementers=implementers.get(pk, []),
                places=place_rows.get(pk, []),
                fundings=fundings.get(pk, []),
                milestones=milestones.get(pk, []),
            )


def export_iati(queryset: Any, output: IO[bytes]) -> ExportResult:
    """Write the initiatives of ``queryset`` that IATI can carry; count the others."""
    chosen, left_out = exportable(queryset)
    return ExportResult(
        written=write_activities(plain_initiatives(chosen), output), left_out=left_out
    )


def dated(value: dt.date | None) -> str:
    return value.isoformat() if value else ""

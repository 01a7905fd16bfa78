"""One ``<iati-activity>`` read as an initiative record, through IATI's codelists.

Hard errors (the file is refused) raise :class:`Invalid`: an amount, percentage or date
that cannot be read. Everything a real publisher gets slightly wrong is read as well as
it can be and noted as a warning (:class:`Problem`) naming the activity, the line, the
field, the value and what was done: a code the shipped codelist lacks, a DAC region code
in ``recipient-country`` (read as that region), an unknown currency, percentages that do
not sum to 100, a date outside the activity, an IATI 1.0x activity.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from accord.commitments.iati_money import _fundings, _money
from accord.commitments.iati_results import _results
from accord.commitments.iati_values import (
    ACTIVITY_STATUS,
    ROLES,
    V1_DATE_TYPES,
    V1_ROLES,
    V1_SECTOR_VOCABULARIES,
    XML_LANG,
    ActivityReader,
    OrganisationMatcher,
    _percent,
    _text,
    date,
    narratives,
)
from accord.commitments.models import InitiativeKind, InitiativeStatus, PlaceKind
from accord.commitments.records import InitiativeRecord, PlaceLine
from accord.core import places

__all__ = ["ActivityReader", "OrganisationMatcher", "narratives", "read_activity"]


def read_activity(reader: ActivityReader) -> InitiativeRecord:
    """The activity as an initiative record; its warnings go to ``reader.warnings``."""
    activity = reader.activity
    default_lang = (activity.get(XML_LANG) or "en").lower()[:8]
    default_currency = _text(activity.get("default-currency")).upper()
    children: dict[str, list[Any]] = {}
    for child in activity:
        if isinstance(child.tag, str):
            children.setdefault(child.tag, []).append(child)

    def first(tag: str) -> Any:
        found = children.get(tag)
        return found[0] if found else None

    def every(tag: str) -> list[Any]:
        return children.get(tag, [])

    identifier = reader.identifier
    where = f"activity {identifier}"
    if reader.v1:
        reader.warn(
            activity,
            "iati-activities/@version",
            reader.version,
            "an IATI 1.0x activity",
            "read with the 1.0x codes (words and letters) mapped to 2.0x",
        )
    title: dict[str, str] = {}
    for element in every("title"):  # IATI 1.0x: one title per language
        for lang, text in narratives(element, default_lang).items():
            title.setdefault(lang, text)
    description: dict[str, str] = {}
    for element in every("description"):
        for lang, text in narratives(element, default_lang).items():
            description[lang] = f"{description[lang]}\n\n{text}" if lang in description else text
    reporting = first("reporting-org")
    reporting_org = (
        reader.org(reporting, default_lang, "reporting-org") if reporting is not None else {}
    )
    participating = []
    for element in every("participating-org"):
        org = reader.org(element, default_lang, "participating-org")
        role = _text(element.get("role"))
        role = V1_ROLES.get(role.lower(), role) if reader.v1 else role
        reader.check_code(element, "participating-org/@role", "OrganisationRole", role)
        org["role"] = ROLES.get(role, role)
        participating.append(org)

    status_element = first("activity-status")
    status_code = _text(status_element.get("code")) if status_element is not None else ""
    reader.check_code(status_element, "activity-status/@code", "ActivityStatus", status_code)

    dates: dict[str, dt.date] = {}
    for element in every("activity-date"):
        kind = _text(element.get("type"))
        kind = V1_DATE_TYPES.get(kind, kind) if reader.v1 else kind
        on = date(element.get("iso-date"), f"{where}, activity-date")
        if on is not None and reader.check_code(
            element, "activity-date/@type", "ActivityDateType", kind
        ):
            dates[kind] = on
    start = dates.get("2") or dates.get("1")
    end = dates.get("4") or dates.get("3")

    def within(element: Any, name: str, on: dt.date | None) -> None:
        if on and ((start and on < start) or (end and on > end)):
            reader.warn(
                element,
                name,
                on.isoformat(),
                f"a date outside the activity ({start or '...'} to {end or '...'})",
                "kept as given",
            )

    place_lines, other_regions = _places(
        reader, every("recipient-country"), every("recipient-region"), where
    )
    sectors, commitments = _sectors(reader, every("sector"))
    budgets, transactions = _money(
        reader, every("budget"), every("transaction"), default_currency, default_lang, where, within
    )
    fundings = _fundings(reader, budgets, transactions, participating, where)
    milestones, results = _results(reader, every("result"), default_lang, where, within)
    implementers = sorted(
        {
            acronym
            for org in participating
            if org["role"] == "implementing" and (acronym := reader.match(org["name"], org["ref"]))
        }
    )
    record = InitiativeRecord(
        title=title,
        description=description,
        kind=InitiativeKind.PROJECT,
        status=ACTIVITY_STATUS.get(status_code, InitiativeStatus.PLANNED),
        start_on=start,
        end_on=end if not (start and end and end < start) else None,
        partner=reader.match(reporting_org.get("name", ""), reporting_org.get("ref", ""))
        if reporting_org
        else None,
        implementers=implementers,
        places=place_lines,
        fundings=fundings,
        milestones=milestones,
        iati_identifier=identifier,
        sectors=sectors,
        texts_clean=True,
        iati={
            "version": reader.version,
            "reporting_org": reporting_org,
            "participating_orgs": participating,
            "activity_status": status_code,
            "activity_dates": {key: value.isoformat() for key, value in sorted(dates.items())},
            "other_regions": other_regions,
            "budgets": budgets,
            "transactions": transactions,
            "results": results,
        },
    )
    if start and end and end < start:
        reader.warn(
            first("activity-date"),
            "activity-date",
            end.isoformat(),
            "the activity ends before it starts",
            "end date left out",
        )
    if commitments:
        record.commitments = sorted(commitments)
        record.given.add("commitments")
    record.given |= {
        "description",
        "kind",
        "status",
        "start",
        "end",
        "partner",
        "implementers",
        "places",
        "fundings",
        "milestones",
        "iati_identifier",
        "sectors",
        "iati",
    }
    return record


def _sum_warning(
    reader: ActivityReader, element: Any, name: str, percentages: list[Decimal]
) -> None:
    total = sum(percentages, Decimal(0))
    if percentages and abs(total - 100) > Decimal("0.5"):
        reader.warn(
            element,
            name,
            f"{total:g}",
            "percentages that do not sum to 100",
            "kept as given",
        )


def _places(
    reader: ActivityReader, countries: list[Any], regions: list[Any], where: str
) -> tuple[list[PlaceLine], list[dict[str, str]]]:
    lines: dict[str, PlaceLine] = {}
    other: list[dict[str, str]] = []
    percentages: list[Decimal] = []
    for element in countries:
        code = _text(element.get("code")).upper()
        percentage = _percent(element.get("percentage"), f"{where}, recipient-country")
        if percentage is not None:
            percentages.append(percentage)
        country = places.country(code) if code and not code.isdigit() else None
        if country is not None:
            lines.setdefault(country.code, PlaceLine(country.code, PlaceKind.COUNTRY, percentage))
            continue
        region = places.dac_region(code) if code.isdigit() else None
        if region is not None:
            reader.warn(
                element,
                "recipient-country/@code",
                code,
                "a DAC region code in a country field",
                f"read {code} as the DAC region {region.name}",
            )
            lines.setdefault(region.code, PlaceLine(region.code, PlaceKind.DAC_REGION, percentage))
            continue
        reader.warn(
            element,
            "recipient-country/@code",
            code,
            "not a code of IATI's Country codelist",
            "left out of the places; kept as text",
        )
        other.append({"code": code, "vocabulary": "country", "percentage": str(percentage or "")})
    for element in regions:
        code = _text(element.get("code"))
        vocabulary = _text(element.get("vocabulary")) or "1"
        percentage = _percent(element.get("percentage"), f"{where}, recipient-region")
        if percentage is not None:
            percentages.append(percentage)
        found = (
            places.dac_region(code)
            if vocabulary == "1"
            else places.m49_region(code)
            if vocabulary == "2"
            else None
        )
        if found is not None:
            kind = PlaceKind.DAC_REGION if vocabulary == "1" else PlaceKind.REGION
            lines.setdefault(found.code, PlaceLine(found.code, kind, percentage))
            continue
        if vocabulary in {"1", "2"}:
            listname = "Region" if vocabulary == "1" else "UN M49 regions"
            reader.warn(
                element,
                "recipient-region/@code",
                code,
                f"not a code of the {listname} (vocabulary {vocabulary})",
                "left out of the places; kept as text",
            )
        other.append({"code": code, "vocabulary": vocabulary, "percentage": str(percentage or "")})
    _sum_warning(
        reader,
        (countries or regions or [None])[0],
        "recipient-country/@percentage",
        percentages,
    )
    return list(lines.values()), other


SECTOR_LISTS = {
    "1": "Sector",
    "2": "SectorCategory",
    "7": "UNSDG-Goals",
    "8": "UNSDG-Targets",
}


def _sectors(reader: ActivityReader, elements: list[Any]) -> tuple[list[dict[str, str]], set[str]]:
    sectors: list[dict[str, str]] = []
    commitments: set[str] = set()
    by_vocabulary: dict[str, list[Decimal]] = {}
    for element in elements:
        code = _text(element.get("code"))
        vocabulary = _text(element.get("vocabulary")) or "1"
        if reader.v1:
            vocabulary = V1_SECTOR_VOCABULARIES.get(vocabulary, vocabulary)
        text = _text(element.get("percentage"))
        if text:
            percentage = _percent(text, f"activity {reader.identifier}, sector")
            by_vocabulary.setdefault(vocabulary, []).append(percentage or Decimal(0))
        sectors.append({"code": code, "vocabulary": vocabulary, "percentage": text})
        listname = SECTOR_LISTS.get(vocabulary)
        if listname and not reader.check_code(element, "sector/@code", listname, code):
            continue
        if vocabulary == "7":
            prefix = f"SDG-{code}."
            commitments.update(
                c for c in reader.sdg_commitments if c.startswith(prefix) and c.count(".") == 1
            )
            commitments.update({f"SDG-{code}"} & set(reader.sdg_commitments))
        elif vocabulary in {"8", "9"}:
            commitments.update({f"SDG-{code}"} & set(reader.sdg_commitments))
    for vocabulary, percentages in by_vocabulary.items():
        _sum_warning(
            reader, elements[0], f"sector/@percentage (vocabulary {vocabulary})", percentages
        )
    return sectors, commitments

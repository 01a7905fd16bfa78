"""IATI activity XML in: each ``<iati-activity>`` read as an initiative record.

Files are streamed through the safe parser of :mod:`accord.core.importing.xml` (no DTD,
no entity, nothing fetched; memory flat whatever the size) and imported all or nothing
in one transaction, a batch of activities at a time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from accord.commitments.models import (
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    PlaceKind,
)
from accord.commitments.places import country_m49, region_m49
from accord.commitments.records import (
    ApplySummary,
    FundingLine,
    InitiativeRecord,
    Lookups,
    PlaceLine,
    initiatives_apply,
)
from accord.core.errors import Invalid
from accord.core.importing import Bounds, ImportReport, Problem, xml

BATCH = 1_000
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


ACTIVITY_STATUS = {
    "1": InitiativeStatus.PLANNED,
    "2": InitiativeStatus.ONGOING,
    "3": InitiativeStatus.COMPLETED,  # finalisation: the work is done, accounts close
    "4": InitiativeStatus.COMPLETED,
    "5": InitiativeStatus.CANCELLED,
    "6": InitiativeStatus.SUSPENDED,
}
PARTICIPATING_ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}


def _narratives(element: Any, default_lang: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    if element is None:
        return texts
    for narrative in element:
        if narrative.tag != "narrative":
            continue
        text = (narrative.text or "").strip()
        if text:
            lang = (narrative.get(XML_LANG) or element.get(XML_LANG) or default_lang).lower()
            texts.setdefault(lang[:8], text)
    if not texts and (element.text or "").strip():  # IATI 1.0x: text without narratives
        texts[default_lang] = element.text.strip()
    return texts


def _org(element: Any, default_lang: str) -> dict[str, str]:
    names = _narratives(element, default_lang)
    return {
        "ref": element.get("ref") or "",
        "type": element.get("type") or "",
        "name": next(iter(names.values()), ""),
    }


def _amount(text: str | None, where: str) -> Decimal:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        raise Invalid(f"{where}: {text!r} is not an amount.") from None


def _date(text: str | None, where: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise Invalid(f"{where}: {text!r} is not a date.") from None


class OrganisationMatcher:
    """Finds a known partner from an IATI organisation's name: ``... (IOM)`` or exact name."""

    def __init__(self, lookups: Lookups):
        self.by_name = {o.name.lower(): o.acronym for o in lookups.organisations.values()}
        self.acronyms = set(lookups.organisations)

    def __call__(self, name: str) -> str | None:
        name = name.strip()
        if name.endswith(")") and "(" in name:
            inside = name[name.rindex("(") + 1 : -1].strip()
            if inside in self.acronyms:
                return inside
            name = name[: name.rindex("(")].strip()
        return self.by_name.get(name.lower()) or (name if name in self.acronyms else None)


def iati_record(activity: Any, match: OrganisationMatcher) -> InitiativeRecord:
    """One ``<iati-activity>`` as an initiative record. Raises :class:`Invalid`."""
    default_lang = (activity.get(XML_LANG) or "en").lower()
    default_currency = activity.get("default-currency") or ""
    # The activity's children by tag, in one pass (as find()/iterfind() would give them).
    children: dict[str, list[Any]] = {}
    for child in activity:
        children.setdefault(child.tag, []).append(child)

    def first(tag: str) -> Any:
        found = children.get(tag)
        return found[0] if found else None

    def every(tag: str) -> list[Any]:
        return children.get(tag, [])

    identifier_element = first("iati-identifier")
    identifier = ((identifier_element.text if identifier_element is not None else "") or "").strip()
    where = f"activity {identifier}"
    title = _narratives(first("title"), default_lang)
    description: dict[str, str] = {}
    for element in every("description"):
        for lang, text in _narratives(element, default_lang).items():
            description[lang] = f"{description[lang]}\n\n{text}" if lang in description else text
    reporting = first("reporting-org")
    reporting_org = _org(reporting, default_lang) if reporting is not None else {}
    participating = []
    for element in every("participating-org"):
        org = _org(element, default_lang)
        org["role"] = PARTICIPATING_ROLES.get(element.get("role") or "", element.get("role") or "")
        participating.append(org)
    status_element = first("activity-status")
    status_code = status_element.get("code") if status_element is not None else None
    dates: dict[str, dt.date] = {}
    for element in every("activity-date"):
        on = _date(element.get("iso-date"), f"{where}, activity-date")
        if on is not None:
            dates[element.get("type") or ""] = on
    places: list[PlaceLine] = []
    regions_other: list[dict[str, str]] = []
    for element in every("recipient-country"):
        code = element.get("code") or ""
        try:
            places.append(
                PlaceLine(
                    country_m49(code),
                    PlaceKind.COUNTRY,
                    _percentage(element.get("percentage"), where),
                )
            )
        except ValueError:
            raise Invalid(f"{where}, recipient-country: {code!r} is not a country code.") from None
    for element in every("recipient-region"):
        code, vocabulary = element.get("code") or "", element.get("vocabulary") or "1"
        if vocabulary == "2":  # UN M49
            try:
                places.append(
                    PlaceLine(
                        region_m49(code),
                        PlaceKind.REGION,
                        _percentage(element.get("percentage"), where),
                    )
                )
            except ValueError:
                raise Invalid(f"{where}, recipient-region: {code!r} is not M49.") from None
        else:  # OECD DAC regions have no M49 twin; kept as read
            regions_other.append(
                {
                    "code": code,
                    "vocabulary": vocabulary,
                    "percentage": element.get("percentage") or "",
                }
            )
    sectors = [
        {
            "code": element.get("code") or "",
            "vocabulary": element.get("vocabulary") or "1",
            "percentage": element.get("percentage") or "",
        }
        for element in every("sector")
    ]
    budgets = []
    for element in every("budget"):
        value = element.find("value")
        if value is None:
            continue
        budgets.append(
            {
                "start": (element.find("period-start").get("iso-date") or "")
                if element.find("period-start") is not None
                else "",
                "end": (element.find("period-end").get("iso-date") or "")
                if element.find("period-end") is not None
                else "",
                "amount": str(_amount(value.text, f"{where}, budget")),
                "currency": value.get("currency") or default_currency,
                "value_date": value.get("value-date") or "",
            }
        )
    transactions = []
    for element in every("transaction"):
        value = element.find("value")
        kind = element.find("transaction-type")
        when = element.find("transaction-date")
        provider = element.find("provider-org")
        receiver = element.find("receiver-org")
        transactions.append(
            {
                "type": kind.get("code") if kind is not None else "",
                "date": when.get("iso-date") if when is not None else "",
                "amount": str(
                    _amount(value.text if value is not None else None, f"{where}, transaction")
                ),
                "currency": (value.get("currency") if value is not None else None)
                or default_currency,
                "provider": _org(provider, default_lang)["name"] if provider is not None else "",
                "receiver": _org(receiver, default_lang)["name"] if receiver is not None else "",
            }
        )
    results = [
        next(iter(_narratives(element.find("title"), default_lang).values()), "")
        for element in every("result")
    ]
    fundings = _fundings(budgets, transactions, participating, where)
    implementers = [
        acronym
        for org in participating
        if org["role"] == "implementing" and (acronym := match(org["name"]))
    ]
    start = dates.get("2") or dates.get("1")
    end = dates.get("4") or dates.get("3")
    record = InitiativeRecord(
        title=title,
        description=description,
        kind=InitiativeKind.PROJECT,
        status=ACTIVITY_STATUS.get(status_code or "", InitiativeStatus.PLANNED),
        start_on=start,
        end_on=end,
        partner=match(reporting_org.get("name", "")) if reporting_org else None,
        implementers=sorted(set(implementers)),
        places=places,
        fundings=fundings,
        iati_identifier=identifier,
        sectors=sectors,
        iati={
            "reporting_org": reporting_org,
            "participating_orgs": participating,
            "activity_status": status_code or "",
            "activity_dates": {key: value.isoformat() for key, value in sorted(dates.items())},
            "other_regions": regions_other,
            "budgets": budgets,
            "transactions": transactions,
            "results": results,
        },
    )
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
        "iati_identifier",
        "sectors",
        "iati",
    }
    return record


def _percentage(text: str | None, where: str) -> Decimal | None:
    if not text:
        return None
    value = _amount(text, f"{where}, percentage")
    if not 0 <= value <= 100:
        raise Invalid(f"{where}: percentage {text!r} is not between 0 and 100.")
    return value.quantize(Decimal("0.01"))


def _fundings(
    budgets: list[dict[str, str]],
    transactions: list[dict[str, str]],
    participating: list[dict[str, str]],
    where: str,
) -> list[FundingLine]:
    """Budgets summed per currency (else incoming funds and commitments), with the funders
    the activity names."""
    funders = ", ".join(o["name"] for o in participating if o["role"] == "funding" and o["name"])
    lines: dict[str, FundingLine] = {}
    sources = budgets or [t for t in transactions if t["type"] in {"1", "11"}]
    for item in sources:
        currency = item["currency"]
        if not currency:
            raise Invalid(f"{where}: an amount has no currency and the activity no default.")
        value_date = _date(item.get("value_date") or item.get("date"), f"{where}, value-date")
        line = lines.get(currency)
        if line is None:
            lines[currency] = FundingLine(
                Decimal(item["amount"]), currency, funders[:255], value_date
            )
        else:
            line.amount = (line.amount or Decimal(0)) + Decimal(item["amount"])
            if value_date and (line.value_date is None or value_date < line.value_date):
                line.value_date = value_date
    return list(lines.values())


def import_iati(
    path: str | Path,
    *,
    dry_run: bool = False,
    partners: set[str] | None = None,
    strict: bool = False,
) -> ImportReport:
    """Create or update initiatives from an IATI activity file, all or nothing.

    ``partners``: when given, the acronyms whose activities the importer may write (a
    focal point imports its own partner's); others are refused.
    """
    report = ImportReport(kind="iati", strict=strict, dry_run=dry_run)
    seen: set[str] = set()
    bounds = Bounds.from_settings()
    bounds.check_size(path)
    with open(path, "rb") as handle, transaction.atomic():
        lookups = Lookups()
        match = OrganisationMatcher(lookups)
        batch: list[InitiativeRecord] = []
        for activity in xml.iterate(handle, tag="{*}iati-activity", guard=bounds.guard()):
            _read_activity(activity, match, seen, batch, report, partners)
            if len(batch) >= BATCH:
                _flush(batch, lookups, report)
        _flush(batch, lookups, report)
        if report.errors:
            transaction.set_rollback(True)
            report.refuse_if_errors()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _read_activity(
    activity: Any,
    match: OrganisationMatcher,
    seen: set[str],
    batch: list[InitiativeRecord],
    report: ImportReport,
    partners: set[str] | None = None,
) -> None:
    identifier = (activity.findtext("iati-identifier") or "").strip()
    line = activity.sourceline or 0
    if not identifier:
        report.error(Problem(line, "iati-identifier", "an activity without an iati-identifier"))
        return
    if identifier in seen:
        report.error(
            Problem(
                line,
                "iati-identifier",
                "the same identifier appears again in the file",
                value=identifier,
                record=identifier,
            )
        )
        return
    seen.add(identifier)
    try:
        record = iati_record(activity, match)
    except Invalid as error:
        report.error(Problem(line, "", error.message, record=identifier))
        return
    if not record.title:
        report.skip(Problem(line, "title", "no title", record=identifier, action="skipped"))
        return
    if partners is not None and record.partner not in partners:
        report.error(
            Problem(
                line,
                "reporting-org",
                "its reporting-org is not a partner you report for",
                record=identifier,
            )
        )
        return
    batch.append(record)


def _flush(batch: list[InitiativeRecord], lookups: Lookups, report: ImportReport) -> None:
    if batch and not report.errors:
        summary = ApplySummary()
        try:
            initiatives_apply(
                batch, origin=InitiativeOrigin.IMPORTED, summary=summary, lookups=lookups
            )
        except Invalid as error:
            report.error(Problem(0, "", error.message))
        report.add_counts(
            created=summary.created, updated=summary.updated, unchanged=summary.unchanged
        )
    batch.clear()


def bare_parse(path: str | Path) -> int:
    """The floor of the import benchmark: stream the file, touch each activity, keep nothing."""
    count = 0
    with open(path, "rb") as handle:
        for _activity in xml.iterate(handle, tag="{*}iati-activity"):
            count += 1
    return count

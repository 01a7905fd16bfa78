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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from accord.commitments.models import InitiativeKind, InitiativeStatus, PlaceKind
from accord.commitments.records import FundingLine, InitiativeRecord, MilestoneLine, PlaceLine
from accord.core import places
from accord.core.codelists import codelist
from accord.core.errors import Invalid
from accord.core.importing import Problem

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ACTIVITY_STATUS = {
    "1": InitiativeStatus.PLANNED,
    "2": InitiativeStatus.ONGOING,
    "3": InitiativeStatus.COMPLETED,  # finalisation: the work is done, accounts close
    "4": InitiativeStatus.COMPLETED,
    "5": InitiativeStatus.CANCELLED,
    "6": InitiativeStatus.SUSPENDED,
}
ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}
# IATI 1.0x wrote some codes as words or letters; their 2.0x codes.
V1_ROLES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
V1_DATE_TYPES = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
V1_TRANSACTION_TYPES = {
    "IF": "1",
    "C": "2",
    "D": "3",
    "E": "4",
    "IR": "5",
    "LR": "6",
    "R": "7",
    "QP": "8",
    "QS": "9",
    "CG": "10",
}
V1_SECTOR_VOCABULARIES = {"DAC": "1", "DAC-3": "2"}
# Budgets are an activity's funding; without them, incoming funds and commitments, and
# without those, disbursements.
FUNDING_TRANSACTIONS = ({"1", "11"}, {"3"})


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def narratives(element: Any, default_lang: str) -> dict[str, str]:
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


def amount(text: str | None, where: str) -> Decimal:
    try:
        value = Decimal(_text(text).replace(",", ""))
    except InvalidOperation:
        raise Invalid(f"{where}: {text!r} is not a number.") from None
    if not value.is_finite():
        raise Invalid(f"{where}: {text!r} is not a number.")
    return value


def date(text: str | None, where: str) -> dt.date | None:
    if not _text(text):
        return None
    try:
        return dt.date.fromisoformat(_text(text)[:10])
    except ValueError:
        raise Invalid(f"{where}: {text!r} is not a date.") from None


class OrganisationMatcher:
    """Finds a known organisation from an IATI organisation: by its IATI identifier,
    ``... (IOM)``, its acronym or its exact name."""

    def __init__(self, organisations: dict[str, Any]):
        self.acronyms = set(organisations)
        self.by_name = {o.name.lower(): o.acronym for o in organisations.values()}
        self.by_ref = {
            o.iati_identifier: o.acronym
            for o in organisations.values()
            if getattr(o, "iati_identifier", "")
        }

    def add(self, acronym: str, name: str, ref: str) -> None:
        self.acronyms.add(acronym)
        self.by_name[name.lower()] = acronym
        if ref:
            self.by_ref[ref] = acronym

    def __call__(self, name: str, ref: str = "") -> str | None:
        if ref and ref in self.by_ref:
            return self.by_ref[ref]
        name = name.strip()
        if name.endswith(")") and "(" in name:
            inside = name[name.rindex("(") + 1 : -1].strip()
            if inside in self.acronyms:
                return inside
            name = name[: name.rindex("(")].strip()
        return self.by_name.get(name.lower()) or (name if name in self.acronyms else None)


@dataclass
class ActivityReader:
    """Reads one activity; ``warnings`` gathers its soft problems."""

    activity: Any
    match: OrganisationMatcher
    version: str = "2.03"
    sdg_commitments: dict[str, str] = field(default_factory=dict)  # SDG code -> commitment
    warnings: list[Problem] = field(default_factory=list)
    identifier: str = ""
    publisher: str = ""

    def warn(self, element: Any, name: str, value: str, message: str, action: str) -> None:
        self.warnings.append(
            Problem(
                (element.sourceline if element is not None else None)
                or self.activity.sourceline
                or 0,
                name,
                message,
                value=value,
                record=self.identifier,
                action=action,
                code=name,
                publisher=self.publisher,
            )
        )

    def check_code(self, element: Any, name: str, listname: str, code: str) -> bool:
        if code and code not in codelist(listname):
            self.warn(
                element,
                name,
                code,
                f"not a code of IATI's {listname} codelist",
                "kept as text",
            )
            return False
        return bool(code)

    @property
    def v1(self) -> bool:
        return self.version.startswith("1")

    def org(self, element: Any, default_lang: str, tag: str) -> dict[str, str]:
        names = narratives(element, default_lang)
        kind = element.get("type") or ""
        self.check_code(element, f"{tag}/@type", "OrganisationType", kind)
        return {
            "ref": _text(element.get("ref")),
            "type": kind,
            "name": next(iter(names.values()), ""),
        }


def _percent(text: str | None, where: str) -> Decimal | None:
    if not _text(text):
        return None
    value = amount(text, f"{where}, percentage")
    if not 0 <= value <= 100:
        raise Invalid(f"{where}: percentage {text!r} is not between 0 and 100.")
    return value.quantize(Decimal("0.01"))


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
    title = narratives(first("title"), default_lang)
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


def _currency(reader: ActivityReader, element: Any, text: str, default: str) -> str:
    currency = _text(text).upper() or default
    if not currency:
        reader.warn(
            element, "value/@currency", "", "an amount without a currency", "amount left out"
        )
        return ""
    if currency not in codelist("Currency"):
        reader.warn(
            element,
            "value/@currency",
            currency,
            "not a code of IATI's Currency codelist",
            "amount left out of the funding; kept as text",
        )
        return ""
    return currency


def _money(
    reader: ActivityReader,
    budget_elements: list[Any],
    transaction_elements: list[Any],
    default_currency: str,
    default_lang: str,
    where: str,
    within: Any,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    if default_currency and default_currency not in codelist("Currency"):
        reader.warn(
            reader.activity,
            "@default-currency",
            default_currency,
            "not a code of IATI's Currency codelist",
            "amounts without their own currency left out",
        )
        default_currency = ""
    budgets = []
    for element in budget_elements:
        value = element.find("value")
        if value is None:
            continue
        start = element.find("period-start")
        end = element.find("period-end")
        start_on = date(start.get("iso-date") if start is not None else None, f"{where}, budget")
        end_on = date(end.get("iso-date") if end is not None else None, f"{where}, budget")
        within(start, "budget/period-start", start_on)
        budgets.append(
            {
                "start": start_on.isoformat() if start_on else "",
                "end": end_on.isoformat() if end_on else "",
                "amount": str(amount(value.text, f"{where}, budget")),
                "currency": _currency(reader, value, value.get("currency") or "", default_currency),
                "value_date": _text(value.get("value-date"))[:10],
            }
        )
    transactions = []
    for element in transaction_elements:
        value = element.find("value")
        kind_element = element.find("transaction-type")
        kind = _text(kind_element.get("code")) if kind_element is not None else ""
        if reader.v1:
            kind = V1_TRANSACTION_TYPES.get(kind.upper(), kind)
        reader.check_code(kind_element, "transaction-type/@code", "TransactionType", kind)
        when = element.find("transaction-date")
        on = date(when.get("iso-date") if when is not None else None, f"{where}, transaction")
        within(when, "transaction-date/@iso-date", on)
        provider = element.find("provider-org")
        receiver = element.find("receiver-org")
        transactions.append(
            {
                "type": kind,
                "date": on.isoformat() if on else "",
                "amount": str(
                    amount(value.text if value is not None else None, f"{where}, transaction")
                ),
                "currency": _currency(
                    reader,
                    value,
                    value.get("currency") or "" if value is not None else "",
                    default_currency,
                ),
                "provider": next(iter(narratives(provider, default_lang).values()), "")
                if provider is not None
                else "",
                "receiver": next(iter(narratives(receiver, default_lang).values()), "")
                if receiver is not None
                else "",
            }
        )
    return budgets, transactions


def _fundings(
    reader: ActivityReader,
    budgets: list[dict[str, str]],
    transactions: list[dict[str, str]],
    participating: list[dict[str, str]],
    where: str,
) -> list[FundingLine]:
    """Budgets summed per currency (else incoming funds and commitments, else
    disbursements), with the funders the activity names (a known one by its acronym)."""
    funders = [o for o in participating if o["role"] == "funding" and o["name"]]
    known = [reader.match(o["name"], o["ref"]) for o in funders]
    if len(funders) == 1 and known[0]:
        funder = known[0]
    else:
        funder = ", ".join(o["name"] for o in funders)[:255]
    sources = budgets
    for kinds in FUNDING_TRANSACTIONS:
        if sources:
            break
        sources = [t for t in transactions if t["type"] in kinds]
    lines: dict[str, FundingLine] = {}
    for item in sources:
        currency = item["currency"]
        if not currency:
            continue
        value_date = date(
            item.get("value_date") or item.get("date") or None, f"{where}, value-date"
        )
        line = lines.get(currency)
        if line is None:
            lines[currency] = FundingLine(Decimal(item["amount"]), currency, funder, value_date)
        else:
            line.amount = (line.amount or Decimal(0)) + Decimal(item["amount"])
            if value_date and (line.value_date is None or value_date < line.value_date):
                line.value_date = value_date
    return list(lines.values())


def _results(
    reader: ActivityReader, elements: list[Any], default_lang: str, where: str, within: Any
) -> tuple[list[MilestoneLine], list[str]]:
    """Each result indicator's periods as milestones: target and actual, with the baseline."""
    milestones: list[MilestoneLine] = []
    titles: list[str] = []
    for result in elements:
        result_title = next(iter(narratives(result.find("title"), default_lang).values()), "")
        titles.append(result_title)
        for indicator in result.iterfind("indicator"):
            name = next(iter(narratives(indicator.find("title"), default_lang).values()), "")
            name = name or result_title
            baseline = indicator.find("baseline")
            base = ""
            if baseline is not None and _text(baseline.get("value")):
                base = f"baseline {_text(baseline.get('value'))}"
                if _text(baseline.get("year")):
                    base += f" in {_text(baseline.get('year'))}"
            for period in indicator.iterfind("period"):
                end = period.find("period-end")
                start = period.find("period-start")
                on = date(
                    (end if end is not None else start).get("iso-date")
                    if (end is not None or start is not None)
                    else None,
                    f"{where}, result period",
                )
                if on is None:
                    continue
                within(end if end is not None else start, "result/indicator/period", on)
                target = period.find("target")
                actual = period.find("actual")
                parts = [name]
                if target is not None and _text(target.get("value")):
                    parts.append(f"target {_text(target.get('value'))}")
                if actual is not None and _text(actual.get("value")):
                    parts.append(f"actual {_text(actual.get('value'))}")
                if base:
                    parts.append(base)
                milestones.append(
                    MilestoneLine(
                        on,
                        "; ".join(p for p in parts if p)[:255],
                        done=actual is not None and bool(_text(actual.get("value"))),
                    )
                )
    return milestones, titles

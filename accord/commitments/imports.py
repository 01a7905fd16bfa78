"""Imports and exports of initiatives: IATI activity XML in, CSV/XLSX out and back in.

Every import is all or nothing: it runs in one transaction, checks each batch before
writing it, and on the first bad record keeps reading only to report every problem, then
rolls everything back. IATI files are streamed (memory stays flat whatever their size)
and refused when they declare a DTD or entities.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from lxml import etree

from accord.access.audit import audit_record
from accord.access.permissions import Actor
from accord.commitments.models import (
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    PlaceKind,
)
from accord.commitments.permissions import importing_partners
from accord.commitments.places import country_m49, region_m49
from accord.commitments.records import (
    ApplySummary,
    FundingLine,
    InitiativeRecord,
    Lookups,
    MilestoneLine,
    PlaceLine,
    initiatives_apply,
)
from accord.core import spreadsheets
from accord.core.dates import DatePrecision, iso_partial_date, parse_partial_date
from accord.core.errors import AccordError, ErrorCode, Invalid

BATCH = 1_000
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class ImportRejected(AccordError):
    """The file as a whole is refused; nothing was written."""

    code = ErrorCode.IMPORT_REJECTED


@dataclass
class ImportReport:
    summary: ApplySummary = field(default_factory=ApplySummary)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary.as_dict(), "errors": self.errors}

    def lines(self) -> list[str]:
        s = self.summary
        lines = [
            f"created {s.created}, updated {s.updated}, unchanged {s.unchanged}, "
            f"skipped {len(s.skipped)}"
        ]
        lines += [f"  skipped: {reason}" for reason in s.skipped]
        return lines


# --- IATI -------------------------------------------------------------------------------

ACTIVITY_STATUS = {
    "1": InitiativeStatus.PLANNED,
    "2": InitiativeStatus.ONGOING,
    "3": InitiativeStatus.COMPLETED,  # finalisation: the work is done, accounts close
    "4": InitiativeStatus.COMPLETED,
    "5": InitiativeStatus.CANCELLED,
    "6": InitiativeStatus.SUSPENDED,
}
PARTICIPATING_ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}


DTD_REFUSED = (
    "The file declares a DTD (<!DOCTYPE ...>), which may define entities or refer to "
    "external files; IATI files need neither. Nothing was imported."
)


def refuse_dtd(handle: IO[bytes]) -> None:
    """Refuse a file whose prolog declares a DTD (and so possibly entities).

    A DOCTYPE can only stand before the root element, so reading the prolog (the XML
    declaration, comments and processing instructions) is enough. The parser is also
    run with entity resolution and network access off, as a second guard.
    """
    head = handle.read(64 * 1024)
    handle.seek(0)
    # Dropping NUL bytes reads the ASCII markup of UTF-16 files too.
    text = head.replace(b"\x00", b"").decode("utf-8", errors="replace")
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            return
        if text.startswith("<?", start):
            position = text.find("?>", start) + 2
        elif text.startswith("<!--", start):
            position = text.find("-->", start) + 3
        elif text.startswith("<!", start):
            raise ImportRejected(DTD_REFUSED)
        else:
            return
        if position <= 1:
            return


def _iterparse(handle: IO[bytes]) -> Any:
    return etree.iterparse(
        handle,
        events=("end",),
        tag="{*}iati-activity",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


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
    actor: Actor = None,
) -> ImportReport:
    """Create or update initiatives from an IATI activity file, all or nothing.

    ``partners``: when given, the acronyms whose activities the importer may write (a
    focal point imports its own partner's); others are refused.
    """
    report = ImportReport()
    seen: set[str] = set()
    if partners is None:
        partners = importing_partners(actor)
    with open(path, "rb") as handle, transaction.atomic():
        refuse_dtd(handle)
        lookups = Lookups()
        match = OrganisationMatcher(lookups)
        batch: list[InitiativeRecord] = []
        try:
            for _event, activity in _iterparse(handle):
                if not seen and activity.getroottree().docinfo.doctype:
                    raise ImportRejected(DTD_REFUSED)  # the parser saw one after all
                _read_activity(activity, match, seen, batch, report, partners)
                activity.clear(keep_tail=True)
                parent = activity.getparent()
                if parent is not None:
                    while activity.getprevious() is not None:
                        del parent[0]
                if len(batch) >= BATCH:
                    _flush(batch, lookups, report, actor)
            _flush(batch, lookups, report, actor)
        except etree.XMLSyntaxError as error:
            raise ImportRejected(
                f"The file is not well-formed XML: {error}. Nothing was imported."
            ) from error
        if report.errors:
            transaction.set_rollback(True)
            raise ImportRejected(
                f"{len(report.errors)} activit{'y is' if len(report.errors) == 1 else 'ies are'} "
                "invalid; nothing was imported.",
                details=report.errors,
            )
        audit_record(actor=None, verb="import.done", data={"kind": "iati", **report.as_dict()})
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
    line = f"line {activity.sourceline}"
    if not identifier:
        report.summary.skipped.append(f"{line}: an activity without an iati-identifier")
        return
    if identifier in seen:
        report.summary.skipped.append(f"{line}: {identifier} appears again in the file")
        return
    seen.add(identifier)
    try:
        record = iati_record(activity, match)
    except Invalid as error:
        report.errors.append(f"{line}: {error.message}")
        return
    if not record.title:
        report.summary.skipped.append(f"{line}: {identifier} has no title")
        return
    if partners is not None and record.partner not in partners:
        report.errors.append(
            f"{line}: {identifier}: its reporting-org is not a partner you report for"
        )
        return
    batch.append(record)


def _flush(
    batch: list[InitiativeRecord], lookups: Lookups, report: ImportReport, actor: Actor
) -> None:
    if batch and not report.errors:
        try:
            initiatives_apply(
                batch,
                origin=InitiativeOrigin.IMPORTED,
                summary=report.summary,
                lookups=lookups,
                actor=actor,
            )
        except Invalid as error:
            report.errors.append(error.message)
    batch.clear()


def bare_parse(path: str | Path) -> int:
    """The floor of the import benchmark: stream the file, touch each activity, keep nothing."""
    count = 0
    with open(path, "rb") as handle:
        for _event, activity in _iterparse(handle):
            count += 1
            activity.clear(keep_tail=True)
            parent = activity.getparent()
            if parent is not None:
                while activity.getprevious() is not None:
                    del parent[0]
    return count


# --- spreadsheets -----------------------------------------------------------------------

# Titles and descriptions get a column per language; these cover the framework's
# languages and those IATI publishers in its regions use.
LANGUAGES = ["en", "fr", "es", "pt", "ar", "it", "de"]
COLUMNS = [
    "id",
    "iati_identifier",
    *(f"title_{lang}" for lang in LANGUAGES),
    *(f"description_{lang}" for lang in LANGUAGES),
    "kind",
    "status",
    "progress",
    "start",
    "end",
    "partner",
    "implementers",
    "commitments",
    "countries",
    "regions",
    "funding",
    "milestones",
    "classification",
    "external_ids",
]
LIST_SEPARATOR = "; "  # between codes
LINE_SEPARATOR = "\n"  # between fundings or milestones, whose text may hold "; "


def neutralise(value: str) -> str:
    """The one rule for spreadsheet cells (``core.spreadsheets``), typed for text."""
    return str(spreadsheets.neutralise(value))


unneutralise = spreadsheets.restore


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def initiative_row(initiative: Initiative) -> list[str]:
    """One initiative as a spreadsheet row (``COLUMNS``); lists are ``; ``-separated."""
    fundings = [
        " ".join(
            part
            for part in (
                _money(f.amount) or "?",
                f.currency,
                f.value_date.isoformat() if f.value_date else "",
                f"by {f.funder_display}" if f.funder_display else "",
            )
            if part
        )
        for f in initiative.fundings.all()
    ]
    milestones = [
        f"{iso_partial_date(m.on, m.precision)} {'[x]' if m.done else '[ ]'} {m.title}"
        for m in initiative.milestones.all()
    ]
    places = list(initiative.places.all())
    values = [
        str(initiative.pk),
        initiative.iati_identifier or "",
        *(initiative.title.get(lang, "") for lang in LANGUAGES),
        *((initiative.description or {}).get(lang, "") for lang in LANGUAGES),
        initiative.kind,
        initiative.status,
        "" if initiative.progress_override is None else str(initiative.progress_override),
        iso_partial_date(initiative.start_on, initiative.start_precision) or "",
        iso_partial_date(initiative.end_on, initiative.end_precision) or "",
        initiative.partner.acronym if initiative.partner else "",
        LIST_SEPARATOR.join(sorted(o.acronym for o in initiative.implementers.all())),
        LIST_SEPARATOR.join(sorted(c.code for c in initiative.commitments.all())),
        LIST_SEPARATOR.join(_place(p) for p in places if p.kind == PlaceKind.COUNTRY),
        LIST_SEPARATOR.join(_place(p) for p in places if p.kind == PlaceKind.REGION),
        LINE_SEPARATOR.join(fundings),
        LINE_SEPARATOR.join(milestones),
        initiative.classification,
        LIST_SEPARATOR.join(f"{k}={v}" for k, v in sorted((initiative.external_ids or {}).items())),
    ]
    return [neutralise(value) for value in values]


def _place(place: Any) -> str:
    return place.code if place.percentage is None else f"{place.code} {place.percentage:.2f}%"


def export_rows(queryset: Any) -> Iterator[list[str]]:
    yield COLUMNS
    for initiative in (
        queryset.select_related("partner")
        .prefetch_related("implementers", "commitments", "places", "fundings__funder", "milestones")
        .order_by("pk")
        .iterator(chunk_size=1000)
    ):
        yield initiative_row(initiative)


def export_initiatives(queryset: Any, output: IO[bytes], *, file_format: str) -> int:
    """Write the initiatives as CSV or XLSX; returns the number of rows written."""
    count = -1
    if file_format == "csv":
        text = io.TextIOWrapper(output, encoding="utf-8", newline="")
        writer = csv.writer(text)
        for row in export_rows(queryset):
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("initiatives")
    for row in export_rows(queryset):
        sheet.append(row)
        count += 1
    workbook.save(output)
    return count


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


def read_table(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV or XLSX file as ``(row number, {column: text})``; row 1 is the header."""
    path = Path(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise Invalid("The workbook has no worksheet.")
        rows = sheet.iter_rows(values_only=True)
        header = [str(cell or "").strip() for cell in next(rows, ())]
        for number, cells in enumerate(rows, start=2):
            yield (
                number,
                {
                    name: "" if cell is None else str(cell)
                    for name, cell in zip(header, cells, strict=False)
                },
            )
        workbook.close()
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for number, row in enumerate(reader, start=2):
            yield number, {key: value or "" for key, value in row.items() if key}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.splitlines() if part.strip()]


def row_record(row: dict[str, str], number: int, errors: list[RowError]) -> InitiativeRecord | None:
    """A spreadsheet row as an initiative record; problems go to ``errors`` by column."""
    values = {key: unneutralise(value.strip("\n ")) for key, value in row.items()}

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    title = {lang: values.get(f"title_{lang}", "") for lang in LANGUAGES}
    title = {lang: text for lang, text in title.items() if text}
    if not title:
        bad("title_en", "an initiative needs a title")
    description = {lang: values.get(f"description_{lang}", "") for lang in LANGUAGES}
    kind = values.get("kind") or InitiativeKind.PROJECT
    if kind not in InitiativeKind.values:
        bad("kind", f"{kind!r} is not one of {', '.join(InitiativeKind.values)}")
    status = values.get("status") or InitiativeStatus.PLANNED
    if status not in InitiativeStatus.values:
        bad("status", f"{status!r} is not one of {', '.join(InitiativeStatus.values)}")
    progress = None
    if values.get("progress"):
        try:
            progress = int(values["progress"])
            if not 0 <= progress <= 100:
                raise ValueError
        except ValueError:
            bad("progress", f"{values['progress']!r} is not a whole number from 0 to 100")
    dates: dict[str, tuple[dt.date | None, str]] = {}
    for column in ("start", "end"):
        dates[column] = (None, DatePrecision.DAY)
        if values.get(column):
            try:
                dates[column] = parse_partial_date(values[column])
            except ValueError as error:
                bad(column, str(error))
    places = []
    for column, kind_of_place, reader in (
        ("countries", PlaceKind.COUNTRY, country_m49),
        ("regions", PlaceKind.REGION, region_m49),
    ):
        for item in _split(values.get(column, "")):
            code, _space, percent = item.partition(" ")
            try:
                percentage = Decimal(percent.rstrip("%")) if percent else None
                places.append(PlaceLine(reader(code), kind_of_place, percentage))
            except (ValueError, InvalidOperation):
                bad(column, f"{item!r} is not an M49 or ISO code (with an optional percentage)")
    fundings = []
    for item in _lines(values.get("funding", "")):
        amount_text, _by, funder = item.partition(" by ")
        parts = amount_text.split()
        try:
            amount = None if parts[0] == "?" else Decimal(parts[0])
            currency = parts[1]
            if len(currency) != 3 or not currency.isupper():
                raise ValueError
            value_date = dt.date.fromisoformat(parts[2]) if len(parts) > 2 else None
            fundings.append(FundingLine(amount, currency, funder.strip(), value_date))
        except (IndexError, ValueError, InvalidOperation):
            bad("funding", f"{item!r} is not 'AMOUNT CURRENCY [DATE] [by FUNDER]'")
    milestones = []
    for item in _lines(values.get("milestones", "")):
        when, _space, rest = item.partition(" ")
        done = rest.startswith("[x]")
        text = rest[3:].strip() if rest[:3] in {"[x]", "[ ]"} else rest.strip()
        try:
            on, precision = parse_partial_date(when)
            milestones.append(MilestoneLine(on, text, precision, done))
        except ValueError:
            bad("milestones", f"{item!r} does not start with a date")
    external_ids = {}
    for item in _split(values.get("external_ids", "")):
        key, equals, value = item.partition("=")
        if not equals:
            bad("external_ids", f"{item!r} is not 'scheme=identifier'")
        external_ids[key.strip()] = value.strip()
    pk = None
    if values.get("id"):
        try:
            pk = int(values["id"])
        except ValueError:
            bad("id", f"{values['id']!r} is not an Accord id")
    classification = values.get("classification") or None
    from accord.core.models import Classification

    if classification and classification not in Classification.values:
        bad(
            "classification", f"{classification!r} is not one of {', '.join(Classification.values)}"
        )
    record = InitiativeRecord(
        title=title,
        description={k: v for k, v in description.items() if v},
        kind=kind,
        status=status,
        progress_override=progress,
        start_on=dates["start"][0],
        start_precision=dates["start"][1],
        end_on=dates["end"][0],
        end_precision=dates["end"][1],
        partner=values.get("partner") or None,
        implementers=_split(values.get("implementers", "")),
        commitments=_split(values.get("commitments", "")),
        places=places,
        fundings=fundings,
        milestones=milestones,
        iati_identifier=values.get("iati_identifier") or None,
        external_ids=external_ids,
        classification=classification,
        pk=pk,
    )
    record.given |= {
        "description",
        "kind",
        "status",
        "progress_override",
        "start",
        "end",
        "partner",
        "implementers",
        "commitments",
        "places",
        "fundings",
        "milestones",
        "iati_identifier",
        "external_ids",
    }
    if classification:
        record.given.add("classification")
    return record


SPREADSHEET_REFERENCE_COLUMNS = {
    "partner": "partner",
    "implementers": "implementers",
    "commitments": "commitments",
    "id": "id",
}


def import_initiatives(
    path: str | Path,
    *,
    dry_run: bool = False,
    partners: set[str] | None = None,
    actor: Actor = None,
) -> ImportReport:
    """Create or update initiatives from a CSV/XLSX file in the export's format.

    Every row is read and checked before anything is written; one bad cell and nothing
    is written, and the report names each bad row and column. ``partners``: when given
    (a focal point's import), rows must be theirs, and they cannot publish.
    """
    report = ImportReport()
    errors: list[RowError] = []
    if partners is None:
        partners = importing_partners(actor)
    records: list[tuple[int, InitiativeRecord]] = []
    lookups = Lookups()
    seen: dict[str, int] = {}
    for number, row in read_table(path):
        if not any(value.strip() for value in row.values()):
            continue
        missing = [column for column in ("title_en",) if column not in row]
        if missing:
            raise ImportRejected(
                f"The file has no {missing[0]!r} column; export one to see the format."
            )
        record = row_record(row, number, errors)
        if record is None:
            continue
        for column in ("partner",):
            value = getattr(record, column)
            if value and value not in lookups.organisations:
                errors.append(RowError(number, column, f"no partner has the acronym {value!r}"))
        for acronym in record.implementers or []:
            if acronym not in lookups.organisations:
                errors.append(
                    RowError(number, "implementers", f"no partner has the acronym {acronym!r}")
                )
        for code in record.commitments or []:
            if code not in lookups.commitments:
                errors.append(
                    RowError(number, "commitments", f"no commitment has the code {code!r}")
                )
        if partners is not None:
            if record.partner not in partners:
                errors.append(RowError(number, "partner", "not a partner you report for"))
            if record.classification == "public":
                errors.append(RowError(number, "classification", "only the secretariat publishes"))
        key = f"id={record.pk}" if record.pk else f"iati={record.iati_identifier}"
        if (record.pk or record.iati_identifier) and key in seen:
            errors.append(RowError(number, "id", f"the same initiative as row {seen[key]}"))
        seen[key] = number
        records.append((number, record))
    if errors:
        raise ImportRejected(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found; nothing was imported.",
            details=[str(error) for error in errors],
        )
    with transaction.atomic():
        for start in range(0, len(records), BATCH):
            chunk = records[start : start + BATCH]
            try:
                initiatives_apply(
                    [record for _n, record in chunk],
                    origin=InitiativeOrigin.ENTERED,
                    summary=report.summary,
                    lookups=lookups,
                    actor=actor,
                )
            except Invalid as error:
                rows = (
                    f"rows {chunk[0][0]}-{chunk[-1][0]}" if len(chunk) > 1 else f"row {chunk[0][0]}"
                )
                raise ImportRejected(
                    f"{rows}: {error.message}; nothing was imported.", details=[error.message]
                ) from error
        audit_record(
            actor=None, verb="import.done", data={"kind": "initiatives", **report.as_dict()}
        )
        if dry_run:
            transaction.set_rollback(True)
    return report

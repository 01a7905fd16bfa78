"""Initiatives as spreadsheets (CSV or XLSX): the export's columns, and the import of
the same columns back, matched to existing initiatives without duplicating them.

Every row is read and checked before anything is written; one bad cell and nothing is
written, and the refusal names each bad row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction

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
from accord.core.dates import DatePrecision, iso_partial_date, parse_partial_date
from accord.core.errors import Invalid
from accord.core.importing import ImportRejected, ImportReport, Problem, read_records
from accord.core.importing.runs import import_run_finish, import_run_start
from accord.core.spreadsheets import restore, write_table

BATCH = 1_000

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
        LIST_SEPARATOR.join(_place(p) for p in places if p.kind != PlaceKind.COUNTRY),
        LINE_SEPARATOR.join(fundings),
        LINE_SEPARATOR.join(milestones),
        initiative.classification,
        LIST_SEPARATOR.join(f"{k}={v}" for k, v in sorted((initiative.external_ids or {}).items())),
    ]
    return values


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


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.splitlines() if part.strip()]


def row_record(
    row: dict[str, str], number: int, errors: list[Problem], *, name: str = ""
) -> InitiativeRecord | None:
    """A spreadsheet row as an initiative record; problems go to ``errors`` by column."""
    values = {key: restore(value.strip("\n ")) for key, value in row.items()}

    def bad(column: str, message: str) -> None:
        errors.append(Problem(number, column, message, value=row.get(column, ""), record=name))

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
                place = reader(code)
                place_kind = PlaceKind.DAC_REGION if place.startswith("DAC-") else kind_of_place
                places.append(PlaceLine(place, place_kind, percentage))
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


def export_initiatives(queryset: Any, output: IO[bytes], *, file_format: str) -> int:
    """Write the initiatives as CSV or XLSX; returns the number of rows written."""
    return write_table(export_rows(queryset), output, file_format=file_format)


def _check_references(
    record: InitiativeRecord,
    number: int,
    lookups: Lookups,
    partners: set[str] | None,
    errors: list[Problem],
) -> None:
    for column, acronyms in (
        ("partner", [record.partner] if record.partner else []),
        ("implementers", record.implementers or []),
    ):
        for acronym in acronyms:
            if acronym not in lookups.organisations:
                errors.append(
                    Problem(
                        number, column, f"no partner has the acronym {acronym!r}", value=acronym
                    )
                )
    for code in record.commitments or []:
        if code not in lookups.commitments:
            errors.append(
                Problem(number, "commitments", f"no commitment has the code {code!r}", value=code)
            )
    if partners is not None:
        if record.partner not in partners:
            errors.append(
                Problem(
                    number, "partner", "not a partner you report for", value=record.partner or ""
                )
            )
        if record.classification == "public":
            errors.append(Problem(number, "classification", "only the secretariat publishes"))


def _title_key(title: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((lang, text.strip().casefold()) for lang, text in title.items() if text))


def match_without_ids(records: list[tuple[int, InitiativeRecord]]) -> None:
    """Give rows without an ``id`` or an IATI identifier the id of the initiative with
    the same partner, title and start date, so a re-import updates instead of adding.

    An IATI identifier already matches by itself (in ``initiatives_apply``).
    """
    wanted = [
        record
        for _n, record in records
        if not record.pk and not record.iati_identifier and record.partner and record.start_on
    ]
    if not wanted:
        return
    candidates: dict[tuple[Any, ...], list[int]] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        rows = Initiative.objects.filter(
            partner__acronym__in={r.partner for r in chunk},
            start_on__in={r.start_on for r in chunk},
        ).values_list("pk", "partner__acronym", "start_on", "title")
        for pk, partner, start_on, title in rows:
            for lang_text in _title_key(title or {}):
                candidates.setdefault((partner, start_on, lang_text), []).append(pk)
    for record in wanted:
        found: set[int] = set()
        for lang_text in _title_key(record.title):
            found.update(candidates.get((record.partner, record.start_on, lang_text), []))
        if len(found) == 1:
            record.pk = found.pop()


def import_initiatives(
    path: str | Path,
    *,
    dry_run: bool = False,
    partners: set[str] | None = None,
    strict: bool = False,
    actor: Actor = None,
    file_name: str = "",
) -> ImportReport:
    """Create or update initiatives from a CSV/XLSX file in the export's format; the run
    is recorded with its counts (:class:`~accord.core.models.ImportRun`).

    A row matches an existing initiative by ``id``, else by ``iati_identifier``, else by
    partner + title + start date. ``partners``: when given (a focal point's import),
    rows must be theirs, and they cannot publish.
    """
    report = ImportReport(kind="initiatives", strict=strict, dry_run=dry_run)
    if partners is None:
        partners = importing_partners(actor)
    errors: list[Problem] = []
    records: list[tuple[int, InitiativeRecord]] = []
    lookups = Lookups()
    seen: dict[str, int] = {}
    for index, (number, row) in enumerate(read_records(path), start=2):
        if "title_en" not in row:
            raise ImportRejected(
                "The file has no 'title_en' column; export one to see the format.",
                problems=[Problem(1, "title_en", "no such column")],
            )
        record = row_record(row, number, errors, name=f"row {index}")
        if record is None:
            continue
        _check_references(record, number, lookups, partners, errors)
        key = f"id={record.pk}" if record.pk else f"iati={record.iati_identifier}"
        if (record.pk or record.iati_identifier) and key in seen:
            errors.append(
                Problem(
                    number,
                    "id" if record.pk else "iati_identifier",
                    f"the same initiative as row {seen[key]}",
                    value=str(record.pk or record.iati_identifier),
                )
            )
        seen[key] = number
        records.append((number, record))
    if errors:
        raise ImportRejected(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found; nothing was imported.",
            problems=errors,
        )
    match_without_ids(records)
    with transaction.atomic():
        run = import_run_start(
            kind="initiatives", file_name=file_name or Path(path).name, user=actor
        )
        for start in range(0, len(records), BATCH):
            chunk = records[start : start + BATCH]
            summary = ApplySummary()
            try:
                initiatives_apply(
                    [record for _n, record in chunk],
                    origin=InitiativeOrigin.ENTERED,
                    summary=summary,
                    lookups=lookups,
                    actor=actor,
                )
            except Invalid as error:
                rows = (
                    f"rows {chunk[0][0]}-{chunk[-1][0]}" if len(chunk) > 1 else f"row {chunk[0][0]}"
                )
                raise ImportRejected(
                    f"{rows}: {error.message}; nothing was imported.",
                    problems=[Problem(chunk[0][0], "", error.message)],
                ) from error
            report.add_counts(
                created=summary.created, updated=summary.updated, unchanged=summary.unchanged
            )
        import_run_finish(run=run, report=report)
        audit_record(
            actor=actor, verb="import.done", data={"kind": "initiatives", **report.counts()}
        )
        if dry_run:
            transaction.set_rollback(True)
    return report

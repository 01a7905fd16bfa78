"""The import of a file of figures, all or nothing: Open SDG's tidy format, HXL-tagged
tables, SDMX-CSV (CSV or XLSX) and SDMX-ML data messages.

Every row is checked (indicator known, place known, period readable and in range, value
numeric, key not repeated) and each hard problem is reported with its file line and
column; if any row is bad the whole import is rolled back. Soft problems are warnings,
kept with the import's run (its dataset version's) and the indicator they concern. Importing a
dataset again replaces its own rows (the previous version is archived); the same
figures again, in any file, change nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from accord.access.audit import audit_record
from accord.core.importing import BoundExceeded, Bounds
from accord.core.importing.runs import import_run_record
from accord.core.models import RecordWarning
from accord.evidence.datasets import archive_current_rows, same_rows_as_archived
from accord.evidence.importing import sdmx
from accord.evidence.importing.checks import Options, code_of
from accord.evidence.importing.layout import Layout, hxl_layout, looks_like_hashtags, tidy_layout
from accord.evidence.importing.reading import file_checksum, is_xlsx, is_xml, open_rows
from accord.evidence.importing.report import ImportReport, Problem, rejected
from accord.evidence.importing.rights import check_import_rights, importable_indicators
from accord.evidence.importing.setwise import Stage
from accord.evidence.models import Dataset, DatasetKind, DatasetVersion, Indicator
from accord.evidence.places import PlaceResolver

if TYPE_CHECKING:
    from accord.access.permissions import Actor

Rows = Iterator[tuple[int, list[str]]]
NO_DATA = "The file holds no figures yet: the dataset is empty."


def observations_import(
    *,
    path: Path,
    options: Options,
    user: Actor = None,
    file_name: str = "",
) -> ImportReport:
    """Import a file of figures as (a new version of) a dataset."""
    file_name = file_name or path.name
    name = options.dataset.strip() or file_name
    Bounds.from_settings().check_size(path)
    checksum = file_checksum(path)
    dataset = Dataset.objects.filter(name=name).first()
    check_import_rights(user, dataset, options)
    if dataset is not None and dataset.checksum == checksum and dataset.version:
        report = ImportReport(
            dataset=name,
            kind=dataset.kind,
            rows=dataset.rows,
            version=dataset.version,
            unchanged=True,
            dry_run=options.dry_run,
        )
        if not options.dry_run:
            _record_run(report, file_name=file_name, user=user, source=dataset.source)
        return report
    lines = None
    if is_xml(path):
        header, cells, lines = sdmx.read_message(path)
        rows: Rows = itertools.chain([(0, header)], sdmx.numbered(cells))
    else:
        rows = open_rows(path)
    return _import_rows(
        path=path,
        rows=rows,
        lines=lines,
        name=name,
        dataset=dataset,
        checksum=checksum,
        options=options,
        user=user,
        file_name=file_name,
    )


def _record_run(report: ImportReport, *, file_name: str, user: Actor, source: str) -> None:
    """The import's run with its counts; its warnings counted under the figures' source."""
    sdmx_kinds = {DatasetKind.SDMX_ML, DatasetKind.SDMX_CSV}
    run = import_run_record(
        kind="sdmx" if report.kind in sdmx_kinds else "observations",
        file_name=file_name,
        user=user,
        created=0 if report.unchanged else report.rows,
        unchanged=report.rows if report.unchanged else 0,
        skipped=report.skipped,
        warnings=report.warnings,
        publisher=source or report.dataset,
    )
    report.run_id = run.pk


def _keep_warnings(
    found: list[tuple[Problem, int | None, int]],
    *,
    run_id: int | None,
    dataset: Dataset,
    publisher: str,
) -> None:
    """Each warning of this version kept with the indicator it concerns (the indicator's
    data-quality list, which the secretariat clears), or with the dataset when it
    concerns no one indicator."""
    indicator_type = ContentType.objects.get_for_model(Indicator)
    dataset_type = ContentType.objects.get_for_model(Dataset)
    RecordWarning.objects.bulk_create(
        (
            RecordWarning(
                run_id=run_id,
                content_type=indicator_type if indicator is not None else dataset_type,
                object_id=str(indicator if indicator is not None else dataset.pk),
                line=problem.line,
                field=problem.field[:255],
                value=problem.value[:255],
                message=problem.message[:500],
                action=problem.action[:500],
                publisher=(problem.publisher or publisher)[:255],
                rows=rows,
            )
            for problem, indicator, rows in found
        ),
        batch_size=1000,
    )


def _read_layout(rows: Rows, options: Options, *, xml: bool) -> tuple[Layout, list[Any], int]:
    """The layout from the header (and hashtag row); returns rows read ahead to replay,
    and the line the header (or the hashtag row under it) ends on."""
    header: list[str] | None = None
    header_lines = 0
    for line, cells in rows:
        if any(cell.strip() for cell in cells) or xml:
            header, header_lines = cells, line
            break
    if header is None:
        raise rejected("The file is empty.", [Problem(1, "", "no header")])
    second = None if xml else next(rows, None)
    pending: list[tuple[int, list[str]]] = []
    if second is not None and looks_like_hashtags(second[1]):
        header_lines = second[0]
        tags = second[1] + [""] * (len(header) - len(second[1]))
        layout, problems = hxl_layout(header + [""] * (len(tags) - len(header)), tags)
        if layout is None:
            raise rejected(
                "The hashtag row does not say where the period and the value are.", problems
            )
    else:
        layout = tidy_layout(header, period_column=options.period_column, sdmx=xml)
        if second is not None:
            pending.append(second)
    if layout.period_missing:
        wanted = options.period_column.strip() or "TIME_PERIOD"
        raise rejected(
            f"No period column {wanted!r}: name the column that holds the period "
            "(--period-column).",
            [Problem(1, wanted, "no such column")],
        )
    if len(layout.header) < 2:
        separator = next((mark for mark in (";", "\t", "|") if mark in header[0]), "")
        if separator:
            name = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}[separator]
            raise rejected(
                f"The columns are separated by {name}: a CSV file of figures (Open SDG, "
                "SDMX-CSV) separates them with commas. Save the file as comma-separated "
                "values and import it again.",
                [Problem(1, "", f"one column: the header is separated by {name}")],
            )
        raise rejected(
            "The file needs at least a period and a value column.",
            [Problem(1, "", "fewer than two columns")],
        )
    flow = layout.indicator is not None and layout.header[layout.indicator].strip().upper() in {
        "DATAFLOW",
        "STRUCTURE_ID",
    }
    if options.indicator.strip() and layout.sdmx and flow:
        layout.indicator = None  # the indicator given names the figures, not the flow
    if layout.indicator is None and not options.indicator.strip():
        raise rejected(
            "Say which indicator the values are for: an 'indicator' column (#indicator+code) "
            "or --indicator CODE.",
            [Problem(1, "indicator", "no indicator column and no --indicator")],
        )
    if not layout.places and not options.place.strip():
        raise rejected(
            "Say where the values are for: a 'GeoCode' or 'REF_AREA' column "
            "(#country+code, #region+code) or --place CODE.",
            [Problem(1, "GeoCode", "no place column and no --place")],
        )
    return layout, pending, header_lines


def _kind(layout: Layout, *, xml: bool, xlsx: bool) -> DatasetKind:
    if xml:
        return DatasetKind.SDMX_ML
    if layout.sdmx:
        return DatasetKind.SDMX_CSV
    return {
        (False, False): DatasetKind.TIDY_CSV,
        (True, False): DatasetKind.HXL_CSV,
        (False, True): DatasetKind.TIDY_XLSX,
        (True, True): DatasetKind.HXL_XLSX,
    }[(layout.hxl, xlsx)]


def _coded(rows: Rows, layout: Layout) -> Rows:
    """SDMX-CSV written with labels (``F: Female``) as its codes, but for value and notes."""
    keep = {layout.value, *layout.notes}
    for line, cells in rows:
        yield line, [cell if i in keep else code_of(cell, layout) for i, cell in enumerate(cells)]


def _import_rows(**arguments: Any) -> ImportReport:
    """The rows imported; the run recorded with what was done (inside the import's
    transaction when it wrote; after it when the same figures changed nothing)."""
    report = _write_rows(**arguments)
    options: Options = arguments["options"]
    if report.unchanged and not options.dry_run:
        source = options.source or (arguments["dataset"].source if arguments["dataset"] else "")
        _record_run(report, file_name=arguments["file_name"], user=arguments["user"], source=source)
    return report


def _write_rows(
    *,
    path: Path,
    rows: Rows,
    lines: Any,
    name: str,
    dataset: Dataset | None,
    checksum: str,
    options: Options,
    user: Actor,
    file_name: str,
) -> ImportReport:
    xml, xlsx = is_xml(path), is_xlsx(path)
    layout, pending, header_lines = _read_layout(rows, options, xml=xml)
    kind = _kind(layout, xml=xml, xlsx=xlsx)
    report = ImportReport(dataset=name, kind=str(kind), dry_run=options.dry_run)
    stage = Stage(layout, options, PlaceResolver.from_database())
    if user is not None:  # the operator imports into every indicator
        stage.reader.indicators = importable_indicators(user)
    if lines is not None:
        stage.line_of = sdmx.line_finder(lines)
    now = timezone.now()

    with transaction.atomic(), connection.cursor() as cursor:
        if dataset is None:
            dataset = Dataset.objects.create(name=name, kind=kind)
        else:
            dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
        number = (dataset.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = DatasetVersion.objects.create(
            dataset=dataset,
            number=number,
            kind=kind,
            file_name=file_name,
            checksum=checksum,
            source=options.source,
            imported_by=user,  # type: ignore[misc]
            imported_at=now,
        )
        current = dataset.versions.filter(is_current=True).first()
        if current is not None:
            report.replaced = archive_current_rows(dataset, current)

        stage.create(cursor)
        # A regular CSV goes to the database untouched; anything else row by row.
        regular = not (xml or xlsx or layout.labels) and header_lines == (2 if layout.hxl else 1)
        if not (regular and stage.load_file(cursor, path, header_lines)):
            remaining = itertools.chain(pending, rows)
            stage.load_rows(cursor, _coded(remaining, layout) if layout.labels else remaining)
        bounds = Bounds.from_settings()
        if stage.rows > bounds.max_rows:  # the bulk path reads no row in Python to count it
            raise BoundExceeded(
                "ACCORD_IMPORT_MAX_ROWS", bounds.max_rows, f"more than {bounds.max_rows} rows"
            )
        stage.skip_rows(cursor)
        stage.resolve(cursor)
        report.rows = stage.rows
        try:
            with stage.hash_joins(cursor), transaction.atomic():
                written = stage.insert(cursor, dataset)
                if written != stage.rows:
                    transaction.set_rollback(True)  # some rows are bad: none is kept
        except DatabaseError:
            # A key repeated in the file or held by another dataset, or (PostgreSQL) a
            # value that is no number: the checks below name the rows.
            written = -1
        if written != stage.rows:
            with stage.hash_joins(cursor):
                problems, problem_count = stage.problems(cursor)
            if not problem_count:  # not expected: every refusal has a named cause
                problems = [Problem(0, "", "the database refused the rows")]
                problem_count = 1
            shown = "; ".join(str(p) for p in problems[:5])
            more = f" (and {problem_count - 5} more)" if problem_count > 5 else ""
            raise rejected(
                f"Nothing was imported: {problem_count} problem(s): {shown}{more}.", problems
            )
        with stage.hash_joins(cursor):
            stage.collect_warnings(cursor)
        stage.drop(cursor)
        default_indicator = stage.reader.indicator("") if options.indicator.strip() else None
        found = [(problem, default_indicator, 1) for problem in layout.warnings] + stage.warnings
        report.warnings = [problem.as_warning() for problem, _indicator, _rows in found]
        report.skipped = stage.skipped
        report.places_added = stage.places_added
        if report.rows == 0:
            report.message = NO_DATA
        if current is not None and same_rows_as_archived(dataset, current):
            transaction.set_rollback(True)  # the same figures: keep the version there is
            report.unchanged, report.version = True, current.number
            return report
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        version.rows = report.rows
        version.is_current = True
        version.message = report.message
        version.save(update_fields=["rows", "is_current", "message"])
        dataset.kind = kind
        dataset.file_name = file_name
        dataset.checksum = checksum
        dataset.rows = report.rows
        dataset.version = number
        dataset.imported_by = user  # type: ignore[assignment]
        dataset.imported_at = now
        if options.source:
            dataset.source = options.source
        if options.licence:
            dataset.licence = options.licence
        dataset.save()
        report.version = number
        _record_run(report, file_name=file_name, user=user, source=dataset.source)
        version.run_id = report.run_id
        version.save(update_fields=["run"])
        _keep_warnings(found, run_id=report.run_id, dataset=dataset, publisher=dataset.source)
        audit_record(
            actor=user,
            verb="import.done",
            target=dataset,
            data={
                "kind": "observations",
                "file": file_name,
                "rows": report.rows,
                "version": number,
            },
        )
        if options.dry_run:
            transaction.set_rollback(True)
    return report


def import_observations_command(path: str, options: dict[str, Any], stdout: Any) -> None:
    """``accord import observations FILE [--as USERNAME]``: the command's options, then the
    service, with the named user's rights (default: the operator's)."""
    from accord.access.services import command_actor

    report = observations_import(
        user=command_actor(options.get("username")),
        path=Path(path),
        options=Options(
            indicator=options.get("indicator") or "",
            place=options.get("place") or "",
            source=options.get("source") or "",
            licence=options.get("licence") or "",
            dataset=options.get("dataset") or "",
            period_column=options.get("period_column") or "",
            dry_run=bool(options.get("dry_run")),
        ),
    )
    stdout.write("\n".join(report.lines()))

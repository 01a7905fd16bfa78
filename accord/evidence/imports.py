"""Imports of observations: tidy CSV (as Open SDG uses it), HXL-tagged CSV, and XLSX of
either shape.

An import is all or nothing. Every row is checked (indicator known, place known, period
readable and in range, value numeric, key not repeated) and each problem is reported with
its file line and column; if any row is bad the whole import is rolled back. The file is
streamed, never held in memory, and written in batches through the database's bulk path
(PostgreSQL ``COPY``, SQLite ``executemany``). A repeated key is caught by the database's
unique constraint, batch by batch, so no set of every key in the file is kept either.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from accord.core.errors import AccordError, ErrorCode
from accord.evidence.models import (
    ArchivedObservation,
    Dataset,
    DatasetKind,
    DatasetVersion,
    Indicator,
    Observation,
    ObservationStatus,
)
from accord.evidence.periods import check_period_range, parse_period
from accord.evidence.places import PlaceResolver

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

BATCH_SIZE = 5_000
MAX_REPORTED_PROBLEMS = 200
CACHE_LIMIT = 100_000

# The columns written, in this order, by the bulk path and by archiving/restoring.
OBSERVATION_COLUMNS = [
    "indicator_id",
    "place_id",
    "period_start",
    "period_end",
    "period_precision",
    "disaggregation_key",
    "disaggregation",
    "value",
    "status",
    "source",
    "source_url",
    "note",
]


class ImportRejected(AccordError):
    """The file was refused; ``details`` lists each bad row and column."""

    code = ErrorCode.IMPORT_REJECTED


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}, column {self.column!r}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    dataset: str
    kind: str
    rows: int = 0
    version: int = 0
    replaced: int = 0
    places_added: int = 0
    unchanged: bool = False
    dry_run: bool = False

    def summary(self) -> str:
        if self.unchanged:
            return (
                f"Dataset {self.dataset!r}: same content as version {self.version}; "
                "nothing changed."
            )
        text = (
            f"Dataset {self.dataset!r} version {self.version}: {self.rows} observations "
            f"imported ({self.kind})"
        )
        if self.replaced:
            text += f", replacing {self.replaced} of the previous version (kept, restorable)"
        if self.places_added:
            text += f", {self.places_added} places added"
        text += "."
        if self.dry_run:
            text += " Dry run: nothing written."
        return text


# --- reading -------------------------------------------------------------------------


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_rows(handle: IO[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle)
    try:
        for row in reader:
            yield reader.line_num, row
    except UnicodeDecodeError as error:
        raise _unreadable(reader.line_num + 1, "the file is not UTF-8 text") from error
    except csv.Error as error:
        raise _unreadable(reader.line_num, f"not readable as CSV: {error}") from error


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    # openpyxl parses the workbook's XML with defusedxml (installed for this), so
    # entity expansion and external entities are refused.
    from openpyxl import load_workbook

    number = 0
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any failure: not a workbook we can read
        raise _unreadable(0, f"not a readable XLSX workbook ({type(error).__name__})") from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in row]
    except Exception as error:  # likewise for the sheet's own XML
        raise _unreadable(number + 1, f"not readable ({type(error).__name__})") from error
    finally:
        workbook.close()


def _unreadable(line: int, message: str) -> ImportRejected:
    return ImportRejected(
        f"Nothing was imported: {message}.",
        details=[Problem(line, "", message).as_dict()],
    )


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


# --- layout: which column means what ---------------------------------------------------

INDICATOR_NAMES = {"indicator", "indicator_code", "indicator code"}
PLACE_NAMES = {"geocode", "geo_code", "place", "place_code"}
PERIOD_NAMES = {"year", "period", "date", "time_period"}
STATUS_NAMES = {"status", "observation status", "observation_status"}
SOURCE_NAMES = {"source"}
SOURCE_URL_NAMES = {"source_url", "url"}
NOTE_NAMES = {"note", "notes", "comment", "footnote"}
IGNORED_NAMES = {"place_name", "geoname", "indicator_name", "unit", "units_name"}


@dataclass
class Layout:
    hxl: bool
    header: list[str]
    period: int
    value: int
    indicator: int | None = None
    places: list[int] = field(default_factory=list)
    status: int | None = None
    source: int | None = None
    source_url: int | None = None
    note: int | None = None
    dimensions: list[tuple[int, str]] = field(default_factory=list)

    def column(self, index: int) -> str:
        return (
            self.header[index]
            if index < len(self.header) and self.header[index]
            else (f"column {index + 1}")
        )


def _tidy_layout(header: list[str]) -> Layout:
    names = [name.strip().lower() for name in header]

    def find(candidates: set[str]) -> int | None:
        return next((i for i, name in enumerate(names) if name in candidates), None)

    period = find(PERIOD_NAMES)
    value = find({"value"})
    layout = Layout(
        hxl=False,
        header=[name.strip() for name in header],
        period=0 if period is None else period,
        value=len(names) - 1 if value is None else value,
        indicator=find(INDICATOR_NAMES),
        status=find(STATUS_NAMES),
        source=find(SOURCE_NAMES),
        source_url=find(SOURCE_URL_NAMES),
        note=find(NOTE_NAMES),
    )
    place = find(PLACE_NAMES)
    layout.places = [] if place is None else [place]
    taken = {
        layout.period,
        layout.value,
        layout.indicator,
        place,
        layout.status,
        layout.source,
        layout.source_url,
        layout.note,
    }
    # Dimension names are canonical in lower case: "Sex" in one file is "sex" in another.
    layout.dimensions = [
        (i, " ".join(name.split()))
        for i, name in enumerate(names)
        if i not in taken and name and name not in IGNORED_NAMES
    ]
    return layout


def _hxl_parts(tag: str) -> tuple[str, set[str]]:
    parts = [part.strip().lower() for part in tag.replace(" ", "").split("+")]
    return parts[0], set(parts[1:])


HXL_VALUE_PRIORITY = ["indicator+value", "indicator+num", "affected", "population"]


def _hxl_layout(header: list[str], tags: list[str]) -> tuple[Layout | None, list[Problem]]:
    problems: list[Problem] = []
    period = indicator = status = source = source_url = note = None
    places: list[int] = []
    values: dict[str, int] = {}
    dimensions: list[tuple[int, str]] = []
    for index, tag in enumerate(tags):
        tag = tag.strip()
        if not tag.startswith("#"):
            continue  # untagged columns are not part of the HXL data
        base, attributes = _hxl_parts(tag)
        if base == "#indicator" and "code" in attributes:
            indicator = index
        elif base in {"#country", "#region"} and "code" in attributes:
            places.append(index)
        elif base == "#date":
            if period is None or "year" in attributes:
                period = index
        elif base == "#indicator" and attributes & {"value", "num"}:
            values.setdefault(
                "indicator+value" if "value" in attributes else "indicator+num", index
            )
        elif base in {"#affected", "#population"}:
            values.setdefault(base[1:], index)
        elif base == "#status" or (base == "#meta" and "status" in attributes):
            status = index
        elif base == "#meta" and "url" in attributes:
            source_url = index
        elif base == "#meta" and "source" in attributes:
            source = index
        elif base == "#description" or (base == "#meta" and "note" in attributes):
            note = index
        elif base in {"#country", "#region", "#indicator", "#adm1", "#adm2"}:
            continue  # names of places and indicators: the codes carry the meaning
        else:
            dimensions.append((index, "_".join([base[1:], *sorted(attributes)])))
    value = next((values[key] for key in HXL_VALUE_PRIORITY if key in values), None)
    if value is None:
        problems.append(
            Problem(
                2,
                "hashtags",
                "no value column: tag one #indicator+value, #indicator+num, #affected or "
                "#population",
            )
        )
    if period is None:
        problems.append(Problem(2, "hashtags", "no period column: tag one #date (+year)"))
    # Value-tagged columns other than the one read as the value are further dimensions.
    for key, index in values.items():
        if index != value:
            dimensions.append((index, key.replace("+", "_")))
    if problems or value is None or period is None:
        return None, problems
    return (
        Layout(
            hxl=True,
            header=[name.strip() or tags[i].strip() for i, name in enumerate(header)],
            period=period,
            value=value,
            indicator=indicator,
            places=places,
            status=status,
            source=source,
            source_url=source_url,
            note=note,
            dimensions=dimensions,
        ),
        problems,
    )


def _looks_like_hashtags(row: list[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and all(cell.startswith("#") for cell in cells)


# --- checking rows ---------------------------------------------------------------------


def disaggregation_key(dimensions: dict[str, str]) -> str:
    """The canonical key of a disaggregation: ``age=0-17;sex=female``; ``""`` for a total."""
    return ";".join(f"{name}={dimensions[name]}" for name in sorted(dimensions))


def parse_disaggregation(text: str) -> dict[str, str]:
    """``sex=female;age=0-17`` (or ``,``-separated) into a dict; blank is the total."""
    dimensions: dict[str, str] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, equals, value = part.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise ValueError(f"{part!r} is not name=value")
        dimensions[" ".join(name.lower().split())] = value.strip()
    return dimensions


def parse_value(text: str) -> float:
    value = float(text.strip())
    if math.isnan(value) or math.isinf(value):
        raise ValueError("not a finite number")
    return value


@dataclass
class Options:
    indicator: str = ""
    place: str = ""
    source: str = ""
    licence: str = ""
    dataset: str = ""
    dry_run: bool = False


class _Reader:
    """Turns each data row into the tuple the bulk path writes, or into problems."""

    def __init__(self, layout: Layout, options: Options, resolver: PlaceResolver) -> None:
        self.layout = layout
        self.options = options
        self.places = resolver
        self.indicators = {
            code.upper(): pk for code, pk in Indicator.objects.values_list("code", "id")
        }
        self.today = timezone.localdate()
        self.default_indicator = options.indicator.strip()
        self.default_place = options.place.strip()
        self._periods: dict[str, tuple[str, str, str] | str] = {}
        self._breakdowns: dict[tuple[str, ...], tuple[str, str]] = {}

    def read(self, line: int, cells: list[str]) -> tuple[tuple[Any, ...] | None, list[Problem]]:
        layout = self.layout
        width = len(layout.header)
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        problems: list[Problem] = []

        def bad(index: int | None, message: str, column: str = "") -> None:
            name = column or (layout.column(index) if index is not None else "")
            problems.append(Problem(line, name, message))

        code = (cells[layout.indicator].strip() if layout.indicator is not None else "") or (
            self.default_indicator
        )
        indicator_id = self.indicators.get(code.upper()) if code else None
        if not code:
            bad(layout.indicator, "no indicator (give a code, or --indicator)", "indicator")
        elif indicator_id is None:
            bad(layout.indicator, f"unknown indicator {code!r}", "indicator")

        place_code = next(
            (cells[i].strip() for i in layout.places if cells[i].strip()), self.default_place
        )
        place_column = layout.column(layout.places[0]) if layout.places else "place"
        place = self.places.resolve(place_code) if place_code else None
        if not place_code:
            bad(None, "no place (give a code, or --place)", place_column)
        elif place is None:
            bad(
                None,
                f"unknown place code {place_code!r} (UN M49, ISO 3166 alpha-2/alpha-3, or a "
                "named place the record knows)",
                place_column,
            )

        period = self._period(cells[layout.period])
        if isinstance(period, str):
            bad(layout.period, period)

        value = None
        text = cells[layout.value]
        try:
            value = parse_value(text)
        except ValueError:
            bad(layout.value, f"{text.strip()!r} is not a number" if text.strip() else "no value")

        status = ObservationStatus.FINAL.value
        if layout.status is not None and cells[layout.status].strip():
            status = cells[layout.status].strip().lower()
            if status not in ObservationStatus.values:
                bad(layout.status, f"{status!r} is not provisional or final")

        categories = tuple(cells[index].strip() for index, _name in layout.dimensions)
        breakdown: tuple[str, str] | list[tuple[int, str]] | None = self._breakdowns.get(categories)
        if breakdown is None:
            breakdown = self._breakdown(categories)
        if isinstance(breakdown, list):
            for index, message in breakdown:
                if index >= 0:
                    bad(index, message)
                else:
                    bad(None, message, "disaggregation")

        if problems or isinstance(period, str) or isinstance(breakdown, list) or place is None:
            return None, problems
        start, end, precision = period
        key, dimensions_json = breakdown
        return (
            indicator_id,
            place,
            start,
            end,
            precision,
            key,
            dimensions_json,
            value,
            status,
            cells[layout.source].strip() if layout.source is not None else "",
            cells[layout.source_url].strip() if layout.source_url is not None else "",
            cells[layout.note].strip() if layout.note is not None else "",
        ), problems

    # A file repeats few distinct periods and breakdowns; each is read once.
    def _period(self, text: str) -> tuple[str, str, str] | str:
        """(start, end, precision) in ISO form, or the problem with the period."""
        found = self._periods.get(text)
        if found is None:
            try:
                start, end, precision = parse_period(text)
                check_period_range(start, self.today)
                found = (start.isoformat(), end.isoformat(), str(precision))
            except ValueError as error:
                found = str(error)
            if len(self._periods) < CACHE_LIMIT:
                self._periods[text] = found
        return found

    def _breakdown(self, categories: tuple[str, ...]) -> tuple[str, str] | list[tuple[int, str]]:
        """(key, JSON) of a row's disaggregation, or the problems with it."""
        dimensions: dict[str, str] = {}
        problems: list[tuple[int, str]] = []
        for (index, name), cell in zip(self.layout.dimensions, categories, strict=True):
            if not cell:
                continue  # blank is the total for this dimension
            if ";" in cell or "=" in cell:
                problems.append((index, f"{cell!r}: a category may not contain ';' or '='"))
                continue
            dimensions[name] = cell
        key = disaggregation_key(dimensions)
        if len(key) > 255:
            problems.append((-1, "the disaggregation is longer than 255 characters"))
        if problems:
            return problems
        found = (key, json.dumps(dimensions, ensure_ascii=False, sort_keys=True))
        if len(self._breakdowns) < CACHE_LIMIT:
            self._breakdowns[categories] = found
        return found


# --- writing ---------------------------------------------------------------------------


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class _BulkWriter:
    """Writes observation rows in batches; a batch the database refuses becomes problems."""

    def __init__(self, dataset: Dataset, resolver: PlaceResolver) -> None:
        self.dataset = dataset
        self.resolver = resolver
        self.batch: list[tuple[int, tuple[Any, ...]]] = []
        self.written = 0
        self.places_added = 0
        self.stopped = False
        columns = [*OBSERVATION_COLUMNS, "dataset_id"]
        self.column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
        self.table = _table(Observation)

    def add(self, line: int, row: tuple[Any, ...]) -> list[Problem]:
        if self.stopped:
            return []
        self.batch.append((line, row))
        if len(self.batch) >= BATCH_SIZE:
            return self.flush()
        return []

    def flush(self) -> list[Problem]:
        """Write the batch. Rows the database refuses (a key repeated in the file or held
        by another dataset) are named, and the rest of the batch written without them, so
        that later repeats can still be found; the import is rolled back in the end."""
        if not self.batch or self.stopped:
            return []
        self.places_added += self.resolver.save_new()
        batch, self.batch = self.batch, []
        try:
            self._write_batch(batch)
        except IntegrityError:
            problems = self._explain(batch)
            bad_lines = {problem.line for problem in problems}
            try:
                self._write_batch([item for item in batch if item[0] not in bad_lines])
            except IntegrityError:
                self.stopped = True  # cannot tell which rows; report what is known
            return problems or [Problem(0, "", "the database refused a batch of rows")]
        return []

    def _write_batch(self, batch: list[tuple[int, tuple[Any, ...]]]) -> None:
        if not batch:
            return
        rows = [(row[0], row[1].pk, *row[2:], self.dataset.pk) for _line, row in batch]
        with transaction.atomic():
            self._write(rows)
        self.written += len(rows)

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {self.table} ({self.column_list}) FROM STDIN"
                # psycopg's own errors, turned into Django's (IntegrityError) as for execute().
                with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.column_list}) VALUES ({marks})",  # noqa: S608
                    rows,
                )

    def _explain(self, batch: list[tuple[int, tuple[Any, ...]]]) -> list[Problem]:
        """Name the rows of a refused batch: repeated in the file, or held by another dataset."""
        problems = []
        seen: dict[tuple[Any, ...], int] = {}
        keys: dict[tuple[Any, ...], int] = {}
        for line, row in batch:
            key = (row[0], row[1].pk, row[2], row[3], row[5])
            if key in seen:
                problems.append(
                    Problem(
                        line,
                        "key",
                        f"repeats line {seen[key]}: same indicator, place, "
                        "period and disaggregation",
                    )
                )
            else:
                seen[key] = line
                keys[key] = line
        existing = Observation.objects.filter(
            indicator_id__in={k[0] for k in keys},
            place_id__in={k[1] for k in keys},
            period_start__in={k[2] for k in keys},
        ).values_list(
            "indicator_id",
            "place_id",
            "period_start",
            "period_end",
            "disaggregation_key",
            "dataset_id",
            "dataset__name",
        )
        for indicator_id, place_id, start, end, held_key, dataset_id, dataset_name in existing:
            found = keys.get((indicator_id, place_id, start.isoformat(), end.isoformat(), held_key))
            if found is None:
                continue
            if dataset_id == self.dataset.pk:
                message = (
                    "repeats an earlier row of this file: same indicator, place, period and "
                    "disaggregation"
                )
            else:
                message = (
                    f"dataset {dataset_name or 'without a name'!r} already holds a value for "
                    "this indicator, place, period and disaggregation"
                )
            problems.append(Problem(found, "key", message))
        return sorted(problems, key=lambda p: p.line)


def _move_rows(
    *,
    from_model: Any,
    to_model: Any,
    where: str,
    params: list[Any],
    extra_column: str,
    extra_value: Any,
) -> int:
    """Copy rows between the live and the archive tables in SQL, then delete the originals."""
    columns = ", ".join(connection.ops.quote_name(c) for c in OBSERVATION_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(to_model)} ({connection.ops.quote_name(extra_column)}, "  # noqa: S608
            f"{columns}) SELECT %s, {columns} FROM {_table(from_model)} WHERE {where}",
            [extra_value, *params],
        )
        moved = cursor.rowcount
        cursor.execute(f"DELETE FROM {_table(from_model)} WHERE {where}", params)  # noqa: S608
    return moved


def archive_current_rows(dataset: Dataset, version: DatasetVersion) -> int:
    return _move_rows(
        from_model=Observation,
        to_model=ArchivedObservation,
        where="dataset_id = %s",
        params=[dataset.pk],
        extra_column="version_id",
        extra_value=version.pk,
    )


def restore_archived_rows(dataset: Dataset, version: DatasetVersion) -> int:
    return _move_rows(
        from_model=ArchivedObservation,
        to_model=Observation,
        where="version_id = %s",
        params=[version.pk],
        extra_column="dataset_id",
        extra_value=dataset.pk,
    )


# --- the import ------------------------------------------------------------------------


def _open_rows(path: Path) -> tuple[Iterator[tuple[int, list[str]]], Any]:
    if is_xlsx(path):
        return _xlsx_rows(path), None
    handle = path.open(newline="", encoding="utf-8-sig")
    return _csv_rows(handle), handle


def observations_import(
    *,
    path: Path,
    options: Options,
    user: AbstractBaseUser | None = None,
    file_name: str = "",
) -> ImportReport:
    """Import a tidy or HXL-tagged CSV or XLSX file as (a new version of) a dataset."""
    file_name = file_name or path.name
    name = options.dataset.strip() or file_name
    checksum = file_checksum(path)
    xlsx = is_xlsx(path)
    dataset = Dataset.objects.filter(name=name).first()
    if dataset is not None and dataset.checksum == checksum and dataset.version:
        return ImportReport(
            dataset=name,
            kind=dataset.kind,
            rows=dataset.rows,
            version=dataset.version,
            unchanged=True,
            dry_run=options.dry_run,
        )

    rows, handle = _open_rows(path)
    try:
        return _import_rows(
            rows=rows,
            name=name,
            dataset=dataset,
            checksum=checksum,
            xlsx=xlsx,
            options=options,
            user=user,
            file_name=file_name,
        )
    finally:
        if handle is not None:
            handle.close()


def _read_layout(
    rows: Iterator[tuple[int, list[str]]], options: Options
) -> tuple[Layout, list[tuple[int, list[str]]]]:
    """The layout from the header (and hashtag row); returns rows read ahead to replay."""
    header: list[str] | None = None
    for _line, cells in rows:
        if any(cell.strip() for cell in cells):
            header = cells
            break
    if header is None:
        raise ImportRejected("The file is empty.", details=[Problem(1, "", "no header").as_dict()])
    second = next(rows, None)
    pending: list[tuple[int, list[str]]] = []
    if second is not None and _looks_like_hashtags(second[1]):
        tags = second[1] + [""] * (len(header) - len(second[1]))
        layout, problems = _hxl_layout(header + [""] * (len(tags) - len(header)), tags)
        if layout is None:
            raise ImportRejected(
                "The hashtag row does not say where the period and the value are.",
                details=[p.as_dict() for p in problems],
            )
    else:
        layout = _tidy_layout(header)
        if second is not None:
            pending.append(second)
    if len(layout.header) < 2:
        raise ImportRejected(
            "The file needs at least a period and a value column.",
            details=[Problem(1, "", "fewer than two columns").as_dict()],
        )
    if layout.indicator is None and not options.indicator.strip():
        raise ImportRejected(
            "Say which indicator the values are for: an 'indicator' column (#indicator+code) "
            "or --indicator CODE.",
            details=[Problem(1, "indicator", "no indicator column and no --indicator").as_dict()],
        )
    if not layout.places and not options.place.strip():
        raise ImportRejected(
            "Say where the values are for: a 'GeoCode' column (#country+code, #region+code) "
            "or --place CODE.",
            details=[Problem(1, "GeoCode", "no place column and no --place").as_dict()],
        )
    return layout, pending


def _import_rows(
    *,
    rows: Iterator[tuple[int, list[str]]],
    name: str,
    dataset: Dataset | None,
    checksum: str,
    xlsx: bool,
    options: Options,
    user: AbstractBaseUser | None,
    file_name: str,
) -> ImportReport:
    layout, pending = _read_layout(rows, options)
    kind = {
        (False, False): DatasetKind.TIDY_CSV,
        (True, False): DatasetKind.HXL_CSV,
        (False, True): DatasetKind.TIDY_XLSX,
        (True, True): DatasetKind.HXL_XLSX,
    }[(layout.hxl, xlsx)]
    report = ImportReport(dataset=name, kind=str(kind), dry_run=options.dry_run)
    resolver = PlaceResolver.from_database()
    reader = _Reader(layout, options, resolver)
    problems: list[Problem] = []
    problem_count = 0
    now = timezone.now()

    with transaction.atomic():
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
        writer = _BulkWriter(dataset, resolver)

        def note(found: list[Problem]) -> None:
            nonlocal problem_count
            if found:
                problem_count += len(found)
                room = MAX_REPORTED_PROBLEMS - len(problems)
                problems.extend(found[: max(room, 0)])

        def data_rows() -> Iterator[tuple[int, list[str]]]:
            yield from pending
            yield from rows

        for line, cells in data_rows():
            if not any(cell.strip() for cell in cells):
                continue
            row, found = reader.read(line, cells)
            if row is None:
                note(found)
                continue
            report.rows += 1
            note(writer.add(line, row))
        note(writer.flush())

        if problem_count:
            problems.sort(key=lambda problem: problem.line)
            shown = "; ".join(str(p) for p in problems[:5])
            more = f" (and {problem_count - 5} more)" if problem_count > 5 else ""
            raise ImportRejected(
                f"Nothing was imported: {problem_count} problem(s): {shown}{more}.",
                details=[p.as_dict() for p in problems],
            )
        if report.rows == 0:
            raise ImportRejected(
                "Nothing was imported: the file has no data rows.",
                details=[Problem(0, "", "no data rows").as_dict()],
            )
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        version.rows = report.rows
        version.is_current = True
        version.save(update_fields=["rows", "is_current"])
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
        report.places_added = writer.places_added
        if options.dry_run:
            transaction.set_rollback(True)
    return report


def import_observations_command(path: str, options: dict[str, Any], stdout: Any) -> None:
    """``accord import observations FILE``: the command's options, then the service."""
    report = observations_import(
        path=Path(path),
        options=Options(
            indicator=options.get("indicator") or "",
            place=options.get("place") or "",
            source=options.get("source") or "",
            licence=options.get("licence") or "",
            dataset=options.get("dataset") or "",
            dry_run=bool(options.get("dry_run")),
        ),
    )
    stdout.write(report.summary())

"""Imports of observations: tidy CSV (as Open SDG uses it), HXL-tagged CSV, and XLSX of
either shape.

An import is all or nothing. Every row is checked (indicator known, place known, period
readable and in range, value numeric, key not repeated) and each problem is reported with
its file line and column; if any row is bad the whole import is rolled back. The file is
streamed, never held in memory, into a temporary staging table through the database's
bulk path (PostgreSQL ``COPY``, SQLite ``executemany``), checked there set-wise in SQL
(see :class:`_Stage`) and written to the observation table in one ``INSERT ... SELECT``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import itertools
import json
import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import AccordError, ErrorCode
from accord.evidence import permissions
from accord.evidence.models import (
    ArchivedObservation,
    Dataset,
    DatasetKind,
    DatasetVersion,
    Indicator,
    Observation,
    ObservationStatus,
    Place,
)
from accord.evidence.periods import check_period_range, parse_period
from accord.evidence.places import PlaceResolver

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from accord.access.permissions import Actor

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
    """Checks one row in Python and names its problems. The import checks rows set-wise
    (:class:`_Stage`); this reads the few distinct codes, periods and breakdowns for it,
    and reads again each row found bad, for the report."""

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


STAGE = "accord_import_stage"
REPORT_ROWS = MAX_REPORTED_PROBLEMS
# A number PostgreSQL can read as a double: digits, an optional fraction and exponent.
NUMBER_PATTERN = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"
LARGEST_FLOAT = "1.7976931348623157e308"


class _Stage:
    """The file's rows in a temporary table, checked set-wise in SQL, then written to the
    observation table in one ``INSERT ... SELECT``.

    Python reads each distinct indicator code, place code, period and disaggregation once
    (a file repeats few of them) into small temporary tables that the rows are joined
    with; values and statuses are checked in SQL. Only when some row is bad are the bad
    rows fetched, and read again in Python, to name each row and column.
    """

    def __init__(self, layout: Layout, options: Options, resolver: PlaceResolver) -> None:
        self.layout = layout
        self.resolver = resolver
        self.reader = _Reader(layout, options, resolver)
        self.pg = connection.vendor == "postgresql"
        self.width = len(layout.header)
        self.columns = [f"c{index}" for index in range(self.width)]
        self.offset = 0  # stage ``ord`` + offset = the record's number in the file
        self.exact = False  # True when ``ord`` is the file line itself
        self.rows = 0
        self.places_added = 0
        self.path: Path | None = None
        self.temporary: list[str] = []
        self.joins = ""

    def _temp(self, cursor: Any, name: str, columns: str) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns})")
        self.temporary.append(name)

    def create(self, cursor: Any) -> None:
        # On SQLite the value column has REAL affinity: a number in the text is stored
        # as a number, anything else stays text, so ``typeof`` tells which is which.
        types = [
            f"{name} {'REAL' if not self.pg and index == self.layout.value else 'text'}"
            for index, name in enumerate(self.columns)
        ]
        ordinal = "ord bigserial" if self.pg else "ord INTEGER PRIMARY KEY"
        self._temp(cursor, STAGE, f"{ordinal}, {', '.join(types)}")

    @contextmanager
    def hash_joins(self, cursor: Any) -> Iterator[None]:
        """The staged rows have no statistics; left alone, PostgreSQL's planner may take
        them for a handful and loop over the code tables once per row. Joining the code
        tables by hashing is right for any size of file."""
        if not self.pg:
            yield
            return
        # Without the loops the plan looks costly; compiling it (JIT) would cost more than
        # it saves on a statement read once.
        cursor.execute(
            "SELECT current_setting('enable_nestloop'), current_setting('jit'), "
            "set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)"
        )
        nestloop, jit, _off, _jit_off = cursor.fetchone()
        try:
            yield
        finally:
            cursor.execute(
                "SELECT set_config('enable_nestloop', %s, true), set_config('jit', %s, true)",
                [nestloop, jit],
            )

    def drop(self, cursor: Any) -> None:
        for name in self.temporary:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        self.temporary = []

    # --- loading -----------------------------------------------------------------------

    def load_file(self, cursor: Any, path: Path, header_lines: int) -> bool:
        """The whole CSV file through the bulk path with no Python per row (PostgreSQL
        ``COPY``, SQLite ``executemany`` fed by the csv reader). False when the file is
        not regular enough for it (ragged or blank rows, not UTF-8): then row by row."""
        try:
            with transaction.atomic():
                if self.pg:
                    count = self._copy_file(cursor, path)
                else:
                    count = self._insert_file(path, header_lines)
                    self.offset = header_lines
        except (DatabaseError, sqlite3.Error, ValueError, csv.Error):
            self.offset = 0
            return False
        # Rows of blank cells are skipped, as the row-by-row reader does; on PostgreSQL
        # the header rows were copied too, and go in the same pass.
        blank = " AND ".join(f"trim({name}) = ''" for name in self.columns)
        header = f"ord <= {int(header_lines)} OR " if self.pg else ""
        cursor.execute(f"DELETE FROM {STAGE} WHERE {header}({blank})")  # noqa: S608
        self.rows = count - max(cursor.rowcount, 0)
        self.path = path
        return True

    def _copy_file(self, cursor: Any, path: Path) -> int:
        names = ", ".join(self.columns)
        sql = (
            f"COPY {STAGE} ({names}) FROM STDIN "
            f"(FORMAT csv, ENCODING 'UTF8', FORCE_NOT_NULL ({names}))"
        )
        raw = cursor.cursor
        with connection.wrap_database_errors, raw.copy(sql) as copy, path.open("rb") as handle:
            block = handle.read(1 << 20)
            if block.startswith(codecs.BOM_UTF8):
                block = block[len(codecs.BOM_UTF8) :]
            while block:
                copy.write(block)
                block = handle.read(1 << 20)
        if raw.rowcount >= 0:
            return int(raw.rowcount)
        cursor.execute(f"SELECT count(*) FROM {STAGE}")  # noqa: S608
        return int(cursor.fetchone()[0])

    def _insert_file(self, path: Path, header_lines: int) -> int:
        marks = ", ".join(["?"] * self.width)
        sql = f"INSERT INTO {STAGE} ({', '.join(self.columns)}) VALUES ({marks})"  # noqa: S608
        raw = connection.connection.cursor()
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for _ in range(header_lines):
                next(reader, None)
            raw.executemany(sql, reader)
        return int(raw.rowcount)

    def load_rows(self, cursor: Any, rows: Iterator[tuple[int, list[str]]]) -> None:
        """Rows read in Python (XLSX, or a CSV the bulk path refused), each with its line."""
        self.exact, self.offset = True, 0
        width = self.width
        count = 0
        failure: list[ImportRejected] = []

        def padded() -> Iterator[tuple[Any, ...]]:
            nonlocal count
            try:
                for line, cells in rows:
                    if not any(cell.strip() for cell in cells):
                        continue
                    count += 1
                    yield (line, *cells[:width], *([""] * (width - len(cells))))
            except ImportRejected as error:
                failure.append(error)

        names = ", ".join(["ord", *self.columns])
        if self.pg:
            sql = f"COPY {STAGE} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                for row in padded():
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * (width + 1))
            connection.connection.cursor().executemany(
                f"INSERT INTO {STAGE} ({names}) VALUES ({marks})",  # noqa: S608
                padded(),
            )
        if failure:
            raise failure[0]
        self.rows = count

    # --- what each distinct code means ---------------------------------------------------

    def _map(
        self,
        cursor: Any,
        alias: str,
        keys: list[int],
        values: list[tuple[str, str]],
        meaning: Any,
        distinct: list[tuple[str, ...]],
    ) -> None:
        """A small table of each distinct value of the key columns and its meaning."""
        found = [(*key, *meaning(key)) for key in distinct]
        count = max(len(keys), 1)
        key_names = [f"k{j}" for j in range(count)]
        name = f"accord_import_{alias}"
        self._temp(
            cursor,
            name,
            ", ".join(
                [
                    *(f"{key} text" for key in key_names),
                    *(f"{column} {kind}" for column, kind in values),
                    f"PRIMARY KEY ({', '.join(key_names)})",
                ]
            ),
        )
        if found:
            marks = ", ".join(
                ["%s"] * count
                + ["CAST(%s AS jsonb)" if kind == "jsonb" else "%s" for _column, kind in values]
            )
            cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", found)  # noqa: S608
        condition = (
            " AND ".join(f"{alias}.k{j} = s.{self.columns[i]}" for j, i in enumerate(keys))
            or f"{alias}.k0 = ''"
        )
        self.joins += f" JOIN {name} {alias} ON {condition}"

    def _distinct(self, cursor: Any, groups: list[list[int]]) -> list[list[tuple[str, ...]]]:
        """The distinct values of each group of columns; on PostgreSQL in one pass over
        the staged rows (``GROUPING SETS``). A group of no columns has the one key ``''``."""
        found: list[list[tuple[str, ...]]] = [[] if group else [("",)] for group in groups]
        asked = [number for number, group in enumerate(groups) if group]
        columns = sorted({index for number in asked for index in groups[number]})
        if self.pg and len(asked) > 1 and len(columns) <= 31:
            names = [self.columns[index] for index in columns]
            # GROUPING() sets a bit for each column *not* in the row's grouping set.
            masks = {
                sum(
                    1 << (len(columns) - 1 - position)
                    for position, index in enumerate(columns)
                    if index not in groups[number]
                ): number
                for number in asked
            }
            sets = ", ".join(
                "(" + ", ".join(self.columns[index] for index in groups[number]) + ")"
                for number in asked
            )
            cursor.execute(
                f"SELECT GROUPING({', '.join(names)}), {', '.join(names)} "  # noqa: S608
                f"FROM {STAGE} GROUP BY GROUPING SETS ({sets})"
            )
            for mask, *cells in cursor.fetchall():
                number = masks[mask]
                found[number].append(tuple(cells[columns.index(index)] for index in groups[number]))
            return found
        for number in asked:
            selected = ", ".join(self.columns[index] for index in groups[number])
            cursor.execute(f"SELECT DISTINCT {selected} FROM {STAGE}")  # noqa: S608
            found[number] = [tuple(row) for row in cursor.fetchall()]
        return found

    def resolve(self, cursor: Any) -> None:
        layout, reader = self.layout, self.reader
        indicator_keys = [] if layout.indicator is None else [layout.indicator]
        breakdown_keys = [index for index, _name in layout.dimensions]
        indicators, place_keys, periods, breakdowns = self._distinct(
            cursor, [indicator_keys, layout.places, [layout.period], breakdown_keys]
        )
        integer = "bigint" if self.pg else "integer"
        date = "date" if self.pg else "text"

        def indicator(key: tuple[str, ...]) -> tuple[Any, ...]:
            code = (key[0].strip() if layout.indicator is not None else "") or (
                reader.default_indicator
            )
            found = reader.indicators.get(code.upper()) if code else None
            return (found, 0 if found else 1)

        places: dict[tuple[str, ...], Place | None] = {}
        for key in place_keys:
            code = next((cell.strip() for cell in key if cell.strip()), reader.default_place)
            if not layout.places:
                code = reader.default_place
            places[key] = self.resolver.resolve(code) if code else None
        self.places_added = self.resolver.save_new()

        def place(key: tuple[str, ...]) -> tuple[Any, ...]:
            found = places.get(key)
            return (found.pk, 0) if found is not None else (None, 1)

        def period(key: tuple[str, ...]) -> tuple[Any, ...]:
            found = reader._period(key[0])
            return (None, None, None, 1) if isinstance(found, str) else (*found, 0)

        def breakdown(key: tuple[str, ...]) -> tuple[Any, ...]:
            categories = tuple(cell.strip() for cell in key) if layout.dimensions else ()
            found = reader._breakdown(categories)
            return (None, None, len(found)) if isinstance(found, list) else (*found, 0)

        bad = ("bad", integer)
        self._map(cursor, "ind", indicator_keys, [("id", integer), bad], indicator, indicators)
        self._map(cursor, "plc", layout.places, [("id", integer), bad], place, place_keys)
        self._map(
            cursor,
            "per",
            [layout.period],
            [("begins", date), ("ends", date), ("prec", "text"), bad],
            period,
            periods,
        )
        self._map(
            cursor,
            "brk",
            breakdown_keys,
            [("bkey", "text"), ("dims", "jsonb" if self.pg else "text"), bad],
            breakdown,
            breakdowns,
        )

    # --- the checks in SQL -----------------------------------------------------------------

    def _value_ok(self) -> str:
        value = f"s.{self.columns[self.layout.value]}"
        if not self.pg:
            return f"(typeof({value}) IN ('integer', 'real') AND abs({value}) <= {LARGEST_FLOAT})"
        text = f"trim({value})"
        # Beyond a plain short number, the exact decimal tells whether a double holds it.
        return (
            f"(CASE WHEN {text} ~ '{NUMBER_PATTERN}' THEN "
            f"(length({text}) < 300 AND {text} !~ '[eE]') OR {text}::numeric = 0 "
            f"OR abs({text}::numeric) BETWEEN 1e-307 AND {LARGEST_FLOAT} ELSE false END)"
        )

    def _status(self) -> str:
        index = self.layout.status
        return "''" if index is None else f"lower(trim(s.{self.columns[index]}))"

    def _status_ok(self) -> str:
        return f"({self._status()} IN ('', 'provisional', 'final'))"

    def _value(self) -> str:
        value = f"s.{self.columns[self.layout.value]}"
        return f"CAST(trim({value}) AS double precision)" if self.pg else value

    def _good(self, *, writing: bool = False) -> str:
        # When writing on PostgreSQL, the cast itself checks the value: text that is no
        # number stops the statement, and the rows are then checked one by one (above).
        value_ok = f"abs({self._value()}) < 'Infinity'" if writing and self.pg else self._value_ok()
        return (
            "ind.bad = 0 AND plc.bad = 0 AND per.bad = 0 AND brk.bad = 0 "
            f"AND {value_ok} AND {self._status_ok()}"
        )

    def _text(self, index: int | None) -> str:
        return "''" if index is None else f"trim(s.{self.columns[index]})"

    def insert(self, cursor: Any, dataset: Dataset) -> int:
        layout = self.layout
        value = self._value()
        dimensions = "brk.dims"
        columns = ", ".join(
            connection.ops.quote_name(c) for c in [*OBSERVATION_COLUMNS, "dataset_id"]
        )
        cursor.execute(
            f"INSERT INTO {_table(Observation)} ({columns}) "  # noqa: S608
            f"SELECT ind.id, plc.id, per.begins, per.ends, per.prec, brk.bkey, {dimensions}, "
            f"{value}, coalesce(nullif({self._status()}, ''), 'final'), "
            f"{self._text(layout.source)}, {self._text(layout.source_url)}, "
            f"{self._text(layout.note)}, %s FROM {STAGE} s{self.joins} "
            f"WHERE {self._good(writing=True)}",
            [dataset.pk],
        )
        return int(cursor.rowcount)

    # --- naming the bad rows (only when there are some) ----------------------------------

    def problems(self, cursor: Any) -> tuple[list[Problem], int]:
        bad = (
            "(ind.bad + plc.bad + per.bad + brk.bad "
            f"+ CASE WHEN {self._value_ok()} THEN 0 ELSE 1 END "
            f"+ CASE WHEN {self._status_ok()} THEN 0 ELSE 1 END)"
        )
        source = f"FROM {STAGE} s{self.joins} WHERE {bad} > 0"
        cursor.execute(f"SELECT coalesce(sum({bad}), 0) {source}")
        count = int(cursor.fetchone()[0])
        cells = ", ".join(f"s.{name}" for name in self.columns)
        cursor.execute(
            f"SELECT s.ord, CASE WHEN {self._value_ok()} THEN 1 ELSE 0 END, "
            f"CASE WHEN {self._status_ok()} THEN 1 ELSE 0 END, {cells} {source} "
            f"ORDER BY s.ord LIMIT {REPORT_ROWS}"
        )
        bad_rows = cursor.fetchall()

        good = (
            "WITH good AS (SELECT s.ord, ind.id AS indicator_id, plc.id AS place_id, "  # noqa: S608
            "per.begins, per.ends, brk.bkey, min(s.ord) OVER (PARTITION BY ind.id, plc.id, "
            f"per.begins, per.ends, brk.bkey) AS earliest FROM {STAGE} s{self.joins} "
            f"WHERE {self._good()}) "
        )
        repeats = "FROM good WHERE ord > earliest"
        cursor.execute(f"{good} SELECT count(*) {repeats}")
        count += int(cursor.fetchone()[0])
        cursor.execute(f"{good} SELECT ord, earliest {repeats} ORDER BY ord LIMIT {REPORT_ROWS}")
        repeated = cursor.fetchall()
        held = (
            f"FROM good g JOIN {_table(Observation)} o ON o.indicator_id = g.indicator_id "
            "AND o.place_id = g.place_id AND o.period_start = g.begins "
            "AND o.period_end = g.ends AND o.disaggregation_key = g.bkey "
            f"LEFT JOIN {_table(Dataset)} d ON d.id = o.dataset_id WHERE g.ord = g.earliest"
        )
        cursor.execute(f"{good} SELECT count(*) {held}")
        count += int(cursor.fetchone()[0])
        cursor.execute(f"{good} SELECT g.ord, d.name {held} ORDER BY g.ord LIMIT {REPORT_ROWS}")
        conflicts = cursor.fetchall()

        lines = self._lines(
            {row[0] for row in bad_rows}
            | {ord for pair in repeated for ord in pair}
            | {row[0] for row in conflicts}
        )
        found: list[Problem] = []
        value_column = self.layout.column(self.layout.value)
        status_column = (
            self.layout.column(self.layout.status) if self.layout.status is not None else ""
        )
        for ord_, value_ok, status_ok, *row in bad_rows:
            line = lines[ord_]
            texts = ["" if cell is None else str(cell) for cell in row]
            _read, row_problems = self.reader.read(line, texts)
            if not row_problems:  # the SQL check is stricter than Python's on some edge
                if not value_ok:
                    text = texts[self.layout.value].strip()
                    row_problems.append(Problem(line, value_column, f"{text!r} is not a number"))
                if not status_ok:
                    row_problems.append(Problem(line, status_column, "is not provisional or final"))
            found.extend(row_problems)
        found.extend(
            Problem(
                lines[ord_],
                "key",
                f"repeats line {lines[first]}: same indicator, place, period and disaggregation",
            )
            for ord_, first in repeated
        )
        found.extend(
            Problem(
                lines[ord_],
                "key",
                f"dataset {name or 'without a name'!r} already holds a value for this "
                "indicator, place, period and disaggregation",
            )
            for ord_, name in conflicts
        )
        found.sort(key=lambda problem: problem.line)
        return found[:MAX_REPORTED_PROBLEMS], count

    def _lines(self, ords: set[int]) -> dict[int, int]:
        """File lines of staged rows: ``ord`` itself, or found by reading the CSV again
        (a quoted cell may hold a line break, so record and line numbers can differ)."""
        if self.exact or self.path is None:
            return {ord_: ord_ for ord_ in ords}
        wanted = {ord_ + self.offset: ord_ for ord_ in ords}
        last = max(wanted, default=0)
        lines: dict[int, int] = {}
        with self.path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for record, _row in enumerate(reader, start=1):
                if record in wanted:
                    lines[wanted[record]] = reader.line_num
                if record >= last:
                    break
        return {ord_: lines.get(ord_, ord_ + self.offset) for ord_ in ords}


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


def check_import_rights(user: Actor, dataset: Dataset | None, options: Options) -> None:
    """Refuse before reading the file: the importer, the dataset it would replace and the
    indicator it names. An indicator the importer may not read is unknown to it."""
    require(
        permissions.can_import_observations(user),
        "Only focal points and the secretariat import observations.",
    )
    require(
        permissions.can_replace_dataset(user, dataset),
        f"The dataset {dataset.name if dataset else ''!r} was imported by another partner; "
        "give this import another dataset name.",
    )
    code = options.indicator.strip()
    if code:
        # The operator (no user) imports into every indicator.
        readable = Indicator.objects.all() if user is None else Indicator.objects.visible_to(user)
        indicator = readable.filter(code__iexact=code).first()
        if indicator is None:
            raise ImportRejected(
                f"Nothing was imported: unknown indicator {code!r}.",
                details=[Problem(0, "indicator", f"unknown indicator {code!r}").as_dict()],
            )
        require(
            permissions.can_import_into(user, indicator),
            f"You may not import figures for the indicator {indicator.code}.",
        )


def importable_indicators(user: Actor) -> dict[str, int]:
    """The indicators ``user`` may import figures for, by upper-case code."""
    readable = Indicator.objects.visible_to(user).select_related(None)
    return {
        indicator.code.upper(): indicator.pk
        for indicator in readable.only("pk", "code", "organisation_id")
        if permissions.can_import_into(user, indicator)
    }


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
    check_import_rights(user, dataset, options)
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
            path=path,
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
) -> tuple[Layout, list[tuple[int, list[str]]], int]:
    """The layout from the header (and hashtag row); returns rows read ahead to replay,
    and the line the header (or the hashtag row under it) ends on."""
    header: list[str] | None = None
    header_lines = 0
    for line, cells in rows:
        if any(cell.strip() for cell in cells):
            header, header_lines = cells, line
            break
    if header is None:
        raise ImportRejected("The file is empty.", details=[Problem(1, "", "no header").as_dict()])
    second = next(rows, None)
    pending: list[tuple[int, list[str]]] = []
    if second is not None and _looks_like_hashtags(second[1]):
        header_lines = second[0]
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
    return layout, pending, header_lines


def _import_rows(
    *,
    path: Path,
    rows: Iterator[tuple[int, list[str]]],
    name: str,
    dataset: Dataset | None,
    checksum: str,
    xlsx: bool,
    options: Options,
    user: AbstractBaseUser | None,
    file_name: str,
) -> ImportReport:
    layout, pending, header_lines = _read_layout(rows, options)
    kind = {
        (False, False): DatasetKind.TIDY_CSV,
        (True, False): DatasetKind.HXL_CSV,
        (False, True): DatasetKind.TIDY_XLSX,
        (True, True): DatasetKind.HXL_XLSX,
    }[(layout.hxl, xlsx)]
    report = ImportReport(dataset=name, kind=str(kind), dry_run=options.dry_run)
    stage = _Stage(layout, options, PlaceResolver.from_database())
    if user is not None:  # the operator imports into every indicator
        stage.reader.indicators = importable_indicators(user)
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
        regular = not xlsx and header_lines == (2 if layout.hxl else 1)
        if not (regular and stage.load_file(cursor, path, header_lines)):
            stage.load_rows(cursor, itertools.chain(pending, rows))
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
            raise ImportRejected(
                f"Nothing was imported: {problem_count} problem(s): {shown}{more}.",
                details=[p.as_dict() for p in problems],
            )
        stage.drop(cursor)
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
        report.places_added = stage.places_added
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
            dry_run=bool(options.get("dry_run")),
        ),
    )
    stdout.write(report.summary())

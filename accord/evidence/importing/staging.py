"""The file's rows in a temporary staging table, loaded through the database's bulk path
(PostgreSQL ``COPY``, SQLite ``executemany``) with no Python per row when the file allows;
:mod:`.setwise` checks them there and writes them to the observation table."""

from __future__ import annotations

import codecs
import csv
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from accord.evidence.importing.layout import Layout
from accord.evidence.importing.report import ImportRejected

STAGE = "accord_import_stage"


def table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class StageTable:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.pg = connection.vendor == "postgresql"
        self.width = len(layout.header)
        self.columns = [f"c{index}" for index in range(self.width)]
        self.offset = 0  # stage ``ord`` + offset = the record's number in the file
        self.exact = False  # True when ``ord`` is the file line itself
        self.rows = 0
        self.path: Path | None = None
        # For files read in Python (SDMX-ML): the file line of each staged record.
        self.line_of: Callable[[set[int]], dict[int, int]] | None = None
        self.temporary: list[str] = []

    def temp(self, cursor: Any, name: str, columns: str) -> None:
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
        self.temp(cursor, STAGE, f"{ordinal}, {', '.join(types)}")

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
        """Rows read in Python (XLSX, SDMX-ML, or a CSV the bulk path refused), each with
        its line."""
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

    def lines(self, ords: set[int]) -> dict[int, int]:
        """File lines of staged rows: ``ord`` itself, or found by reading the CSV again
        (a quoted cell may hold a line break, so record and line numbers can differ)."""
        if self.line_of is not None:
            return self.line_of(ords)
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

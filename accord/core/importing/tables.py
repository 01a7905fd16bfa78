"""Tables read from CSV or XLSX files, row by row with their file line, within bounds.

A workbook is checked before openpyxl opens it (:func:`check_workbook`): the sizes its
zip archive declares (which :mod:`zipfile` holds each member to), the compression ratio,
and the number of cells its worksheets hold, counted by streaming their XML through the
safe parser (which also refuses a DTD in any of them). openpyxl then reads it through
defusedxml, in read-only mode, one row at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from accord.core.importing import xml
from accord.core.importing.bounds import Bounds, Guard
from accord.core.importing.problems import BoundExceeded, ImportRejected, Problem

XLSX_SUFFIXES = {".xlsx", ".xlsm"}


def is_xlsx(path: str | Path) -> bool:
    """A zip archive (as every XLSX workbook is), by its first bytes, not its name."""
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def unreadable(line: int, message: str) -> ImportRejected:
    return ImportRejected(
        f"The file cannot be read: {message}. Nothing was imported.",
        problems=[Problem(line, "", message)],
    )


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def check_workbook(path: str | Path, bounds: Bounds) -> None:
    """Refuse a workbook that would take more than the bounds once unpacked."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise unreadable(0, f"not a readable XLSX workbook ({error})") from error
    with archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if unpacked > bounds.xlsx_max_uncompressed:
            raise BoundExceeded(
                "ACCORD_IMPORT_XLSX_MAX_UNCOMPRESSED",
                bounds.xlsx_max_uncompressed,
                f"the workbook unpacks to {unpacked} bytes",
            )
        # Small archives compress well without harm; past 1 MB a high ratio is a bomb.
        if unpacked > 1 << 20 and unpacked / packed > bounds.xlsx_max_ratio:
            raise BoundExceeded(
                "ACCORD_IMPORT_XLSX_MAX_RATIO",
                bounds.xlsx_max_ratio,
                f"the workbook unpacks {unpacked / packed:.0f} times its size",
            )
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise unreadable(0, "not a readable XLSX workbook (no xl/workbook.xml)")
        cells = 0
        for member in members:
            name = member.filename
            if not name.endswith(".xml") and not name.endswith(".rels"):
                continue
            with archive.open(member) as handle:
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    for _cell in xml.iterate(handle, tag="{*}c"):
                        cells += 1
                        if cells > bounds.xlsx_max_cells:
                            raise BoundExceeded(
                                "ACCORD_IMPORT_XLSX_MAX_CELLS",
                                bounds.xlsx_max_cells,
                                f"the workbook holds more than {bounds.xlsx_max_cells} cells",
                            )
                elif name == "xl/sharedStrings.xml":
                    for item in xml.iterate(handle, tag="{*}si"):
                        text = "".join(item.itertext())
                        if len(text) > bounds.max_cell_chars:
                            raise BoundExceeded(
                                "ACCORD_IMPORT_MAX_CELL_CHARS",
                                bounds.max_cell_chars,
                                f"a shared string of {len(text)} characters",
                            )
                else:  # every other part goes through the same refusals of DTDs
                    xml.parse(handle.read())


def _xlsx_rows(path: Path, guard: Guard) -> Iterator[tuple[int, list[str]]]:
    check_workbook(path, guard.bounds)
    from openpyxl import load_workbook

    number = 0
    handle = path.open("rb")  # a handle: openpyxl judges a path by its extension
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # any failure: not a workbook we can read
        handle.close()
        raise unreadable(0, f"not a readable XLSX workbook ({type(error).__name__})") from error
    try:
        if not workbook.worksheets:
            raise unreadable(0, "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            number += 1
            guard.row(number)
            cells = [cell_text(value) for value in row]
            for text in cells:
                guard.cell(text, line=number)
            yield number, cells
    except ImportRejected:
        raise
    except Exception as error:  # the sheet's own XML, read lazily
        raise unreadable(number + 1, f"not readable ({type(error).__name__})") from error
    finally:
        workbook.close()
        handle.close()


def _csv_rows(path: Path, guard: Guard) -> Iterator[tuple[int, list[str]]]:
    # The field size limit is the cell bound: a process-wide setting of the csv module,
    # given back when the file is read (other readers, such as the reference loader,
    # would otherwise inherit the last import's bound).
    previous = csv.field_size_limit(guard.bounds.max_cell_chars)
    try:
        yield from _csv_rows_bounded(path, guard)
    finally:
        csv.field_size_limit(previous)


def _csv_rows_bounded(path: Path, guard: Guard) -> Iterator[tuple[int, list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        line = 1
        try:
            for row in reader:
                guard.row(line)
                yield line, row
                line = reader.line_num + 1
        except UnicodeDecodeError as error:
            raise unreadable(reader.line_num + 1, "the file is not UTF-8 text") from error
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise BoundExceeded(
                    "ACCORD_IMPORT_MAX_CELL_CHARS",
                    guard.bounds.max_cell_chars,
                    "a cell longer than the bound",
                    line=line,
                ) from error
            raise unreadable(line, f"not readable as CSV: {error}") from error


def read_rows(
    path: str | Path, *, bounds: Bounds | None = None, guard: Guard | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV or XLSX file (first worksheet) as ``(line, cells)``.

    The line is where the row starts in the file (a quoted cell may span lines) or the
    worksheet's row number. Checks the file's size first and every bound as it reads.
    """
    path = Path(path)
    bounds = bounds or (guard.bounds if guard else Bounds.from_settings())
    bounds.check_size(path)
    guard = guard or bounds.guard()
    if is_xlsx(path):
        return _xlsx_rows(path, guard)
    return _csv_rows(path, guard)


def read_records(
    path: str | Path, *, bounds: Bounds | None = None, guard: Guard | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows under a header as ``(line, {column: text})``; blank rows are left out."""
    rows = read_rows(path, bounds=bounds, guard=guard)
    header: list[str] | None = None
    for line, cells in rows:
        if header is None:
            if any(cell.strip() for cell in cells):
                header = [cell.strip() for cell in cells]
            continue
        if not any(cell.strip() for cell in cells):
            continue
        record: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=False):
            if name:
                record[name] = cell
        yield line, record

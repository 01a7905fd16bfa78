"""Reading a file of figures into rows of text cells, each with its file line: CSV
(streamed), XLSX (first sheet, through defusedxml) and which of them a file is."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from accord.evidence.importing.report import ImportRejected, Problem, rejected


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def unreadable(line: int, message: str) -> ImportRejected:
    return rejected(f"Nothing was imported: {message}.", [Problem(line, "", message)])


def csv_rows(handle: IO[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle)
    try:
        for row in reader:
            yield reader.line_num, row
    except UnicodeDecodeError as error:
        raise unreadable(reader.line_num + 1, "the file is not UTF-8 text") from error
    except csv.Error as error:
        raise unreadable(reader.line_num, f"not readable as CSV: {error}") from error


def xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    # openpyxl parses the workbook's XML with defusedxml (installed for this), so
    # entity expansion and external entities are refused.
    from openpyxl import load_workbook

    number = 0
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any failure: not a workbook we can read
        raise unreadable(0, f"not a readable XLSX workbook ({type(error).__name__})") from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in row]
    except Exception as error:  # likewise for the sheet's own XML
        raise unreadable(number + 1, f"not readable ({type(error).__name__})") from error
    finally:
        workbook.close()


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def is_xml(path: Path) -> bool:
    """An XML document: its first character, after a byte-order mark and blanks, is ``<``."""
    with path.open("rb") as handle:
        start = handle.read(1024).lstrip(b"\xef\xbb\xbf").lstrip()
    return start.startswith(b"<")


def open_rows(path: Path) -> tuple[Iterator[tuple[int, list[str]]], Any]:
    """The rows of a CSV or XLSX file, and the handle to close when done (or None)."""
    if is_xlsx(path):
        return xlsx_rows(path), None
    handle = path.open(newline="", encoding="utf-8-sig")
    return csv_rows(handle), handle

"""Cells for spreadsheets: text a spreadsheet would run as a formula is made inert.

A cell whose text starts with one of ``FORMULA_STARTS`` is run as a formula by common
spreadsheets (CSV or formula injection). Exports prefix such text with an apostrophe so it
is read as text; imports of our own exports take the apostrophe off again. Control
characters, which an XLSX cannot hold (openpyxl refuses the whole workbook), are dropped.
Every spreadsheet writer passes every cell through :func:`neutralise`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO

from accord.core.text import strip_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell a spreadsheet can hold and will not run; numbers untouched."""
    if isinstance(value, str):
        text: str = strip_control_characters(value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value


def restore(value: str) -> str:
    """The text :func:`neutralise` was given, from what it wrote."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def write_table(rows: Iterable[Sequence[object]], output: IO[bytes], *, file_format: str) -> int:
    """Write rows (the first is the header) as CSV (UTF-8) or XLSX, every cell through
    :func:`neutralise`; returns the number of rows after the header."""
    count = -1
    if file_format == "csv":
        text = io.TextIOWrapper(output, encoding="utf-8", newline="")
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
            count += 1
        text.flush()
        text.detach()
        return max(count, 0)
    if file_format != "xlsx":
        raise ValueError(f"unknown spreadsheet format {file_format!r}")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
        count += 1
    workbook.save(output)
    return max(count, 0)

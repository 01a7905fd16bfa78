"""Cells for spreadsheets: text a spreadsheet would run as a formula is made inert.

A cell whose text starts with one of ``FORMULA_STARTS`` is run as a formula by common
spreadsheets (CSV or formula injection). Exports prefix such text with an apostrophe so it
is read as text; imports of our own exports take the apostrophe off again. Control
characters, which an XLSX cannot hold (openpyxl refuses the whole workbook), are dropped.
Every spreadsheet writer passes every cell through :func:`neutralise`.
"""

from __future__ import annotations

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

"""Cells for spreadsheets: text a spreadsheet would run as a formula is made inert.

A cell whose text starts with one of ``FORMULA_STARTS`` is run as a formula by common
spreadsheets (CSV or formula injection). Exports prefix such text with an apostrophe so it
is read as text; imports of our own exports take the apostrophe off again.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert; numbers untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text :func:`neutralise` was given, from what it wrote."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value

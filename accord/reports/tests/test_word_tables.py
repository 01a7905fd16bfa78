"""The DOCX packs' tables are made with all their rows at once: the same XML as the
tables python-docx builds a row and a cell at a time."""

from __future__ import annotations

from typing import Any

import pytest
from docx import Document

from accord.reports.word import _table

COLUMNS = ["Action", "", "Due"]
ROWS: list[tuple[Any, ...]] = [
    ("Prepare a note\non the state of play", None, "2029-06-01"),
    ("  spaced  ", "", 42),
    ("tab\tinside", "Überprüfung: “quoted”", 0),
]


def one_row_at_a_time(document: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.text = column
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)


@pytest.mark.parametrize("rows", [ROWS, []])
def test_the_table_is_the_one_built_a_row_at_a_time(rows):
    ours, theirs = Document(), Document()
    _table(ours, COLUMNS, rows)
    one_row_at_a_time(theirs, COLUMNS, rows)
    assert ours.tables[0]._tbl.xml == theirs.tables[0]._tbl.xml
    if rows:
        assert ours.tables[0].rows[1].cells[0].text == "Prepare a note\non the state of play"
        assert ours.tables[0].rows[0].cells[0].paragraphs[0].runs[0].bold


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 columns"):
        _table(Document(), COLUMNS, [("a", "b")])

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accord.reports.engines import html_to_pdf, neutralise, write_csv, write_json, write_xlsx

ROWS = [
    ['=HYPERLINK("http://evil")', -5, dt.date(2016, 2, 16)],
    ["+cmd|' /C calc'!A0", Decimal("1.5"), None],
    ["@SUM(A1)", 3, dt.date(2013, 5, 3)],
    ["plain text", 0, None],
]
COLUMNS = ["text", "number", "date"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
        (-1, -1),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_runs_no_formula():
    text = write_csv(COLUMNS, ROWS).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS
    assert all(not row[0].startswith(("=", "+", "-", "@")) for row in rows[1:])
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][1] == "-5"  # numbers stay numbers
    assert rows[1][2] == "2016-02-16"


def test_xlsx_runs_no_formula_and_keeps_types():
    sheet = load_workbook(io.BytesIO(write_xlsx([("Export", COLUMNS, ROWS)]))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(COLUMNS)
    assert values[1][0].startswith("'=")
    assert values[3][0] == "'@SUM(A1)"
    assert values[1][1] == -5
    assert values[2][1] == 1.5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_json_export_shape():
    body = json.loads(write_json(COLUMNS, ROWS))
    assert body["count"] == 4
    assert body["items"][0]["date"] == "2016-02-16"


def test_pdf_holds_the_text():
    from pypdf import PdfReader

    pdf = html_to_pdf("<h1>3rd Senior Officials Meeting</h1><p>Brussels, 16 February 2016</p>")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "3rd Senior Officials Meeting" in text
    assert "16 February 2016" in text

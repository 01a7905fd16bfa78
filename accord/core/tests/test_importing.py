"""The shared import framework: problems, the report, bounded tables, safe XML."""

import csv
import io
import time

import pytest
from openpyxl import Workbook

from accord.core.importing import (
    BoundExceeded,
    Bounds,
    ImportRejected,
    ImportReport,
    Problem,
    read_records,
    read_rows,
    xml,
)


def test_a_problem_names_record_line_field_value_and_action():
    problem = Problem(
        12,
        "recipient-country",
        "a DAC region code in a country field",
        value="298",
        record="XM-DAC-47066-1",
        action="read 298 as the DAC region Africa, regional",
    )
    text = str(problem)
    assert text.startswith("line 12, XM-DAC-47066-1, column 'recipient-country' = '298'")
    assert text.endswith("(read 298 as the DAC region Africa, regional)")
    assert problem.as_dict()["action"].startswith("read 298")
    assert Problem(3, "Value", "no value").as_dict() == {
        "line": 3,
        "column": "Value",
        "message": "no value",
    }


def test_the_report_always_prints_the_counts_and_strict_makes_warnings_errors():
    report = ImportReport(created=2)
    report.warn(Problem(4, "currency", "unknown currency", value="XYZ", publisher="IOM"))
    assert report.lines()[0] == "created 2, updated 0, unchanged 0, skipped 0, warnings 1"
    assert report.by_publisher == {"IOM": 1}
    report.refuse_if_errors()  # warnings do not refuse
    strict = ImportReport(strict=True)
    strict.warn(Problem(4, "currency", "unknown currency", value="XYZ"))
    with pytest.raises(ImportRejected) as caught:
        strict.refuse_if_errors()
    assert caught.value.problems[0].action == "refused (strict)"


def test_csv_rows_carry_the_line_they_start_on(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"two\nlines"\n\n3,4\n')
    assert list(read_rows(path)) == [
        (1, ["a", "b"]),
        (2, ["1", "two\nlines"]),
        (4, []),
        (5, ["3", "4"]),
    ]
    assert [line for line, _row in read_records(path)] == [2, 5]


def test_row_cell_and_size_bounds_are_named(tmp_path, settings):
    path = tmp_path / "t.csv"
    path.write_text("a\n" + "x\n" * 20)
    bounds = Bounds.from_settings()
    with pytest.raises(BoundExceeded, match="ACCORD_IMPORT_MAX_ROWS"):
        list(read_rows(path, bounds=bounds.but(max_rows=10)))
    with pytest.raises(BoundExceeded, match="ACCORD_IMPORT_MAX_BYTES"):
        list(read_rows(path, bounds=bounds.but(max_bytes=10)))
    path.write_text("a\n" + "y" * 500 + "\n")
    before = csv.field_size_limit()
    with pytest.raises(BoundExceeded, match="ACCORD_IMPORT_MAX_CELL_CHARS"):
        list(read_rows(path, bounds=bounds.but(max_cell_chars=100)))
    # The csv module's limit is the whole process's: the next reader gets its own back.
    assert csv.field_size_limit() == before
    rows = read_rows(path, bounds=bounds.but(max_cell_chars=1000))
    assert next(rows) == (1, ["a"])
    rows.close()  # a file left half read gives it back too
    assert csv.field_size_limit() == before


def test_xlsx_rows_and_a_dtd_inside_a_workbook(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Year", "Value"])
    workbook.active.append([2019, 1.0])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    assert list(read_rows(path)) == [(1, ["Year", "Value"]), (2, ["2019", "1"])]


def test_xml_with_a_long_comment_before_a_doctype_is_refused_at_once():
    data = (
        b'<?xml version="1.0"?><!--' + b"a" * 65536 + b'--><!DOCTYPE r [<!ENTITY x "y">]>'
        b"<r><iati-activity>&x;</iati-activity></r>"
    )
    started = time.monotonic()
    with pytest.raises(ImportRejected, match="DTD"):
        list(xml.iterate(io.BytesIO(data), tag="{*}iati-activity"))
    assert time.monotonic() - started < 1


def test_xml_malformed_and_without_the_tag():
    with pytest.raises(ImportRejected, match="not well-formed"):
        list(xml.iterate(io.BytesIO(b"<r><a></r>"), tag="a"))
    with pytest.raises(ImportRejected, match="DTD"):
        list(xml.iterate(io.BytesIO(b'<!DOCTYPE r SYSTEM "http://x/y.dtd"><r/>'), tag="a"))
    with pytest.raises(ImportRejected, match="DTD"):
        xml.parse(b'<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>')

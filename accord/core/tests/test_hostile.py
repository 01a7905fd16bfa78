"""Hostile files (``hostile/``, and large ones written here): each refused within its
bound, the refusal naming the bound or the problem, nothing written."""

import time
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from accord.core.importing import BoundExceeded, ImportRejected, read_rows
from accord.evidence.importing import Options, observations_import
from accord.evidence.models import Observation

pytestmark = pytest.mark.django_db
HOSTILE = Path(__file__).parent / "hostile"


@pytest.mark.parametrize(
    "name", ["entity-expansion.xml", "external-entity.xml", "external-dtd.xml", "long-comment.xml"]
)
def test_xml_with_a_dtd_is_refused_at_once(reference, name):
    started = time.monotonic()
    # Refused by the parser: the DOCTYPE, or libxml2's own bound on entity amplification.
    with pytest.raises(CommandError, match=r"declares a DTD|entity amplification"):
        call_command("import", "iati", str(HOSTILE / name), stdout=StringIO())
    assert time.monotonic() - started < 5


def _workbook_with(tmp_path, sheet_xml: bytes = b"", shared: bytes = b"") -> Path:
    workbook = Workbook()
    workbook.active.append(["Year", "GeoCode", "Value"])
    plain = tmp_path / "plain.xlsx"
    workbook.save(plain)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if sheet_xml and item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            out.writestr(item.filename, data)
        if shared:
            out.writestr("xl/sharedStrings.xml", shared)
    return bomb


def test_a_zip_bomb_of_one_huge_shared_string_is_refused_before_openpyxl(tmp_path):
    text = b"a" * (60 * 1024 * 1024)
    shared = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        b"<si><t>" + text + b"</t></si></sst>"
    )
    bomb = _workbook_with(tmp_path, shared=shared)
    assert bomb.stat().st_size < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(BoundExceeded) as caught:
        list(read_rows(bomb))
    assert caught.value.setting == "ACCORD_IMPORT_XLSX_MAX_RATIO"
    assert time.monotonic() - started < 5


def test_a_zip_bomb_of_many_rows_is_refused_by_its_cells(tmp_path, settings):
    settings.ACCORD_IMPORT_XLSX_MAX_RATIO = 100_000  # so that the cell count is what refuses
    settings.ACCORD_IMPORT_XLSX_MAX_CELLS = 100_000
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c><c t="n"><v>3</v></c></row>'
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + row * 200_000 + b"</sheetData></worksheet>"
    )
    bomb = _workbook_with(tmp_path, sheet_xml=sheet)
    with pytest.raises(BoundExceeded, match="ACCORD_IMPORT_XLSX_MAX_CELLS"):
        list(read_rows(bomb))
    settings.ACCORD_IMPORT_XLSX_MAX_RATIO = 100
    with pytest.raises(BoundExceeded, match="ACCORD_IMPORT_XLSX_MAX_RATIO"):
        list(read_rows(bomb))


def test_a_workbook_with_a_dtd_is_refused_through_the_initiatives_import(reference, tmp_path):
    sheet = (
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    )
    bomb = _workbook_with(tmp_path, sheet_xml=sheet)
    with pytest.raises(CommandError, match="declares a DTD"):
        call_command("import", "initiatives", str(bomb), stdout=StringIO())


def write_rows(path: Path, rows: int, bad_line: int) -> None:
    """A tidy CSV of figures, ``rows`` rows of distinct keys, one bad value."""
    from accord.core.places import _countries

    places = sorted({info.code for info in _countries().values() if info.code.isdigit()})[:200]
    with path.open("w") as handle:
        handle.write("Year,GeoCode,Age,Value\n")
        line = 1
        for age in range(100):
            for year in range(1920, 2020):
                for place in places:
                    line += 1
                    if line > rows + 1:
                        return
                    value = "x" if line == bad_line else "1"
                    handle.write(f"{year},{place},{age},{value}\n")


def test_a_csv_of_two_million_rows_with_one_bad_row_near_its_end(tmp_path, settings):
    """The 2 million rows meet the row bound; the same shape of file, one bad row near
    its end, is refused whole by the import (the 2-million-row import itself, good and
    bad, is measured in ``accord bench``: it takes minutes on a shared machine)."""
    from accord.evidence.models import Indicator

    Indicator.objects.create(code="MMP_DEAD_MISSING", name="Dead and missing", unit="persons")
    big = tmp_path / "big.csv"
    write_rows(big, 2_000_000, bad_line=1_999_990)
    settings.ACCORD_IMPORT_MAX_ROWS = 1_000_000
    started = time.monotonic()
    with pytest.raises(BoundExceeded, match="ACCORD_IMPORT_MAX_ROWS") as caught:
        list(read_rows(big))
    assert caught.value.problems[0].line == 1_000_001
    assert time.monotonic() - started < 60
    path = tmp_path / "rows.csv"
    write_rows(path, 100_000, bad_line=99_990)
    with pytest.raises(ImportRejected) as refused:
        observations_import(path=path, options=Options(indicator="MMP_DEAD_MISSING"))
    assert refused.value.details == [
        {"line": 99_990, "column": "Value", "message": "'x' is not a number"}
    ]
    assert Observation.objects.count() == 0

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook

from accord.evidence.importing import ImportRejected, Options, observations_import
from accord.evidence.models import (
    ArchivedObservation,
    Dataset,
    DatasetKind,
    Observation,
    PeriodPrecision,
    Place,
)
from accord.evidence.services import dataset_restore

pytestmark = pytest.mark.django_db

TIDY = """Year,GeoCode,Sex,Age,Value
2019,ITA,,,100
2019,ITA,female,,40
2019,ITA,male,,60
2020,380,,,120
2020,380,female,0-17,7
2021-Q2,GR,,,5
2021-03,CENTRAL_MEDITERRANEAN_ROUTE,,,9
"""

HXL = """Indicator,Country,Year,Sex,Deaths,Comment
#indicator+code,#country+code,#date+year,#sex,#affected+dead,#description
MMP_DEAD_MISSING,LBY,2019,f,10,first
MMP_DEAD_MISSING,LBY,2019,,30,
MMP_DEAD_MISSING,434,2020,,3,
"""


def run(path, **options):
    return observations_import(path=path, options=Options(**options))


def rejected(path, **options):
    with pytest.raises(ImportRejected) as caught:
        run(path, **options)
    return caught.value


def test_tidy_csv_open_sdg_shape(deaths, write_file):
    report = run(write_file("tidy.csv", TIDY), indicator="MMP_DEAD_MISSING", source="Test")
    assert report.rows == 7
    assert report.kind == DatasetKind.TIDY_CSV
    italy = Place.objects.get(code="380")
    assert (italy.iso2, italy.iso3, italy.kind) == ("IT", "ITA", "country")
    total = Observation.objects.get(
        place=italy, period_start=dt.date(2019, 1, 1), disaggregation_key=""
    )
    assert total.value == 100
    assert total.period_end == dt.date(2019, 12, 31)
    child = Observation.objects.get(place=italy, disaggregation_key="age=0-17;sex=female")
    assert child.disaggregation == {"age": "0-17", "sex": "female"}
    quarter = Observation.objects.get(place__code="300")
    assert quarter.period_precision == PeriodPrecision.QUARTER
    assert (quarter.period_start, quarter.period_end) == (dt.date(2021, 4, 1), dt.date(2021, 6, 30))
    month = Observation.objects.get(place__code="CENTRAL_MEDITERRANEAN_ROUTE")
    assert month.period_label == "2021-03"
    dataset = Dataset.objects.get(name="tidy.csv")
    assert (dataset.rows, dataset.version, dataset.source) == (7, 1, "Test")
    assert len(dataset.checksum) == 64


def test_dimension_names_are_canonical(deaths, write_file):
    text = "Year,GeoCode, Migratory  Status ,Value\n2019,FRA,migrant,4\n"
    run(write_file("t.csv", text), indicator="MMP_DEAD_MISSING")
    assert Observation.objects.get().disaggregation_key == "migratory status=migrant"


def test_hxl_csv(deaths, write_file):
    report = run(write_file("deaths.csv", HXL))
    assert (report.rows, report.kind) == (3, DatasetKind.HXL_CSV)
    libya = Observation.objects.filter(place__iso3="LBY")
    assert libya.count() == 3  # LBY and M49 434 are the same place
    tagged = libya.get(disaggregation_key="sex=f")
    assert (tagged.value, tagged.note) == (10, "first")


def test_hxl_without_value_column_is_refused(deaths, write_file):
    text = "A,B,C\n#indicator+code,#country+code,#date+year\nMMP_DEAD_MISSING,FRA,2019\n"
    error = rejected(write_file("h.csv", text))
    assert "value" in error.message
    assert Observation.objects.count() == 0


def test_xlsx_of_either_shape(deaths, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Year", "GeoCode", "Value"])
    sheet.append([2018, "FRA", 12])
    sheet.append([2019, "FRA", 13.5])
    path = tmp_path / "figures.xlsx"
    workbook.save(path)
    report = run(path, indicator="MMP_DEAD_MISSING")
    assert (report.rows, report.kind) == (2, DatasetKind.TIDY_XLSX)
    assert sorted(Observation.objects.values_list("value", flat=True)) == [12, 13.5]

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Country", "Year", "Value"])
    sheet.append(["#indicator+code", "#country+code", "#date+year", "#indicator+num"])
    sheet.append(["MMP_DEAD_MISSING", "DEU", 2020, 3])
    hxl_path = tmp_path / "hxl.xlsx"
    workbook.save(hxl_path)
    report = run(hxl_path)
    assert (report.rows, report.kind) == (1, DatasetKind.HXL_XLSX)


def test_second_import_of_the_same_file_changes_nothing(deaths, write_file):
    path = write_file("tidy.csv", TIDY)
    first = run(path, indicator="MMP_DEAD_MISSING")
    ids = sorted(Observation.objects.values_list("id", flat=True))
    second = run(path, indicator="MMP_DEAD_MISSING")
    assert second.unchanged
    assert second.version == first.version == 1
    assert sorted(Observation.objects.values_list("id", flat=True)) == ids
    assert Dataset.objects.get().versions.count() == 1


def test_reimport_replaces_own_rows_keeps_and_restores_previous(deaths, write_file):
    path = write_file("series.csv", "Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,2\n")
    run(path, indicator="MMP_DEAD_MISSING", dataset="France")
    path.write_text("Year,GeoCode,Value\n2020,FRA,20\n2021,FRA,21\n2022,FRA,22\n")
    report = run(path, indicator="MMP_DEAD_MISSING", dataset="France")
    assert (report.version, report.rows, report.replaced) == (2, 3, 2)
    assert sorted(Observation.objects.values_list("value", flat=True)) == [20, 21, 22]
    assert ArchivedObservation.objects.count() == 2

    dataset = Dataset.objects.get(name="France")
    dataset_restore(dataset=dataset, number=1)
    assert sorted(Observation.objects.values_list("value", flat=True)) == [1, 2]
    assert ArchivedObservation.objects.filter(version__number=2).count() == 3
    dataset.refresh_from_db()
    assert (dataset.version, dataset.rows) == (1, 2)

    call_command("datasets", "--restore", "France", "2", stdout=io.StringIO())
    assert sorted(Observation.objects.values_list("value", flat=True)) == [20, 21, 22]


def test_one_bad_value_refuses_the_file_naming_row_and_column(deaths, write_file):
    path = write_file("bad.csv", "Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,1o0\n2021,FRA,3\n")
    error = rejected(path, indicator="MMP_DEAD_MISSING")
    assert error.details == [
        {"line": 3, "column": "Value", "message": "'1o0' is not a number", "value": "1o0"}
    ]
    assert "line 3" in error.message
    assert Observation.objects.count() == 0
    assert Dataset.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("2019,FRA,NOPE,1", "indicator", "unknown indicator 'NOPE'"),
        ("2019,XX,MMP_DEAD_MISSING,1", "GeoCode", "unknown place code 'XX'"),
        ("2019,999,MMP_DEAD_MISSING,1", "GeoCode", "unknown place code '999'"),
        ("2019,Central Med,MMP_DEAD_MISSING,1", "GeoCode", "unknown place"),
        ("1850,FRA,MMP_DEAD_MISSING,1", "Year", "before 1900"),
        ("2019-13,FRA,MMP_DEAD_MISSING,1", "Year", "not a valid period"),
    ],
)
def test_each_rule_names_row_and_column(deaths, write_file, row, column, words):
    text = f"Year,GeoCode,Indicator,Value\n2018,FRA,MMP_DEAD_MISSING,5\n{row}\n"
    error = rejected(write_file("f.csv", text))
    assert len(error.details) == 1
    problem = error.details[0]
    assert (problem["line"], problem["column"]) == (3, column)
    assert words in problem["message"]
    assert Observation.objects.count() == 0


def test_period_in_the_future_is_refused(deaths, write_file):
    year = timezone.localdate().year + 1
    error = rejected(
        write_file("f.csv", f"Year,Value\n{year},1\n"), indicator="MMP_DEAD_MISSING", place="FRA"
    )
    assert "future" in error.details[0]["message"]


def test_duplicate_key_within_the_file(deaths, write_file):
    text = "Year,GeoCode,Sex,Value\n2019,FRA,female,1\n2019,FRA,male,2\n2019,250,female,3\n"
    error = rejected(write_file("d.csv", text), indicator="MMP_DEAD_MISSING")
    assert error.details == [
        {
            "line": 4,
            "column": "key",
            "message": "repeats line 2: same indicator, place, period, series, units and "
            "disaggregation",
        }
    ]
    assert Observation.objects.count() == 0


def test_value_held_by_another_dataset_is_refused(deaths, write_file):
    run(write_file("a.csv", "Year,GeoCode,Value\n2019,FRA,1\n"), indicator="MMP_DEAD_MISSING")
    error = rejected(
        write_file("b.csv", "Year,GeoCode,Value\n2018,FRA,1\n2019,FRA,2\n"),
        indicator="MMP_DEAD_MISSING",
    )
    assert error.details[0]["line"] == 3
    assert "'a.csv' already holds" in error.details[0]["message"]
    assert Observation.objects.count() == 1


def test_all_problems_are_reported_not_only_the_first(deaths, write_file):
    text = "Year,GeoCode,Value\n1800,FRA,x\n2019,ZZZ,1\n"
    error = rejected(write_file("m.csv", text), indicator="MMP_DEAD_MISSING")
    assert [(p["line"], p["column"]) for p in error.details] == [
        (2, "Year"),
        (2, "Value"),
        (3, "GeoCode"),
    ]


def test_place_from_option_when_no_geocode_column(deaths, write_file):
    run(write_file("w.csv", "Year,Value\n2019,1\n"), indicator="MMP_DEAD_MISSING", place="001")
    assert Observation.objects.get().place.name == "World"


def test_without_place_or_indicator_the_file_is_refused(deaths, write_file):
    error = rejected(write_file("w.csv", "Year,Value\n2019,1\n"), indicator="MMP_DEAD_MISSING")
    assert "GeoCode" in error.message
    error = rejected(write_file("w.csv", "Year,GeoCode,Value\n2019,FRA,1\n"))
    assert "--indicator" in error.message


def test_dry_run_writes_nothing(deaths, write_file):
    report = run(write_file("tidy.csv", TIDY), indicator="MMP_DEAD_MISSING", dry_run=True)
    assert report.rows == 7
    assert "Dry run" in report.summary()
    assert Observation.objects.count() == 0
    assert Dataset.objects.count() == 0
    assert not Place.objects.filter(code="380").exists()


def test_import_command(deaths, write_file):
    path = write_file("deaths.csv", HXL)
    out = io.StringIO()
    call_command("import", "observations", str(path), "--source", "IOM", stdout=out)
    assert "3 observations imported" in out.getvalue()
    call_command("import", "observations", str(path), stdout=out)
    assert "nothing changed" in out.getvalue()
    bad = write_file("bad.csv", "Year,GeoCode,Value\n2019,FRA,abc\n")
    with pytest.raises(CommandError, match=r"line 2, column 'Value'"):
        call_command("import", "observations", str(bad), "--indicator", "MMP_DEAD_MISSING")


def test_xlsx_with_an_xml_entity_is_refused(deaths, tmp_path):
    import zipfile

    workbook = Workbook()
    workbook.active.append(["Year", "GeoCode", "Value"])
    workbook.active.append([2019, "FRA", 1])
    plain = tmp_path / "plain.xlsx"
    workbook.save(plain)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;">]>' + data
            target.writestr(item, data)
    error = rejected(bomb, indicator="MMP_DEAD_MISSING")  # refused before openpyxl reads
    assert "DTD" in error.message
    assert Observation.objects.count() == 0


def test_unreadable_files_are_refused(deaths, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Year,GeoCode,Value,Note\n2019,FRA,1,Bogot\xe1\n".encode("latin-1"))
    assert "UTF-8" in rejected(latin, indicator="MMP_DEAD_MISSING").message
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "XLSX" in rejected(fake, indicator="MMP_DEAD_MISSING").message


def test_line_numbers_count_line_breaks_inside_quoted_cells(deaths, write_file):
    text = 'Year,GeoCode,Note,Value\n2018,FRA,"two\nlines",5\n2019,FRA,,x\n'
    error = rejected(write_file("q.csv", text), indicator="MMP_DEAD_MISSING")
    assert error.details == [
        {"line": 4, "column": "Value", "message": "'x' is not a number", "value": "x"}
    ]


def test_ragged_rows_and_blank_lines_are_read_row_by_row(deaths, write_file):
    text = "Year,GeoCode,Sex,Value\n2018,FRA,,5\n\n2019,FRA,female,6,extra\n,,,\n2020,FRA\n"
    skipped = run(write_file("r.csv", text), indicator="MMP_DEAD_MISSING", dry_run=True)
    assert skipped.skipped == 1
    assert skipped.warnings[0].as_dict() == {
        "line": 6,
        "column": "Value",
        "message": "no figure: row skipped",
        "severity": "warning",
    }
    report = run(
        write_file("r.csv", text.replace("2020,FRA\n", "2020,FRA,,7\n")),
        indicator="MMP_DEAD_MISSING",
    )
    assert report.rows == 3
    assert sorted(Observation.objects.values_list("value", flat=True)) == [5, 6, 7]


def test_many_bad_rows_are_counted_and_the_first_named(deaths, write_file):
    rows = "".join(f"{1950 + n},FRA,x{n}\n" for n in range(60))
    error = rejected(
        write_file("x.csv", "Year,GeoCode,Value\n" + rows), indicator="MMP_DEAD_MISSING"
    )
    assert "60 problem(s)" in error.message
    assert [p["line"] for p in error.details] == list(range(2, 62))
    assert Observation.objects.count() == 0


def test_status_column_is_checked(deaths, write_file):
    text = "Year,GeoCode,Status,Value\n2018,FRA,Provisional,5\n2019,FRA,maybe,6\n"
    report = run(write_file("s.csv", text), indicator="MMP_DEAD_MISSING")
    assert [(w.line, w.column, w.value) for w in report.warnings] == [(3, "Status", "maybe")]
    assert "kept without a status" in report.warnings[0].message
    assert sorted(Observation.objects.values_list("status", "obs_status")) == [
        ("final", ""),
        ("provisional", "P"),
    ]

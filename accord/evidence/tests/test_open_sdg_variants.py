"""Open SDG data files in the shapes national platforms (and the spreadsheets behind them)
publish: a byte-order mark and CRLF, quoted commas, years written ``2019.0``,
``2015/2016`` or ``2019 Q1``, statuses and multipliers as codes or labels, place codes of
every kind, blank breakdowns meaning the total, and the files that are not comma-
separated, which are refused saying so. A second import of each changes nothing."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accord.evidence.importing import ImportRejected
from accord.evidence.models import Observation, PeriodPrecision
from accord.evidence.tests.conftest import import_into_refugees

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "publishers"
EXPORT = DATA / "open-sdg-spreadsheet-export.csv"


@pytest.fixture
def indicator(refugees):
    return refugees


run = import_into_refugees


def rejected(path, **options):
    with pytest.raises(ImportRejected) as caught:
        run(path, **options)
    assert not Observation.objects.exists()
    return caught.value


def rows():
    return list(
        Observation.objects.order_by("period_start", "disaggregation_key", "value").values_list(
            "place__code",
            "period_start",
            "period_end",
            "period_precision",
            "value",
            "disaggregation_key",
            "obs_status",
            "unit_multiplier",
        )
    )


def test_a_spreadsheet_export_with_bom_crlf_and_labels(indicator):
    out = StringIO()
    call_command("import", "observations", str(EXPORT), "--indicator", indicator.code, stdout=out)
    assert "created 6, updated 0, unchanged 0, skipped 1, warnings 1" in out.getvalue()
    assert "line 6, column 'Value': no figure: row skipped" in out.getvalue()
    year = (dt.date(2019, 1, 1), dt.date(2019, 12, 31), PeriodPrecision.YEAR)
    quarter = (dt.date(2019, 1, 1), dt.date(2019, 3, 31), PeriodPrecision.QUARTER)
    assert set(rows()) == {
        ("380", *year, 30, "age=15-24", "E", 3),  # " estimated  value " is E
        ("380", *year, 60, "sex=Female", "E", 3),  # the category as written
        ("380", *year, 120.5, "", "A", 3),  # blank Sex and Age: the total
        ("004", *quarter, 1.2, "", "P", 6),  # M49 written without its leading zeros
        ("380", dt.date(2020, 1, 1), dt.date(2020, 12, 31), PeriodPrecision.YEAR, 125, "", "P", 3),
        ("004", dt.date(2015, 1, 1), dt.date(2016, 12, 31), PeriodPrecision.RANGE, 4000, "", "", 0),
    }
    female = Observation.objects.get(disaggregation_key="sex=Female")
    assert female.note == "Estimated, from the census"  # a quoted comma stays in its cell
    quarter_row = Observation.objects.get(period_precision=PeriodPrecision.QUARTER)
    assert quarter_row.status == "provisional"
    again = StringIO()
    call_command("import", "observations", str(EXPORT), "--indicator", indicator.code, stdout=again)
    assert "nothing changed" in again.getvalue()
    assert Observation.objects.count() == 6


def test_the_api_reads_the_same_export(indicator, api_client, admin_user):
    upload = SimpleUploadedFile(EXPORT.name, EXPORT.read_bytes(), content_type="text/csv")
    answer = api_client(admin_user).post(
        "/api/v1/indicators/import", {"file": upload, "indicator": indicator.code}
    )
    assert answer.status_code == 200, answer.content
    [warning] = answer.json()["warnings"]
    assert (warning["line"], warning["column"]) == (6, "Value")
    assert Observation.objects.count() == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Year,Value\n2019,4\n", [("250", 2019, "year", 4.0, "")]),  # --place: France
        ("year,geocode,UNITS,value\n2019,ITA,Number,1\n", [("380", 2019, "year", 1.0, "")]),
        ("Year,Units,Series,GeoCode,Value\n2019,,,ITA,1\n", [("380", 2019, "year", 1.0, "")]),
        (
            "Year,GeoCode,Value\n2019,IT,1\n2020,ITA,2\n",
            [("380", 2019, "year", 1.0, ""), ("380", 2020, "year", 2.0, "")],
        ),
        (
            "Year,GeoCode,Value\n2019,004,1\n2020,4,2\n",
            [("004", 2019, "year", 1.0, ""), ("004", 2020, "year", 2.0, "")],
        ),
        (
            "Year,GeoCode,Value\n2019,,1\n2019,ITA,2\n",
            [("250", 2019, "year", 1.0, ""), ("380", 2019, "year", 2.0, "")],
        ),
        (
            "Year,GeoCode,Value\n2019-Q1,ITA,1\n2019 Q2,ITA,2\n",
            [("380", 2019, "quarter", 1.0, ""), ("380", 2019, "quarter", 2.0, "")],
        ),
        (
            "Year,GeoCode,Value\n2015-2016,ITA,1\n1980 to 1990,ITA,2\n",
            [("380", 1980, "range", 2.0, ""), ("380", 2015, "range", 1.0, "")],
        ),
        (
            'Year,Series,GeoCode,Value\n2019,"Refugees, all",ITA," 4 "\n',
            [("380", 2019, "year", 4.0, "")],
        ),
        (
            "Year,Sex,Age,GeoCode,Value\n2019,,,ITA,4\n2019,female,,ITA,2\n",
            [("380", 2019, "year", 2.0, "sex=female"), ("380", 2019, "year", 4.0, "")],
        ),
    ],
)
def test_each_shape_imports_and_again_changes_nothing(indicator, write_file, text, expected):
    path = write_file("shape.csv", text)
    report = run(path, place="FRA")
    assert (report.rows, report.warnings) == (len(expected), [])
    found = Observation.objects.order_by("period_start", "place__code", "value").values_list(
        "place__code", "period_start__year", "period_precision", "value", "disaggregation_key"
    )
    assert sorted(found) == sorted(expected)
    assert run(path, place="FRA").unchanged


@pytest.mark.parametrize(
    ("text", "statuses", "multipliers"),
    [
        (
            "Year,Observation status,Unit multiplier,GeoCode,Value\n"
            "2017,A,Units,ITA,1\n2018,E,Thousands,ITA,2\n2019,P,Millions,ITA,3\n"
            "2020,estimated value,6,ITA,4\n2021,  Provisional   value ,0,ITA,5\n"
            "2022,Normal value,,ITA,6\n",
            ["A", "E", "P", "E", "P", "A"],
            [0, 3, 6, 6, 0, None],
        ),
    ],
)
def test_statuses_and_multipliers_as_codes_and_labels(
    indicator, write_file, text, statuses, multipliers
):
    report = run(write_file("codes.csv", text))
    assert report.warnings == []
    found = Observation.objects.order_by("period_start")
    assert [row.obs_status for row in found] == statuses
    assert [row.unit_multiplier for row in found] == multipliers


@pytest.mark.parametrize("text", ["Year,GeoCode,Value\n", "Year,Units,GeoCode,Value\r\n"])
def test_a_header_only_file_is_an_empty_dataset(indicator, write_file, text):
    path = write_file("empty.csv", text)
    report = run(path)
    assert (report.rows, report.warnings) == (0, [])
    assert "no figures yet" in report.message
    assert run(path).unchanged


@pytest.mark.parametrize(
    ("path_or_text", "words"),
    [
        (DATA / "open-sdg-semicolons.csv", "separated by semicolons"),
        ("Year\tGeoCode\tValue\n2019\tITA\t4\n", "separated by tabs"),
    ],
)
def test_a_file_not_separated_by_commas_is_refused_saying_so(
    indicator, write_file, path_or_text, words
):
    path = path_or_text if isinstance(path_or_text, Path) else write_file("t.csv", path_or_text)
    error = rejected(path)
    assert words in error.message
    assert "commas" in error.message
    assert error.details[0]["line"] == 1


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('Year,GeoCode,Value\n2018,ITA,1\n2019,ITA,"12,5"\n', 3, "Value", "a decimal comma"),
        ('Year,GeoCode,Value\n2019,ITA,"1,234"\n', 2, "Value", "thousands separator"),
        ("Year,GeoCode,Value\n2019,ITA,n/a\n", 2, "Value", "'n/a' is not a number"),
        ("Year,GeoCode,Value\n2019,ITA,1\n2019,XK9,2\n", 3, "GeoCode", "unknown place code 'XK9'"),
        ("Year,GeoCode,Value\n2019-Q5,ITA,1\n", 2, "Year", "is not a period"),
        ("Year,GeoCode,Value\n2019,ITA,1\n2019.0,ITA,2\n", 3, "key", "repeats line 2"),
    ],
)
def test_hard_errors_refuse_the_file_naming_row_and_column(
    indicator, write_file, text, line, column, words
):
    error = rejected(write_file("hard.csv", text))
    assert (error.details[0]["line"], error.details[0]["column"]) == (line, column)
    assert words in error.details[0]["message"]


def test_a_file_not_in_utf8_is_refused_saying_so(indicator, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Year,Sex,GeoCode,Value\n2019,fémmina,ITA,4\n".encode("latin-1"))
    error = rejected(path)
    assert "not UTF-8" in error.message


def test_the_import_page_reads_the_export_and_names_the_separator(client, make_user, indicator):
    client.force_login(make_user("s", ("IOM-RO-BRU", "secretariat")))

    def upload(path):
        data = {
            "upload": SimpleUploadedFile(path.name, path.read_bytes(), "text/csv"),
            "indicator": indicator.code,
        }
        return client.post(reverse("evidence-import"), data).content.decode()

    body = upload(DATA / "open-sdg-semicolons.csv")
    assert "The file was refused" in body
    assert "separated by semicolons" in body
    assert "6 observations imported" in upload(EXPORT)
    assert Observation.objects.count() == 6

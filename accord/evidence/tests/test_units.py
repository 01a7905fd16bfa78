import datetime as dt
import io

import pytest
from django.core.management import call_command

from accord.core.spreadsheets import neutralise
from accord.evidence.importing import Options, disaggregation_key, observations_import
from accord.evidence.models import Observation, ObservationStatus, PeriodPrecision
from accord.evidence.periods import parse_period
from accord.evidence.places import place_find


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2015", dt.date(2015, 1, 1), dt.date(2015, 12, 31), PeriodPrecision.YEAR),
        (2015, dt.date(2015, 1, 1), dt.date(2015, 12, 31), PeriodPrecision.YEAR),
        ("2016Q1", dt.date(2016, 1, 1), dt.date(2016, 3, 31), PeriodPrecision.QUARTER),
        ("2016-q4", dt.date(2016, 10, 1), dt.date(2016, 12, 31), PeriodPrecision.QUARTER),
        ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29), PeriodPrecision.MONTH),
        ("2016-02-03", dt.date(2016, 2, 3), dt.date(2016, 2, 3), PeriodPrecision.DAY),
        (
            "2016-01-01/2016-06-30",
            dt.date(2016, 1, 1),
            dt.date(2016, 6, 30),
            PeriodPrecision.RANGE,
        ),
    ],
)
def test_periods(text, start, end, precision):
    assert parse_period(text) == (start, end, precision)


@pytest.mark.parametrize("text", ["", "15", "2016-Q5", "2016-02-30", "2016-06-30/2016-01-01"])
def test_bad_periods(text):
    with pytest.raises(ValueError, match="period"):
        parse_period(text)


def test_disaggregation_key_is_canonical():
    assert disaggregation_key({"sex": "female", "age": "0-17"}) == "age=0-17;sex=female"
    assert disaggregation_key({}) == ""


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Libya", "Libya"),
        (-5, -5),
        (3.5, 3.5),
    ],
)
def test_neutralise(value, shown):
    assert neutralise(value) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name"),
    [("380", "Italy"), ("ITA", "Italy"), ("it", "Italy"), ("1", "World"), ("150", "Europe")],
)
def test_place_codes(code, name):
    assert place_find(code).name == name


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XX", "999", "Italy", "CENTRAL_MED"])
def test_unknown_place_is_never_guessed(code):
    assert place_find(code) is None


@pytest.mark.django_db
def test_status_source_and_region_columns(deaths, write_file):
    text = (
        "Indicator,Region,Year,Deaths,Status,Source\n"
        "#indicator+code,#region+code,#date+year,#indicator+value,#status,#meta+source\n"
        "MMP_DEAD_MISSING,150,2023,12,provisional,IOM\n"
    )
    observations_import(path=write_file("r.csv", text), options=Options())
    observation = Observation.objects.get()
    assert (observation.place.name, observation.status, observation.source) == (
        "Europe",
        ObservationStatus.PROVISIONAL,
        "IOM",
    )


@pytest.mark.django_db
def test_export_command(deaths, write_file, tmp_path):
    text = "Year,GeoCode,Value,Note\n2019,FRA,1,=cmd\n"
    observations_import(path=write_file("e.csv", text), options=Options(indicator=deaths.code))
    out = io.StringIO()
    call_command("export", "observations", "--indicator", deaths.code, stdout=out)
    assert "MMP_DEAD_MISSING,250,France,2019,,,1,persons,,final,,,'=cmd" in out.getvalue()
    target = tmp_path / "out.xlsx"
    call_command(
        "export",
        "observations",
        "--indicator",
        deaths.code,
        "--format",
        "xlsx",
        "-o",
        str(target),
        stdout=out,
    )
    assert target.read_bytes()[:2] == b"PK"

"""Files of other platforms and publishers: Open SDG's data and metadata format, SDMX-ML
(generic, structure-specific) and SDMX-CSV (1.0, 2.0); their soft problems are warnings
kept with the import and the indicator, their hard errors refuse the whole file."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from accord.evidence.importing import ImportRejected, Options, observations_import
from accord.evidence.models import (
    Dataset,
    DatasetKind,
    Indicator,
    Observation,
    PeriodPrecision,
    Place,
)
from accord.evidence.selectors import indicator_data_quality

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(code="SDG_10_7_4", name="Refugees", unit="per 100,000")


def run(path, **options):
    return observations_import(path=path, options=Options(**options))


def rejected(path, **options):
    with pytest.raises(ImportRejected) as caught:
        run(path, **options)
    return caught.value


# --- the real Open SDG files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rows", "warnings"),
    [
        ("kazstat-indicator_10-7-4.csv", 3, 0),
        ("kazstat-indicator_11-1-1.csv", 247, 21),
        ("kazstat-indicator_16-2-1.csv", 49, 16),
    ],
)
def test_real_open_sdg_files_import_as_they_are(indicator, name, rows, warnings):
    report = run(DATA / name, indicator=indicator.code, place="KAZ")
    assert (report.rows, len(report.warnings)) == (rows, warnings)
    for warning in report.warnings:  # the regions' older ISO 3166-2 codes, kept as written
        assert warning.field == "REF_AREA"
        assert warning.line > 1
        assert "subdivision of Kazakhstan" in warning.message
    assert indicator_data_quality(indicator).count() == warnings
    again = run(DATA / name, indicator=indicator.code, place="KAZ")
    assert again.unchanged
    assert Observation.objects.filter(indicator=indicator).count() == rows


def test_open_sdg_sdmx_coded_columns(indicator):
    run(DATA / "kazstat-indicator_16-2-1.csv", indicator=indicator.code, place="KAZ")
    kazakhstan = Place.objects.get(iso3="KAZ")
    total = Observation.objects.get(
        place=kazakhstan, period_start=dt.date(2010, 1, 1), disaggregation_key=""
    )
    assert (total.value, total.units, total.series) == (49.4, "PT", "")
    urban = Observation.objects.get(
        place=kazakhstan, period_start=dt.date(2010, 1, 1), disaggregation_key="urbanisation=U"
    )
    assert urban.value == 48.9
    region = Observation.objects.get(place__code="KZ-AKM", period_start=dt.date(2010, 1, 1))
    assert region.place.kind == "subdivision"
    assert region.value == 59.7


def test_leading_spaces_in_values_are_read(indicator):
    run(DATA / "kazstat-indicator_10-7-4.csv", indicator=indicator.code, place="KAZ")
    assert sorted(Observation.objects.values_list("value", flat=True)) == [1.5, 14.6, 16.57]


OPEN_SDG = """Year,Series,Units,Unit multiplier,Observation status,Sex,COMMENT_OBS,GeoCode,Value
2019,SM_POP_REFG,Number,Thousands,Normal value,,,ITA,100
2019,SM_POP_REFG,Number,3,E,female,Estimated from the census,ITA,40
2019,SM_POP_REFG,Percent,,Provisional value,,,ITA,1.5
2019 Q1,SM_POP_REFG_OR,Number,,B,,,ITA,20
1980 to 1990,SM_POP_REFG,Number,,,,,ITA,7
1991-2000,SM_POP_REFG,Number,,,,,ITA,8
"""


def test_open_sdg_columns(indicator, write_file):
    report = run(write_file("open-sdg.csv", OPEN_SDG), indicator=indicator.code)
    assert (report.rows, report.warnings) == (6, [])
    rows = Observation.objects.filter(indicator=indicator)
    number = rows.get(
        series="SM_POP_REFG",
        units="Number",
        period_start=dt.date(2019, 1, 1),
        disaggregation_key="",
    )
    percent = rows.get(series="SM_POP_REFG", units="Percent")
    assert (number.value, percent.value) == (100, 1.5)  # same period: two series of units
    assert (number.unit_multiplier, number.obs_status, number.status) == (3, "A", "final")
    female = rows.get(disaggregation_key="sex=female")
    assert (female.obs_status, female.obs_status_label) == ("E", "Estimated value")
    assert female.note == "Estimated from the census"
    assert (percent.obs_status, percent.status) == ("P", "provisional")
    quarter = rows.get(series="SM_POP_REFG_OR")
    assert (quarter.period_precision, quarter.obs_status) == (PeriodPrecision.QUARTER, "B")
    span = rows.get(value=7)
    assert (span.period_start, span.period_end) == (dt.date(1980, 1, 1), dt.date(1990, 12, 31))
    assert rows.get(value=8).period_end == dt.date(2000, 12, 31)


def test_a_file_with_no_data_yet_is_an_empty_dataset_with_a_message(indicator, write_file):
    report = run(write_file("none.csv", "Year,Value\n"), indicator=indicator.code, place="ITA")
    assert report.rows == 0
    assert "no figures yet" in report.message
    version = Dataset.objects.get(name="none.csv").versions.get()
    assert (version.rows, version.is_current) == (0, True)
    assert "no figures yet" in version.message


# --- soft problems: a warning each, kept with the import and the indicator -------------


@pytest.mark.parametrize(
    ("text", "line", "column", "value", "words"),
    [
        (
            "Year,Observation status,Value\n2019,Q-ish,4\n",
            2,
            "Observation status",
            "Q-ish",
            "kept without a status",
        ),
        (
            "Year,Unit multiplier,Value\n2019,Zillions,4\n",
            2,
            "Unit multiplier",
            "Zillions",
            "kept without one",
        ),
        ("Year,Value\n2018,3\n2019,\n", 3, "Value", "", "no figure: row skipped"),
        (
            "Year,REF_AREA,Value\n2019,,5\n2019,KZXYZ,4\n",
            3,
            "REF_AREA",
            "KZXYZ",
            "subdivision of Kazakhstan",
        ),
    ],
)
def test_each_soft_problem_is_a_warning(indicator, write_file, text, line, column, value, words):
    report = run(write_file("soft.csv", text), indicator=indicator.code, place="KAZ")
    [warning] = report.warnings
    assert (warning.line, warning.field, warning.value) == (line, column, value)
    assert words in warning.message
    [kept] = indicator_data_quality(indicator)
    assert (kept.line, kept.field, kept.value, kept.run.file_name) == (
        line,
        column,
        value,
        "soft.csv",
    )
    assert Observation.objects.filter(indicator=indicator).exists()


def test_no_guess_for_a_subdivision_of_another_country(indicator, write_file):
    error = rejected(
        write_file("h.csv", "Year,REF_AREA,Value\n2019,FRXYZ,4\n"),
        indicator=indicator.code,
        place="KAZ",
    )
    assert error.details[0]["line"] == 2
    assert error.details[0]["column"] == "REF_AREA"
    assert "unknown place code 'FRXYZ'" in error.details[0]["message"]


# --- hard errors: the whole file refused, naming line and column -----------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        (
            "Year,GeoCode,Value\n2019,ITA,1\n2019,ATLANTIS,2\n",
            3,
            "GeoCode",
            "unknown place code 'ATLANTIS'",
        ),
        ("Year,GeoCode,Value\n2019,ITA,1\n2020,ITA,lots\n", 3, "Value", "'lots' is not a number"),
        (
            "Year,Units,GeoCode,Value\n2019,Number,ITA,1\n2019,Number,ITA,2\n",
            3,
            "key",
            "repeats line 2",
        ),
        ("Year,GeoCode,Value\n1980 to 1970,ITA,1\n", 2, "Year", "ends before it starts"),
    ],
)
def test_each_hard_error_refuses_the_file(indicator, write_file, text, line, column, words):
    error = rejected(write_file("hard.csv", text), indicator=indicator.code)
    assert (error.details[0]["line"], error.details[0]["column"]) == (line, column)
    assert words in error.details[0]["message"]
    assert not Observation.objects.exists()


def test_same_period_in_two_units_is_no_repeat(indicator, write_file):
    text = "Year,Units,GeoCode,Value\n2019,Number,ITA,1\n2019,Percent,ITA,2\n"
    assert run(write_file("u.csv", text), indicator=indicator.code).rows == 2


# --- SDMX-ML --------------------------------------------------------------------------


def test_sdmx_ml_structure_specific_message(indicator):
    report = run(DATA / "estat-demography-structure-specific.xml", indicator=indicator.code)
    assert report.kind == DatasetKind.SDMX_ML
    assert (report.rows, report.skipped) == (55, 5)
    [missing, greece] = report.warnings
    assert (missing.field, missing.line) == ("OBS_VALUE", 45)
    assert (greece.field, greece.value) == ("COUNTRY", "EL")
    belgium = Observation.objects.get(
        place__iso2="BE", period_start=dt.date(2008, 1, 1), disaggregation_key="demo=LBIRTHST;sex=T"
    )
    assert (belgium.value, belgium.obs_status, belgium.units, belgium.unit_multiplier) == (
        124991,
        "P",
        "PERS",
        0,
    )
    assert Observation.objects.filter(place__iso2="GR").exists()
    assert run(DATA / "estat-demography-structure-specific.xml", indicator=indicator.code).unchanged


def test_sdmx_ml_generic_message(indicator):
    report = run(DATA / "generic-message.xml", indicator=indicator.code)
    assert (report.kind, report.rows, report.warnings) == (DatasetKind.SDMX_ML, 3, [])
    female = Observation.objects.get(period_start=dt.date(2019, 1, 1), disaggregation_key="sex=F")
    assert (female.value, female.obs_status, female.unit_multiplier) == (12.5, "E", 3)
    assert female.note == "Estimated from the survey"
    total = Observation.objects.get(period_start=dt.date(2019, 1, 1), disaggregation_key="")
    assert (total.value, total.status) == (25, "provisional")  # SEX=_T is the total


def test_sdmx_ml_bad_value_names_its_line(indicator, tmp_path):
    text = (DATA / "generic-message.xml").read_text().replace('value="13"', 'value="thirteen"')
    path = tmp_path / "bad.xml"
    path.write_text(text)
    error = rejected(path, indicator=indicator.code)
    assert error.details[0]["line"] == 25  # where the observation starts
    assert error.details[0]["column"] == "OBS_VALUE"


def test_sdmx_ml_with_a_dtd_is_refused(indicator, tmp_path):
    text = (DATA / "generic-message.xml").read_text()
    bomb = text.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    )
    path = tmp_path / "bomb.xml"
    path.write_text(bomb)
    error = rejected(path, indicator=indicator.code)
    assert "DTD" in error.message
    assert not Observation.objects.exists()


# --- SDMX-CSV -------------------------------------------------------------------------

SDMX_CSV_1 = """\
DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT,COMMENT_OBS,DECIMALS
UNHCR:REFUGEES(1.0),FRA,F,2019,10,A,3,,0
UNHCR:REFUGEES(1.0),FRA,_T,2019,25,E,3,Estimate,0
UNHCR:REFUGEES(1.0),DE,_T,2019-Q1,7,,,,0
"""


def test_sdmx_csv_1(indicator, write_file):
    report = run(write_file("sdmx1.csv", SDMX_CSV_1), indicator=indicator.code)
    assert (report.kind, report.rows) == (DatasetKind.SDMX_CSV, 3)
    [decimals] = report.warnings  # an attribute Accord does not keep
    assert (decimals.field, decimals.line) == ("DECIMALS", 1)
    total = Observation.objects.get(place__iso3="FRA", disaggregation_key="")
    assert (total.value, total.obs_status, total.unit_multiplier, total.note) == (
        25,
        "E",
        3,
        "Estimate",
    )
    assert Observation.objects.get(place__iso2="DE").period_precision == PeriodPrecision.QUARTER


def test_sdmx_csv_1_names_the_indicator_by_its_dataflow(indicator, write_file):
    text = SDMX_CSV_1.replace("UNHCR:REFUGEES(1.0)", "ACCORD:SDG_10_7_4(1.0)")
    assert run(write_file("flow.csv", text)).rows == 3
    error = rejected(write_file("other.csv", SDMX_CSV_1))
    assert "unknown indicator 'REFUGEES'" in error.details[0]["message"]


def test_sdmx_csv_with_labels(indicator, write_file):
    text = (
        "DATAFLOW,REF_AREA: Reference area,SEX: Sex,TIME_PERIOD: Time,OBS_VALUE,"
        "OBS_STATUS: Observation status\n"
        "X:Y(1.0),FR: France,F: Female,2019,10,A: Normal value\n"
    )
    run(write_file("labels.csv", text), indicator=indicator.code)
    row = Observation.objects.get()
    assert (row.place.iso2, row.disaggregation_key, row.obs_status) == ("FR", "sex=F", "A")


def test_sdmx_csv_2_of_the_standard(indicator):
    path = DATA / "sdmx-csv-2.0-example-01.csv"
    error = rejected(path, indicator=indicator.code, place="FRA")
    assert error.details[0]["column"] == "TIME_PERIOD"  # named, never guessed
    report = run(path, indicator=indicator.code, place="FRA", period_column="DIM_3")
    assert (report.kind, report.rows) == (DatasetKind.SDMX_CSV, 2)
    assert {w.field for w in report.warnings} == {"ATTR_1", "ATTR_2", "ATTR_3", "UPDATED"}
    first = Observation.objects.get(period_start=dt.date(2014, 1, 1))
    assert (first.value, first.disaggregation_key) == (12.4, "dim_1=A;dim_2=B")


def test_sdmx_csv_2_deletions_are_skipped(indicator, write_file):
    text = (
        "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,OBS_VALUE\n"
        "dataflow,X:Y(1.0),I,FRA,2019,4\n"
        "dataflow,X:Y(1.0),D,FRA,2020,\n"
    )
    report = run(write_file("sdmx2.csv", text), indicator=indicator.code)
    assert (report.rows, report.skipped) == (1, 1)
    assert report.warnings[0].field == "ACTION"


# --- exports and round trips ------------------------------------------------------------


def _export(indicator, fmt, tmp_path):
    out = tmp_path / f"export.{fmt}"
    call_command(
        "export",
        "observations",
        "--indicator",
        indicator.code,
        "--format",
        fmt,
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    return out


@pytest.mark.parametrize("fmt", ["sdmx-csv", "csv"])
def test_round_trip_changes_nothing(indicator, write_file, tmp_path, fmt):
    run(write_file("open-sdg.csv", OPEN_SDG), indicator=indicator.code, dataset="figures")
    run(DATA / "kazstat-indicator_16-2-1.csv", indicator=indicator.code, place="KAZ", dataset="kaz")
    before = sorted(
        Observation.objects.values_list(
            "place__code",
            "period_start",
            "period_end",
            "series",
            "units",
            "disaggregation_key",
            "value",
            "obs_status",
            "unit_multiplier",
            "note",
        )
    )
    exported = _export(indicator, fmt, tmp_path)
    text = exported.read_text(encoding="utf-8-sig")
    if fmt == "sdmx-csv":
        assert text.startswith(
            "DATAFLOW,SERIES,REF_AREA,AGE,SEX,URBANISATION,UNIT_MEASURE,TIME_PERIOD"
        )
        assert "1980-01-01/P11Y" in text
    Dataset.objects.all().delete()
    report = run(exported, indicator=indicator.code, dataset="again")
    assert report.warnings == []
    after = sorted(
        Observation.objects.values_list(
            "place__code",
            "period_start",
            "period_end",
            "series",
            "units",
            "disaggregation_key",
            "value",
            "obs_status",
            "unit_multiplier",
            "note",
        )
    )
    assert after == before
    second = run(
        _export(indicator, fmt, tmp_path),
        indicator=indicator.code,
        dataset="again",
    )
    assert second.unchanged


def test_sdmx_csv_export_page(client, indicator, write_file):
    run(write_file("open-sdg.csv", OPEN_SDG), indicator=indicator.code)
    response = client.get("/exports/observations.sdmx.csv", {"indicator": indicator.code})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith(
        "DATAFLOW,SERIES,REF_AREA,SEX,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT,COMMENT_OBS"
    )
    assert (
        "ACCORD:SDG_10_7_4(1.0),SM_POP_REFG,380,female,Number,2019,40,E,3,Estimated from the census"
        in text
    )
    assert client.get("/exports/observations.sdmx.csv").status_code == 400


# --- pages and API ----------------------------------------------------------------------


def test_indicator_page_and_api_show_status_footnotes_and_data_quality(
    client, indicator, write_file
):
    run(
        write_file("q.csv", OPEN_SDG.replace("Normal value", "Sort of normal")),
        indicator=indicator.code,
    )
    page = client.get(f"/evidence/indicators/{indicator.code}/", {"sex": "female"}).content.decode()
    assert "Estimated value (E)" in page
    assert "Estimated from the census" in page
    assert "Data quality" in page
    assert "Sort of normal" in page
    body = client.get(f"/api/v1/indicators/{indicator.code}").json()
    [warning] = body["data_quality"]
    assert (warning["field"], warning["value"], warning["line"]) == (
        "Observation status",
        "Sort of normal",
        2,
    )
    assert {"series": "SM_POP_REFG", "units": "Percent"} in body["series"]
    rows = client.get(f"/api/v1/indicators/{indicator.code}/observations").json()["items"]
    assert {(r["series"], r["units"], r["obs_status"]) for r in rows} >= {
        ("SM_POP_REFG", "Number", "E")
    }


def test_the_row_bound_holds_on_the_bulk_path(indicator, write_file, settings):
    settings.ACCORD_IMPORT_MAX_ROWS = 2
    error = rejected(
        write_file("many.csv", "Year,Value\n2017,1\n2018,2\n2019,3\n"),
        indicator=indicator.code,
        place="ITA",
    )
    assert "ACCORD_IMPORT_MAX_ROWS" in error.message
    assert not Observation.objects.exists()


def test_the_page_shows_one_unit_at_a_time_and_the_api_filters_by_series(
    client, indicator, write_file
):
    run(write_file("open-sdg.csv", OPEN_SDG), indicator=indicator.code)
    page = client.get(f"/evidence/indicators/{indicator.code}/").content.decode()
    assert 'name="units"' in page
    assert ">1.50</td>" not in page  # Percent is the second unit: Number is shown first
    percent = client.get(f"/evidence/indicators/{indicator.code}/", {"units": "Percent"})
    assert ">1.50</td>" in percent.content.decode()
    url = f"/api/v1/indicators/{indicator.code}/observations"
    rows = client.get(url, {"series": "SM_POP_REFG_OR"}).json()["items"]
    assert [(r["series"], r["value"]) for r in rows] == [("SM_POP_REFG_OR", 20)]
    assert client.get(url, {"units": "Furlongs"}).status_code == 422


def test_the_command_reads_sdmx_csv_2_with_its_period_column(indicator):
    out = io.StringIO()
    call_command(
        "import",
        "observations",
        str(DATA / "sdmx-csv-2.0-example-01.csv"),
        "--indicator",
        indicator.code,
        "--place",
        "FRA",
        "--period-column",
        "DIM_3",
        stdout=out,
    )
    text = out.getvalue()
    assert "2 observations imported (sdmx_csv)" in text
    assert "created 2, updated 0, unchanged 0, skipped 0, warnings 4" in text
    assert "warning: line 1, column 'ATTR_2'" in text

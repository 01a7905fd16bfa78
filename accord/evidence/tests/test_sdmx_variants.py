"""SDMX files as statistical offices write them: structure-specific messages whose series
and observations carry the structure's prefix (``ns1:``, even ``message:``), attributes at
the data set, series or observation, flat observations (``AllDimensions``), generic
messages without a place, several data sets, ``NaN`` for a missing figure; SDMX-CSV 1.0
written with labels (``GEO: Geopolitical entity``) and 2.0 with ``ACTION``. Each imports
once; a second import changes nothing."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accord.evidence.importing import ImportRejected
from accord.evidence.models import DatasetKind, Observation, PeriodPrecision
from accord.evidence.tests.conftest import import_into_refugees

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "publishers"
PREFIXED = DATA / "sdmx-ml-structure-specific-ns1.xml"
FLAT = DATA / "sdmx-ml-all-dimensions.xml"
GENERIC = DATA / "sdmx-ml-generic-no-place.xml"
LABELS = DATA / "sdmx-csv-1.0-estat-labels.csv"
CSV_2 = DATA / "sdmx-csv-2.0-iom.csv"


@pytest.fixture
def indicator(refugees):
    return refugees


run = import_into_refugees


def variant(tmp_path, old, new, name="variant.xml"):
    path = tmp_path / name
    path.write_text(PREFIXED.read_text().replace(old, new))
    return path


def figures():
    return {
        (row.place.code, row.period_start, row.period_precision, row.disaggregation_key): row
        for row in Observation.objects.select_related("place")
    }


def test_structure_specific_with_the_structure_prefix(indicator):
    report = run(PREFIXED)
    assert (report.kind, report.rows, report.skipped) == (DatasetKind.SDMX_ML, 7, 2)
    missing, greece = report.warnings
    assert (missing.line, missing.field, missing.message) == (16, "OBS_VALUE", missing.message)
    assert "no figure" in missing.message  # NaN and an observation without a value
    assert (greece.field, greece.value) == ("GEO", "EL")
    found = figures()
    italy = found[("380", dt.date(2020, 1, 1), PeriodPrecision.YEAR, "sex=F")]
    assert (italy.value, italy.obs_status, italy.unit_multiplier, italy.units) == (
        7420,
        "P",
        0,
        "PER",  # Eurostat's unit dimension: the figures' units
    )
    assert italy.note == "Provisional: the year not closed"
    q1 = found[("300", dt.date(2019, 1, 1), PeriodPrecision.QUARTER, "sex=T")]
    q2 = found[("300", dt.date(2019, 4, 1), PeriodPrecision.QUARTER, "sex=T")]
    assert (q1.obs_status, q2.obs_status) == ("E", "A")  # the series' status, unless the obs's
    months = [k for k in found if k[0] == "276"]
    assert sorted(k[1].month for k in months) == [1, 2]  # 2019-01 and 2019-M02
    half = found[("250", dt.date(2019, 1, 1), PeriodPrecision.RANGE, "sex=T")]
    assert half.period_end == dt.date(2019, 6, 30)  # 2019-S1
    assert run(PREFIXED).unchanged
    assert Observation.objects.count() == 7


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ns1:", "message:"),  # the message's own prefix, as some writers put it
        ("ns1:S", "S"),  # unqualified, as the schema has them
        ('GEO="', 'geo="'),  # the place dimension in lower case
    ],
)
def test_prefix_and_place_variants_read_the_same(indicator, tmp_path, old, new):
    path = variant(tmp_path, old, new)
    if new == "S":
        path.write_text(path.read_text().replace("ns1:Obs", "Obs"))
    report = run(path)
    assert (report.rows, report.skipped) == (7, 2)
    assert run(path).unchanged


def test_a_week_is_a_period(indicator, tmp_path):
    path = variant(tmp_path, 'TIME_PERIOD="2019-S1"', 'TIME_PERIOD="2019-W05"')
    run(path)
    week = Observation.objects.get(place__code="250")
    assert (week.period_start, week.period_end) == (dt.date(2019, 1, 28), dt.date(2019, 2, 3))


def test_a_period_the_model_does_not_know_is_refused_naming_its_line(indicator, tmp_path):
    path = variant(tmp_path, 'TIME_PERIOD="2019-S1"', 'TIME_PERIOD="2019-D032"')
    with pytest.raises(ImportRejected) as caught:
        run(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.field, problem.value) == (28, "TIME_PERIOD", "2019-D032")
    assert "is not a period" in problem.message
    assert not Observation.objects.exists()


def test_flat_observations_of_several_data_sets(indicator):
    out = StringIO()
    call_command("import", "observations", str(FLAT), "--indicator", indicator.code, stdout=out)
    assert "created 4" in out.getvalue()
    found = figures()
    total = found[("004", dt.date(2019, 1, 1), PeriodPrecision.YEAR, "")]  # SEX=_T
    assert (total.value, total.obs_status, total.unit_multiplier) == (1200.5, "E", 3)
    assert total.note == "Round 9 of the survey"
    assert found[("004", dt.date(2019, 1, 1), PeriodPrecision.YEAR, "sex=M")].value == 590.5
    south_sudan = found[("728", dt.date(2020, 1, 1), PeriodPrecision.YEAR, "")]
    assert south_sudan.unit_multiplier == 3  # the second data set's own UNIT_MULT
    again = StringIO()
    call_command("import", "observations", str(FLAT), "--indicator", indicator.code, stdout=again)
    assert "nothing changed" in again.getvalue()


def test_a_generic_message_without_a_place_takes_the_one_given(indicator):
    with pytest.raises(ImportRejected):
        run(GENERIC)  # no REF_AREA and no --place: said, not guessed
    report = run(GENERIC, place="ITA")
    assert (report.rows, report.skipped) == (2, 1)
    [missing] = report.warnings
    assert (missing.line, missing.field) == (26, "OBS_VALUE")
    latest = Observation.objects.get(period_start=dt.date(2020, 1, 1))
    assert (latest.place.code, latest.obs_status, latest.note) == ("380", "P", "First estimate")
    assert latest.disaggregation_key == "citizenship=EXTRA_EU"
    assert run(GENERIC, place="ITA").unchanged


def test_sdmx_csv_1_with_labels_and_units(indicator):
    report = run(LABELS)
    assert (report.kind, report.rows, report.skipped) == (DatasetKind.SDMX_CSV, 3, 1)
    by_units = {row.units: row.value for row in Observation.objects.filter(place__code="380")}
    assert by_units == {"NR": 30591392, "PC": 51.1}  # two units of one figure: no repeat
    greece = Observation.objects.get(place__iso2="GR")
    assert (greece.obs_status, greece.disaggregation_key) == ("E", "sex=T")
    assert {w.field for w in report.warnings} == {
        "GEO: Geopolitical entity (reporting)",
        "OBS_VALUE: Observation value",
    }
    assert run(LABELS).unchanged


def test_sdmx_csv_2_with_crlf_actions_and_a_week(indicator, api_client, admin_user):
    upload = SimpleUploadedFile(CSV_2.name, CSV_2.read_bytes(), content_type="text/csv")
    answer = api_client(admin_user).post(
        "/api/v1/indicators/import", {"file": upload, "indicator": indicator.code}
    )
    assert answer.status_code == 200, answer.content
    [deleted] = answer.json()["warnings"]
    assert (deleted["line"], deleted["column"]) == (4, "ACTION")
    found = figures()
    female = found[("004", dt.date(2019, 1, 1), PeriodPrecision.QUARTER, "sex=F")]
    assert (female.value, female.unit_multiplier, female.note) == (4, 3, "Estimated, partly")
    week = found[("728", dt.date(2019, 1, 28), PeriodPrecision.RANGE, "")]
    assert (week.period_end, week.status) == (dt.date(2019, 2, 3), "provisional")
    assert run(CSV_2).unchanged


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        (
            "DATAFLOW,freq,unit,sex,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
            "ESTAT:DEMO_PJAN(1.0),A,NR,F,IT,2019,30591392,\n"
            "ESTAT:DEMO_PJAN(1.0),A,NR,T,IT,2019,59816673,p\n",
            "",
            {("380", "sex=F", "NR"), ("380", "sex=T", "NR")},
        ),
        (
            "DATAFLOW,SEX,TIME_PERIOD,OBS_VALUE,UNIT_MULT\nIOM:DTM(1.0),F,2019,5,3\n",
            "AFG",
            {("004", "sex=F", "")},
        ),
    ],
)
def test_sdmx_csv_1_with_eurostat_names_or_no_place(indicator, write_file, text, place, expected):
    path = write_file("flow.csv", text)
    report = run(path, place=place)
    found = {(r.place.code, r.disaggregation_key, r.units) for r in Observation.objects.all()}
    assert found == expected
    assert all(w.line == 1 for w in report.warnings)  # only OBS_FLAG, an attribute not kept
    assert run(path, place=place).unchanged


@pytest.mark.parametrize(
    ("path", "old", "new", "rows"),
    [
        (FLAT, 'ss:dataScope="', 'ss:action="Delete" ss:dataScope="', 1),  # the second stays
        (GENERIC, 'structureRef="IT1_MIG">', 'structureRef="IT1_MIG" action="Delete">', 0),
    ],
)
def test_a_data_set_of_deletions_is_skipped_with_a_warning(
    indicator, tmp_path, path, old, new, rows
):
    deleting = tmp_path / path.name
    deleting.write_text(path.read_text().replace(old, new, 1))
    report = run(deleting, place="ITA")
    assert report.rows == rows
    assert any(w.field == "ACTION" and "deletion" in w.message for w in report.warnings)
    assert Observation.objects.count() == rows

"""Shapes real publishers' files of figures take: Open SDG with quarters written
``2019-Q1``, an empty ``Value`` cell and ``Units`` as a column; SDMX-CSV 2.0 with
``STRUCTURE,STRUCTURE_ID,ACTION``. Each imports through the command and the API, its
soft problems warnings naming line, column and value."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accord.evidence.models import Indicator, Observation
from accord.evidence.selectors import indicator_data_quality

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "publishers"
OPEN_SDG = DATA / "open-sdg-quarters-units-empty-value.csv"
SDMX_CSV_2 = DATA / "sdmx-csv-2.0-action.csv"


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(code="SDG_10_7_4", name="Refugees", unit="per 100,000")


def test_open_sdg_quarters_units_and_an_empty_value(indicator):
    out = StringIO()
    call_command(
        "import", "observations", str(OPEN_SDG), "--indicator", indicator.code,
        "--place", "ITA", stdout=out,
    )  # fmt: skip
    assert "created 2, updated 0, unchanged 0, skipped 1, warnings 1" in out.getvalue()
    assert "line 3, column 'Value': no figure: row skipped" in out.getvalue()
    rows = Observation.objects.filter(indicator=indicator).order_by("period_start")
    assert [(r.period_start.month, r.period_precision, r.units) for r in rows] == [
        (1, "quarter", "Percent"),
        (7, "quarter", "Number"),
    ]
    [kept] = indicator_data_quality(indicator)
    assert (kept.line, kept.field) == (3, "Value")


def test_sdmx_csv_2_with_an_action_column(indicator):
    out = StringIO()
    call_command(
        "import", "observations", str(SDMX_CSV_2), "--indicator", indicator.code, stdout=out
    )
    assert "(sdmx_csv)" in out.getvalue()
    assert "line 4, column 'ACTION': a deletion (D): row skipped" in out.getvalue()
    rows = Observation.objects.filter(indicator=indicator).order_by("period_start")
    assert [(r.place_id and r.place.code, r.obs_status) for r in rows] == [
        ("380", "A"),  # Italy, by its M49 code
        ("380", "E"),
    ]


@pytest.mark.parametrize("path", [OPEN_SDG, SDMX_CSV_2])
def test_the_api_answers_the_same_files_with_their_warnings(
    indicator, path, api_client, admin_user
):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    answer = api_client(admin_user).post(
        "/api/v1/indicators/import", {"file": upload, "indicator": indicator.code, "place": "ITA"}
    )
    assert answer.status_code == 200, answer.content
    [warning] = answer.json()["warnings"]
    assert warning["line"] > 1
    assert warning["column"] in {"Value", "ACTION"}

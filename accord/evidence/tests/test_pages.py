import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from accord.core.models import Classification
from accord.evidence.models import Indicator, Observation, Place
from accord.evidence.tests.factories import IndicatorFactory, ObservationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PAGE = "/evidence/indicators/FRONTEX_IBC/"


def test_overview_lists_indicators_with_years(client, reference):
    response = client.get("/evidence/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Detections of irregular border crossings at EU external borders" in text
    assert "2013\u20132024" in text  # an en dash between the years
    assert 'href="/evidence/"' in text  # the nav link
    assert "Evidence gaps" in text
    assert "JVAP-2" in text


def test_indicator_page_shows_the_reference_figures_in_a_chart_with_sources(client, reference):
    response = client.get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text  # the chart, rendered on the server
    assert "Central Mediterranean route" in text
    assert "181,376" in text  # 2016, in the table
    assert (
        "https://www.frontex.europa.eu/what-we-do/monitoring-and-risk-analysis/migratory-map/"
        in text
    )
    assert "Metadata" in text
    assert "JVAP-4" in text


def test_filters_and_htmx_partial(client, reference):
    response = client.get(
        "/evidence/indicators/IDMC_NEW_DISPLACEMENTS/",
        {"cause": "disaster"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert 'id="indicator-results"' in text
    assert "12 figures" in text  # 2013-2024, disaster only


def test_default_view_shows_totals(client, reference):
    response = client.get("/evidence/indicators/IDMC_NEW_DISPLACEMENTS/")
    assert "8 figures" in response.content.decode()


def test_unknown_dimension_is_a_422_with_the_reason(client, reference):
    response = client.get(PAGE, {"colour": "blue"})
    assert response.status_code == 422
    assert "Unknown dimension" in response.content.decode()


def test_chart_spec_is_the_one_rendered(client, reference):
    spec = client.get(PAGE + "chart.json", {"place": "CENTRAL_MEDITERRANEAN_ROUTE"}).json()
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert len(spec["data"]["values"]) == 12
    assert spec["mark"]["type"] == "line"


def test_download_is_exactly_what_is_shown(client, reference):
    response = client.get(PAGE + "download.csv", {"place": "CENTRAL_MEDITERRANEAN_ROUTE"})
    assert response["Content-Disposition"] == 'attachment; filename="frontex_ibc.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 12
    assert rows[3]["period"] == "2016"
    assert rows[3]["value"] == "181376"
    assert rows[3]["source"] == "Frontex"


@pytest.fixture
def formula_figures(db):
    place = PlaceFactory(code="EVIL", name='=HYPERLINK("http://x","click")')
    indicator = IndicatorFactory(code="F", name="F")
    ObservationFactory(indicator=indicator, place=place, value=-5, note="+cmd|' /C calc'!A0")
    ObservationFactory(
        indicator=indicator,
        place=place,
        period_start=dt.date(2021, 1, 1),
        value=3,
        source="@SUM(1+1)",
        note="-2+3",
    )
    return indicator


def test_csv_download_neutralises_formulas(client, formula_figures):
    content = client.get("/evidence/indicators/F/download.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows[0]["place_name"] == '\'=HYPERLINK("http://x","click")'
    assert rows[0]["note"] == "'+cmd|' /C calc'!A0"
    assert rows[0]["value"] == "-5"  # a number is not a formula
    assert rows[1]["source"] == "'@SUM(1+1)"
    assert rows[1]["note"] == "'-2+3"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell == ""


def test_xlsx_download_neutralises_formulas(client, formula_figures):
    response = client.get("/evidence/indicators/F/download.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][2] == '\'=HYPERLINK("http://x","click")'
    assert values[1][values[0].index("value")] == -5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_chart_text_is_escaped(client, formula_figures):
    Place.objects.filter(code="EVIL").update(name="<script>alert(1)</script>")
    text = client.get("/evidence/indicators/F/").content.decode()
    assert "<script>alert(1)</script>" not in text


def test_reporting_status(client, reference):
    text = client.get("/evidence/reporting/").content.decode()
    assert "2013-2024" in text
    # IOM returns: programme breakdowns exist for some years only.
    assert "programme=voluntary humanitarian return" in text


def test_datasets_page(client, reference):
    text = client.get("/evidence/datasets/").content.decode()
    assert "Reference: migration headline figures" in text
    assert "221 rows" in text


def test_commitment_evidence_and_gap(client, reference):
    text = client.get("/evidence/commitments/SDG-10.7.3/").content.decode()
    assert "Migrants recorded dead or missing" in text
    text = client.get("/evidence/commitments/JVAP-2/").content.decode()
    assert "Evidence gap" in text


def test_members_only_indicator_is_hidden_from_the_public(client, make_user, db):
    hidden = IndicatorFactory(code="SECRET", classification=Classification.MEMBERS)
    assert client.get("/evidence/indicators/SECRET/").status_code == 404
    assert "SECRET" not in client.get("/evidence/").content.decode()
    client.force_login(make_user("m", ("IOM", "member")))
    assert client.get("/evidence/indicators/SECRET/").status_code == 200
    assert hidden.pk


def test_overview_query_count(client, reference, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/evidence/")
    assert Indicator.objects.count()
    assert Observation.objects.count()


def test_commitment_evidence_tag_for_a_commitment_page(rf, reference):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    request = rf.get("/")
    request.user = AnonymousUser()
    template = Template('{% load evidence %}{% commitment_evidence "SDG-10.7.3" %}')
    html = template.render(Context({"request": request}))
    assert "/evidence/indicators/MMP_DEAD_MISSING/" in html
    gap = Template('{% load evidence %}{% commitment_evidence "JVAP-2" %}')
    assert "Evidence gap" in gap.render(Context({"request": request}))

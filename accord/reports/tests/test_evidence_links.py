"""The briefing pack's indicators and charts, and observation exports: where the evidence
app is installed."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from docx import Document as DocxDocument
from pypdf import PdfReader

from accord.meetings.models import AgendaItem
from accord.reports.briefing import briefing_context, render_briefing
from accord.reports.models import AgendaCommitment, ExportRecord

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("accord.evidence"), reason="needs the evidence app"),
]


@pytest.fixture
def linked(record):
    item = AgendaItem.objects.get(meeting=record.som3, position=2)
    AgendaCommitment.objects.create(agenda_item=item, commitment_code="JVAP-5")
    return item


def test_the_pack_shows_the_items_key_indicators_with_charts(linked):
    briefing = briefing_context(user=None, key="som-3")
    section = next(s for s in briefing.items if s.entry.item == linked)
    assert any(i["title"].startswith("EUIOM_JI_RETURNS_CUM") for i in section.indicators)
    assert 1 <= len(section.charts) <= 2
    pdf, _type = render_briefing(briefing, "pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "EUIOM_JI_RETURNS_CUM" in text
    docx, _type = render_briefing(briefing, "docx")
    document = DocxDocument(io.BytesIO(docx))
    assert len(document.inline_shapes) == len(section.charts)  # charts as PNG pictures


def test_observations_export_as_json_from_the_command(reference, tmp_path):
    out = tmp_path / "observations.json"
    call_command(
        "export",
        "observations",
        "--indicator",
        "EUIOM_JI_RETURNS_CUM",
        "--format",
        "json",
        "-o",
        str(out),
    )
    data = json.loads(out.read_text())
    assert data["count"] >= 3
    assert {item["indicator"] for item in data["items"]} == {"EUIOM_JI_RETURNS_CUM"}
    call_command(
        "export",
        "observations",
        "--indicator",
        "EUIOM_JI_RETURNS_CUM",
        "-o",
        str(tmp_path / "o.csv"),
    )
    records = list(ExportRecord.objects.order_by("pk").values_list("format", "rows"))
    assert records == [("json", data["count"]), ("csv", data["count"])]


def test_the_indicator_page_links_its_rows_as_json(reference, client):
    from django.urls import reverse

    page = client.get(reverse("indicator-detail", args=["EUIOM_JI_RETURNS_CUM"])).content.decode()
    link = reverse("export-download", args=["observations", "json"])
    assert f"{link}?indicator=EUIOM_JI_RETURNS_CUM" in page
    data = json.loads(client.get(link, {"indicator": "EUIOM_JI_RETURNS_CUM"}).content)
    assert data["count"] >= 3
    assert ExportRecord.objects.get().via == "page"

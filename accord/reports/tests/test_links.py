"""The briefing pack's agenda items with the commitments and evidence apps, and the
progress report of an instrument: run where those apps are installed."""

import datetime as dt
import io
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from accord.core.models import Classification
from accord.meetings.models import AgendaItem
from accord.reports.briefing import briefing_context, briefing_html
from accord.reports.models import AgendaCommitment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (apps.is_installed("accord.commitments") and apps.is_installed("accord.evidence")),
        reason="needs the commitments and evidence apps",
    ),
]

HIDDEN_INITIATIVE = "Members-only reintegration pilot"


def initiative(code: str, title: str, classification: str, **fields):
    from accord.partners.models import Organisation

    models = import_module("accord.commitments.models")
    Commitment, Initiative = models.Commitment, models.Initiative  # noqa: N806

    made = Initiative.objects.create(
        title={"en": title},
        classification=classification,
        partner=Organisation.objects.get(acronym="IOM"),
        start_on=dt.date(2017, 1, 1),
        **fields,
    )
    models.InitiativeCommitment.objects.create(
        initiative=made, commitment=Commitment.objects.get(code=code)
    )
    return made


@pytest.fixture
def linked(record):
    item = AgendaItem.objects.get(meeting=record.som3, position=2)
    AgendaCommitment.objects.create(agenda_item=item, commitment_code="JVAP-5")
    return item


def test_items_show_commitments_coverage_indicators_and_charts(linked, member):
    initiative("JVAP-5", HIDDEN_INITIATIVE, Classification.MEMBERS)
    public = briefing_context(user=None, key="som-3")
    section = next(s for s in public.items if s.entry.item == linked)
    assert section.commitments[0]["title"].startswith("JVAP-5: Return, readmission")
    codes = [indicator["title"].split(":")[0] for indicator in section.indicators]
    assert "EUIOM_JI_RETURNS_CUM" in codes
    assert section.charts
    assert "<svg" in section.charts[0].svg
    html = briefing_html(public)
    assert "Return, readmission and reintegration" in html
    members = briefing_context(user=member, key="som-3")
    member_section = next(s for s in members.items if s.entry.item == linked)
    public_count = section.commitments[0]["coverage"]
    assert public_count != member_section.commitments[0]["coverage"]


def test_progress_report_as_xlsx_and_pdf(record, tmp_path):
    models = import_module("accord.commitments.models")
    Cycle, CycleEntry, EntryState = models.Cycle, models.CycleEntry, models.EntryState  # noqa: N806
    jvap = models.Instrument.objects.get(code="JVAP")
    before = Cycle.objects.create(
        name="2018", opens_on=dt.date(2018, 1, 1), closes_on=dt.date(2018, 12, 31)
    )
    after = Cycle.objects.create(
        name="2020", opens_on=dt.date(2020, 1, 1), closes_on=dt.date(2020, 12, 31), previous=before
    )
    for cycle in (before, after):
        cycle.instruments.add(jvap)
    pilot = initiative("JVAP-2", "Legal pathways pilot", Classification.PUBLIC)
    CycleEntry.objects.create(
        cycle=before, initiative=pilot, state=EntryState.VERIFIED, progress=20
    )
    CycleEntry.objects.create(cycle=after, initiative=pilot, state=EntryState.VERIFIED, progress=60)
    xlsx = tmp_path / "progress.xlsx"
    call_command(
        "report", "progress", "JVAP", "--cycle", "2020", "--format", "xlsx", "-o", str(xlsx)
    )
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Coverage", "Gaps", "Overlaps", "Changes", "About"]
    coverage = {row[0]: row for row in book["Coverage"].iter_rows(min_row=2, values_only=True)}
    assert int(str(coverage["JVAP-2"][3])) >= 1
    changes = list(book["Changes"].iter_rows(min_row=2, values_only=True))
    assert changes[0][0] == "Legal pathways pilot"
    assert "20%" in str(changes[0][2])
    assert "60%" in str(changes[0][3])
    gaps = [row[0] for row in book["Gaps"].iter_rows(min_row=2, values_only=True)]
    assert "JVAP-2" not in gaps
    pdf = tmp_path / "progress.pdf"
    call_command("report", "progress", "JVAP", "--cycle", "2020", "-o", str(pdf))
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages
    )
    assert "Progress report: Joint Valletta Action Plan" in text
    assert "Changes since the previous cycle" in text
    assert "Legal pathways pilot" in text


def test_initiatives_and_observations_export_with_the_pages_filters(record, client, member):
    import json

    from django.urls import reverse

    initiative("JVAP-5", HIDDEN_INITIATIVE, Classification.MEMBERS)
    initiative("JVAP-2", "=HYPERLINK(1)", Classification.PUBLIC)
    url = reverse("export-download", args=["initiatives", "json"])
    public = json.loads(client.get(url, {"commitment": "JVAP-2"}).content)
    titles = [str(item) for item in public["items"]]
    assert any("'=HYPERLINK(1)" in title for title in titles)
    assert not any(HIDDEN_INITIATIVE in title for title in titles)
    client.force_login(member)
    members = json.loads(client.get(url, {"commitment": "JVAP-5"}).content)
    assert any(HIDDEN_INITIATIVE in str(item) for item in members["items"])

    observations = client.get(
        reverse("export-download", args=["observations", "xlsx"]),
        {"indicator": "EUIOM_JI_RETURNS_CUM"},
    )
    sheet = load_workbook(io.BytesIO(observations.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "indicator"
    assert {row[0] for row in rows[1:]} == {"EUIOM_JI_RETURNS_CUM"}
    missing = client.get(reverse("export-download", args=["observations", "csv"]))
    assert missing.status_code == 400


def test_the_initiatives_list_links_its_rows_with_the_filters(reference, client):
    from django.urls import reverse

    page = client.get(reverse("initiative-list"), {"commitment": "JVAP-5"}).content.decode()
    link = reverse("export-download", args=["initiatives", "csv"]) + "?commitment=JVAP-5"
    assert link in page

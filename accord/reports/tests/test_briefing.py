import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document as DocxDocument
from pypdf import PdfReader

from accord.reports.briefing import briefing_context
from accord.reports.tests.conftest import MEMBERS_ONLY, PUBLIC_ACTION

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, its lines joined (table cells wrap)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_briefing_pdf_names_the_meeting_date_venue_and_topics(reference, tmp_path):
    out = tmp_path / "pack.pdf"
    call_command("report", "briefing", "som-3", "--format", "pdf", "-o", str(out))
    pages = pdf_pages(out.read_bytes())
    text = " ".join(pages)
    assert "3rd Senior Officials Meeting" in text
    assert "16 February 2016" in text
    assert "Brussels" in text
    for topic in ("legal avenues for migration", "voluntary return and reintegration"):
        assert topic in text
    assert "Neven Mimica" in text
    assert "DG NEAR joins the framework by exchange of letters" in text
    # Every page carries the classification of the pack (all public here).
    assert all("PUBLIC" in page for page in pages)


def test_public_readers_pack_holds_no_members_only_content(record, member, tmp_path):
    public, members = tmp_path / "public.pdf", tmp_path / "members.pdf"
    call_command("report", "briefing", "som-3", "-o", str(public))
    call_command("report", "briefing", "som-3", "-o", str(members), "--as", member.username)
    public_pages = pdf_pages(public.read_bytes())
    public_text = " ".join(public_pages)
    assert MEMBERS_ONLY not in public_text
    assert "Annotated agenda" in public_text
    assert PUBLIC_ACTION in public_text
    assert all("PUBLIC" in page and "MEMBERS" not in page for page in public_pages)

    member_pages = pdf_pages(members.read_bytes())
    assert MEMBERS_ONLY in " ".join(member_pages)
    assert all("MEMBERS" in page for page in member_pages)


def test_follow_up_lists_the_previous_meetings_action_points_overdue_first(record):
    briefing = briefing_context(user=None, key="som-3")
    texts = [row.action_point.text for row in briefing.follow_up]
    assert texts == [PUBLIC_ACTION, "Share the return statistics"]
    assert briefing.follow_up[0].overdue
    assert not briefing.follow_up[1].overdue
    assert next(section.entry.item.title for section in briefing.items).startswith("Opening")


def test_briefing_docx_from_the_same_context(record, member, tmp_path):
    out = tmp_path / "pack.docx"
    call_command(
        "report", "briefing", "som-3", "--format", "docx", "-o", str(out), "--as", member.username
    )
    document = DocxDocument(io.BytesIO(out.read_bytes()))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == "3rd Senior Officials Meeting"
    assert "3. Follow-up of previous action points" in headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "16 February 2016" in cells
    assert "Brussels" in cells
    assert MEMBERS_ONLY in cells
    assert "MEMBERS" in document.sections[0].header.paragraphs[0].text
    assert "MEMBERS" in document.sections[0].footer.paragraphs[0].text


def test_meeting_page_offers_the_pack_and_serves_it_as_the_reader(record, member, client):
    page = client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    assert reverse("meeting-briefing", args=["som-3", "pdf"]) in page
    html = client.get(reverse("meeting-briefing", args=["som-3", "html"])).content.decode()
    assert "3rd Senior Officials Meeting" in html
    assert MEMBERS_ONLY not in html
    pdf = client.get(reverse("meeting-briefing", args=["som-3", "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert MEMBERS_ONLY not in " ".join(pdf_pages(pdf.content))
    client.force_login(member)
    docx = client.get(reverse("meeting-briefing", args=["som-3", "docx"]))
    assert "attachment" in docx["Content-Disposition"]
    assert MEMBERS_ONLY in "".join(
        cell.text
        for table in DocxDocument(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert client.get("/meetings/som-99/briefing.pdf").status_code == 404


def test_unknown_meeting_and_format_are_refused(reference):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="som-99"):
        call_command("report", "briefing", "som-99", "-o", "/dev/null")
    with pytest.raises(CommandError, match="format"):
        call_command("report", "briefing", "som-3", "--format", "odt", "-o", "/dev/null")


def test_the_html_pack_may_use_its_own_styles_and_no_other(reference, client):
    import base64
    import hashlib
    import re

    response = client.get(reverse("meeting-briefing", args=["som-3", "html"]))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    (style,) = re.findall(rb"<style[^>]*>(.*?)</style>", response.content, re.S)
    digest = base64.b64encode(hashlib.sha256(style).digest()).decode()
    style_src = next(part for part in policy.split(";") if part.strip().startswith("style-src "))
    assert f"'sha256-{digest}'" in style_src
    assert "unsafe-inline" not in style_src
    assert "script-src 'self'" in policy

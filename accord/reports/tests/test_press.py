import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document as DocxDocument

from accord.core.errors import Conflict
from accord.meetings.selectors import meeting_get
from accord.reports.models import PressRelease, PressReleaseStatus
from accord.reports.services import (
    press_release_create_draft,
    press_release_publish,
    press_release_update,
)

pytestmark = pytest.mark.django_db


def press_release_text(capsysbinary, *args):
    call_command("report", "press-release", "som-3", *args)
    return capsysbinary.readouterr().out.decode()


def test_press_release_states_the_facts_of_the_record(reference, capsysbinary):
    text = press_release_text(capsysbinary)
    assert "Brussels, 16 February 2016" in text
    assert "EU Commissioner for International Cooperation and Development, Neven Mimica" in text
    assert "opens today the third Senior Officials Meeting" in text
    assert "IOM's Director General William Lacy Swing and Deputy Director General Laura" in text
    assert "implementing Valletta, Western Balkans and Turkey commitments" in text
    assert "legal avenues for migration" in text
    assert "voluntary return and reintegration" in text
    assert "DG NEAR joins the framework today by exchange of letters" in text
    # Background, from the memberships and the framework record.
    assert "three European Commission services (DG HOME, DG DEVCO, DG ECHO)" in text
    assert "the European External Action Service (EEAS)" in text
    assert "International Organization for Migration (IOM) in July 2012" in text
    assert "This is the third Senior Officials Meeting held within the framework" in text
    # Press contacts: positions held on the day, with phones.
    assert "Alexandre Polack, European Commission (+32 2 29 90677)" in text
    assert "Sharon Zarb, European Commission (+32 2 29 92256)" in text
    # An uncertain aside of the record is not stated to the press.
    assert "uncertain" not in text


def test_a_later_meeting_names_what_was_true_then(reference):
    from accord.reports.press import press_release_draft

    _title, text = press_release_draft(meeting_get(user=None, key="som-5"))
    assert "Brussels, 4 April 2018" in text
    assert "fifth Senior Officials Meeting" in text
    assert "DG NEAR joins" not in text
    assert "Press contacts" not in text  # the 2016 contacts are not vouched for in 2018


def test_press_release_as_html_and_docx(reference, tmp_path):
    html_file, docx_file = tmp_path / "p.html", tmp_path / "p.docx"
    call_command("report", "press-release", "som-3", "--format", "html", "-o", str(html_file))
    call_command("report", "press-release", "som-3", "--format", "docx", "-o", str(docx_file))
    html = html_file.read_text()
    assert "<h2>Press contacts</h2>" in html
    assert "<strong>Brussels, 16 February 2016.</strong>" in html
    document = DocxDocument(io.BytesIO(docx_file.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Brussels, 16 February 2016." in text
    assert "DG NEAR joins the framework today by exchange of letters." in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Press contacts" in headings


def test_secretariat_edits_publishes_and_the_public_reads_it(reference, secretariat, client):
    anonymous = client.__class__()
    client.force_login(secretariat)
    response = client.post(reverse("press-release-new"), {"meeting": "som-3"})
    release = PressRelease.objects.get()
    assert response.url == reverse("press-release-edit", args=[release.pk])
    assert release.status == PressReleaseStatus.DRAFT
    # A draft is not public.
    assert anonymous.get(reverse("press-detail", args=[release.slug])).status_code == 404
    assert release.title not in anonymous.get(reverse("press-list")).content.decode()

    page = client.get(reverse("press-release-edit", args=[release.pk])).content.decode()
    assert "Neven Mimica" in page
    saved = client.post(
        reverse("press-release-edit", args=[release.pk]),
        {"title": "EU and IOM strengthen strategic dialogue", "body": release.body, "version": 1},
    )
    assert saved.status_code == 302
    stale = client.post(
        reverse("press-release-edit", args=[release.pk]),
        {"title": "Another title", "body": release.body, "version": 1},
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    published = client.post(
        reverse("press-release-edit", args=[release.pk]),
        {
            "title": "EU and IOM strengthen strategic dialogue",
            "body": release.body,
            "version": 2,
            "action": "publish",
        },
    )
    release.refresh_from_db()
    assert published.url == reverse("press-detail", args=[release.slug])
    assert release.status == PressReleaseStatus.PUBLISHED
    assert release.classification == "public"

    public = anonymous.get(reverse("press-detail", args=[release.slug])).content.decode()
    assert "EU and IOM strengthen strategic dialogue" in public
    assert "Sharon Zarb" in public
    assert "EU and IOM strengthen" in anonymous.get(reverse("press-list")).content.decode()
    feed = anonymous.get(reverse("press-feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "<feed" in body
    assert "EU and IOM strengthen strategic dialogue" in body
    assert reverse("press-detail", args=[release.slug]) in body


def test_only_the_secretariat_drafts_and_edits(reference, member, secretariat, client):
    meeting = meeting_get(user=None, key="som-3")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        press_release_create_draft(meeting=meeting, by=member)
    release = press_release_create_draft(meeting=meeting, by=secretariat)
    assert press_release_create_draft(meeting=meeting, by=secretariat) == release
    client.force_login(member)
    assert client.get(reverse("press-release-edit", args=[release.pk])).status_code == 403
    assert client.post(reverse("press-release-new"), {"meeting": "som-3"}).status_code == 403


def test_publishing_twice_and_stale_versions_conflict(reference, secretariat):
    release = press_release_create_draft(
        meeting=meeting_get(user=None, key="som-3"), by=secretariat
    )
    release = press_release_update(release=release, data={"title": "T"}, version=1, by=secretariat)
    with pytest.raises(Conflict):
        press_release_update(release=release, data={"title": "U"}, version=1, by=secretariat)
    release = press_release_publish(release=release, version=release.version, by=secretariat)
    with pytest.raises(Conflict):
        press_release_publish(release=release, version=release.version, by=secretariat)


def test_script_in_the_text_is_refused(reference, secretariat, client):
    release = press_release_create_draft(
        meeting=meeting_get(user=None, key="som-3"), by=secretariat
    )
    client.force_login(secretariat)
    response = client.post(
        reverse("press-release-edit", args=[release.pk]),
        {"title": "T", "body": "<script>alert(1)</script>", "version": 1},
    )
    assert response.status_code == 400
    release.refresh_from_db()
    assert "<script>" not in release.body

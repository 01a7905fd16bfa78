import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core.models import Classification
from accord.meetings import decisions, services
from accord.meetings import minutes as review
from accord.meetings.models import ActionPoint, ActionPointUpdate, AgendaItem, Meeting, Topic
from accord.meetings.selectors import FOLLOW_UP_PAGE
from accord.meetings.tests.factories import MeetingFactory, MeetingTierFactory
from accord.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_meeting_list_by_tier_and_year(client, reference):
    page = client.get(reverse("meeting-list")).content.decode()
    assert "Senior Officials Meeting" in page
    assert "3rd Senior Officials Meeting" in page
    assert "16 February 2016" in page
    assert 'href="/meetings/som-3/"' in page
    assert "Compiled minutes of the series" in page
    only_2016 = client.get(reverse("meeting-list"), {"tier": "som", "year": "2016"})
    assert "3rd Senior" in only_2016.content.decode()
    assert "4th Senior" not in only_2016.content.decode()


def test_meeting_list_htmx_renders_only_results(client, reference):
    response = client.get(reverse("meeting-list"), {"year": "2021"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="meeting-results"' in body
    assert "<html" not in body
    assert "8th Senior Officials Meeting" in body


def test_nav_links(client, reference):
    page = client.get(reverse("home")).content.decode()
    assert 'href="/meetings/"' in page
    assert 'href="/action-points/"' in page


def test_meeting_page_shows_everything(client, som, org, secretariat, iom_focal):
    third = som(3)
    item = services.agenda_item_add(meeting=third, title="Evidence base", planned_minutes=45)
    decisions.decision_record(meeting=third, text="Strengthen the evidence base", agenda_item=item)
    ap = services.action_point_create(
        meeting=third,
        text="Compile displacement data",
        owners=[org("IOM")],
        classification=Classification.PUBLIC,
    )
    services.action_point_progress(
        action_point=ap, text="Data sources listed", on=dt.date(2016, 5, 2), by=iom_focal
    )
    review.minutes_save(meeting=third, body="**Agreed** to share data.", by=secretariat)
    services.document_upload(
        meeting=third,
        title="Background note",
        kind="background_note",
        upload=ContentFile(b"%PDF-1.4", name="note.pdf"),
        classification=Classification.PUBLIC,
    )
    page = client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    assert "DG DEVCO" in page  # the host under the name it bore in 2016
    assert "DG INTPA" in client.get(reverse("meeting-detail", args=["som-9"])).content.decode()
    for text in [
        "3rd Senior Officials Meeting",
        "Evidence base",
        "Strengthen the evidence base",
        "Compile displacement data",
        "Neven Mimica",
        "not a member then",
        "DG NEAR joins the framework by exchange of letters",
        "Background note",
        "uncertain",
    ]:
        assert text in page, text
    # Draft minutes are the secretariat's until circulated.
    assert "<strong>Agreed</strong>" not in page
    client.force_login(secretariat)
    assert (
        "<strong>Agreed</strong>"
        in client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    )
    client.logout()
    following = client.get(reverse("meeting-detail", args=["som-4"])).content.decode()
    assert "Follow-up" in following
    assert "Compile displacement data" in following
    assert "Data sources listed" in following
    assert client.get(reverse("meeting-detail", args=["som-99"])).status_code == 404


def _meeting_with(*, items: int, carried: int) -> str:
    """A meeting of a fresh tier with ``items`` agenda items (each with a sub-item and a
    topic) and ``carried`` open action points from the previous meeting, each with two
    owners and two updates. Returns the meeting's key."""
    tier = MeetingTierFactory()
    earlier: Meeting = MeetingFactory(tier=tier, date=dt.date(2020, 1, 10))
    meeting: Meeting = MeetingFactory(tier=tier, date=dt.date(2021, 1, 10))
    topic = Topic.objects.create(slug=f"topic-{tier.code}", name="Return")
    for n in range(items):
        item = AgendaItem.objects.create(meeting=meeting, position=n, title=f"Item {n}")
        item.topics.add(topic)
        AgendaItem.objects.create(meeting=meeting, parent=item, position=0, title=f"Sub {n}")
    owners = [OrganisationFactory(), OrganisationFactory()]
    points = ActionPoint.objects.bulk_create(
        ActionPoint(meeting=earlier, text=f"AP {n}", classification="public")
        for n in range(carried)
    )
    through = ActionPoint.owners.through
    through.objects.bulk_create(
        through(actionpoint_id=ap.pk, organisation_id=o.pk) for ap in points for o in owners
    )
    ActionPointUpdate.objects.bulk_create(
        ActionPointUpdate(action_point=ap, on=dt.date(2020, 2, d), text="progress")
        for ap in points
        for d in (1, 2)
    )
    for n in range(min(carried, 3)):
        ActionPoint.objects.create(meeting=meeting, text=f"New {n}", classification="public")
    return f"{tier.code}-2"


def _queries(client, key: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("meeting-detail", args=[key]))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_meeting_page_queries_do_not_grow_with_items(client, secretariat):
    small = _meeting_with(items=1, carried=1)
    large = _meeting_with(items=30, carried=200)
    client.force_login(secretariat)
    page = client.get(reverse("meeting-detail", args=[large])).content.decode()
    assert page.count("AP 1") >= 1
    # The follow-up shows its first page (of 200 carried forward), then its own three.
    assert page.count('id="action-point-') == FOLLOW_UP_PAGE + 3
    counts = (_queries(client, small), _queries(client, large))
    assert counts[0] == counts[1], counts
    # The secretariat also reads the invitations and the pickers of partners and people;
    # the follow-up's count, the neighbours' positions and the header's unread
    # notifications are one query each.
    assert counts[0] <= 35, counts


def test_action_register_page(client, som, org, secretariat):
    services.action_point_create(
        meeting=som(9),
        text="Report on climate mobility",
        owners=[org("DG HOME")],
        due_date=dt.date(2023, 1, 1),
        classification=Classification.PUBLIC,
    )
    page = client.get(reverse("action-register"), {"owner": "DG HOME", "overdue": "true"})
    assert "Report on climate mobility" in page.content.decode()
    assert "overdue" in page.content.decode()
    empty = client.get(reverse("action-register"), {"status": "done"}).content.decode()
    assert "Report on climate mobility" not in empty
    bad = client.get(reverse("action-register"), {"due_before": "soon"})
    assert bad.status_code == 400
    assert "not a date" in bad.content.decode()
    partial = client.get(reverse("action-register"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_my_actions(client, som, org, home_focal, make_user):
    services.action_point_create(meeting=som(9), text="HOME's action", owners=[org("DG HOME")])
    services.action_point_create(meeting=som(9), text="IOM's action", owners=[org("IOM")])
    assert client.get(reverse("my-actions")).status_code == 302
    client.force_login(home_focal)
    page = client.get(reverse("my-actions")).content.decode()
    assert "HOME&#x27;s action" in page
    assert "IOM&#x27;s action" not in page


def test_my_actions_include_those_assigned_to_me(client, som, org, make_user):
    from accord.partners.models import Person

    person = Person.objects.get(full_name="Laura Thompson")
    person.email = "laura@example.org"
    person.save()
    user = make_user("laura", email="laura@example.org")
    services.action_point_create(
        meeting=som(9),
        text="Laura's action",
        owners=[org("EEAS")],
        assignee=person,
        classification=Classification.PUBLIC,
    )
    client.force_login(user)
    assert "Laura&#x27;s action" in client.get(reverse("my-actions")).content.decode()


def test_compiled_minutes_and_diff(client, som, secretariat, make_user):
    minutes = review.minutes_save(meeting=som(3), body="First text", by=secretariat)
    minutes = review.minutes_save(meeting=som(3), body="Second text", by=secretariat)
    review.minutes_save(meeting=som(5), body="Fifth meeting minutes", by=secretariat)
    minutes = review.minutes_advance(minutes=minutes, by=secretariat)
    review.minutes_advance(minutes=minutes, by=secretariat)
    compiled = client.get(reverse("meeting-tier-minutes", args=["som"])).content.decode()
    assert "Second text" in compiled
    assert "Fifth meeting minutes" not in compiled  # still a draft
    client.force_login(secretariat)
    compiled = client.get(reverse("meeting-tier-minutes", args=["som"])).content.decode()
    # The compiled minutes are the approved record: a draft stays out, even for its authors.
    assert "Second text" in compiled
    assert "Fifth meeting minutes" not in compiled
    diff = client.get(reverse("minutes-diff", args=[minutes.pk])).content.decode()
    assert "<del>-First text</del>" in diff
    assert "<ins>+Second text</ins>" in diff
    assert client.get(reverse("meeting-tier-minutes", args=["nope"])).status_code == 404


def test_draft_minutes_diff_is_refused_to_members(client, som, secretariat, make_user):
    minutes = review.minutes_save(meeting=som(3), body="Draft", by=secretariat)
    client.force_login(make_user("m", ("EEAS", "member")))
    assert client.get(reverse("minutes-diff", args=[minutes.pk])).status_code == 403


def test_document_download_follows_classification(client, som, secretariat, make_user):
    document = services.document_upload(
        meeting=som(3),
        title="Restricted note",
        kind="background_note",
        upload=ContentFile(b"%PDF-secret", name="note.pdf"),
        classification=Classification.RESTRICTED,
    )
    url = reverse("document-download", args=[document.pk, 1])
    assert client.get(url).status_code == 404
    client.force_login(make_user("m", ("EEAS", "member")))
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-secret"
    assert client.get(reverse("document-download", args=[document.pk, 2])).status_code == 404


def test_focal_point_records_progress_from_a_row(client, som, org, iom_focal, home_focal):
    ap = services.action_point_create(meeting=som(9), text="Map displacement", owners=[org("IOM")])
    url = reverse("action-point-progress", args=[ap.pk])
    client.force_login(iom_focal)
    page = client.get(reverse("my-actions")).content.decode()
    assert f'hx-post="{url}"' in page
    row = client.post(
        url, {"text": "Survey launched", "status": "in_progress"}, headers={"HX-Request": "true"}
    )
    assert row.status_code == 200
    body = row.content.decode()
    assert body.startswith(f'<tr id="action-point-{ap.pk}">')
    assert "Survey launched" in body
    ap.refresh_from_db()
    assert (ap.status, ap.version) == ("in_progress", 2)

    refused = client.post(url, {"text": ""}, headers={"HX-Request": "true"})
    assert "cannot be blank" in refused.content.decode()
    assert ap.updates.count() == 1

    back = client.post(url, {"text": "Second wave"}, headers={"Referer": "https://evil.test/"})
    assert back.status_code == 302
    assert back["Location"] == reverse("my-actions")

    client.force_login(home_focal)
    assert f'hx-post="{url}"' not in client.get(reverse("action-register")).content.decode()
    assert client.post(url, {"text": "Not ours"}).status_code == 403
    assert ap.updates.count() == 2
    client.logout()
    assert client.post(url, {"text": "x"}).status_code == 302  # to the login page


def test_secretariat_uploads_documents_from_the_meeting_page(
    client, som, secretariat, home_focal, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accord.meetings.models import Document

    settings.MEDIA_ROOT = tmp_path
    settings.ACCORD_UPLOAD_MAX_BYTES = 50
    settings.ACCORD_UPLOAD_TYPES = ["pdf"]
    url = reverse("meeting-document-upload", args=["som-3"])
    fields = {"title": "Agenda", "kind": "agenda", "language": "en", "classification": "public"}
    client.force_login(secretariat)
    assert (
        "Upload a document"
        in client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    )
    refused = client.post(
        url, {**fields, "upload": SimpleUploadedFile("agenda.exe", b"MZ")}, follow=True
    )
    assert "files of type .exe are not accepted" in refused.content.decode()
    too_big = client.post(
        url, {**fields, "upload": SimpleUploadedFile("agenda.pdf", b"%PDF" * 20)}, follow=True
    )
    assert "files may be at most 50 bytes" in too_big.content.decode()
    assert not Document.objects.exists()
    assert not any(tmp_path.iterdir())
    done = client.post(url, {**fields, "upload": SimpleUploadedFile("agenda.pdf", b"%PDF-1")})
    assert done.status_code == 302
    document = Document.objects.get()
    client.post(
        reverse("document-version-upload", args=[document.pk]),
        {"upload": SimpleUploadedFile("agenda-v2.pdf", b"%PDF-2")},
    )
    assert list(document.versions.values_list("number", "original_name")) == [
        (1, "agenda.pdf"),
        (2, "agenda-v2.pdf"),
    ]
    client.force_login(home_focal)
    forbidden = client.post(url, {**fields, "upload": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert forbidden.status_code == 403
    assert Document.objects.count() == 1

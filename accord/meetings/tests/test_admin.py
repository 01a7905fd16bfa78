"""The admin saves minutes and action points through their services."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.meetings import minutes as review
from accord.meetings import services
from accord.meetings.models import ActionPoint, Minutes, MinutesRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user, reference):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    return client


def change(client, minutes, **fields):
    data = {
        "meeting": minutes.meeting_id,
        "agenda_item": "",
        "body": minutes.body,
        "status": minutes.status,
        "seen_version": minutes.version,
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(f"/admin/meetings/minutes/{minutes.pk}/change/", data)


def test_a_new_text_is_a_rendered_revision(admin_client, som):
    minutes = review.minutes_save(meeting=som(3), body="First *draft*")
    answer = change(admin_client, minutes, body="Second **text**")
    assert answer.status_code == 302, answer.content.decode()[:2000]
    minutes.refresh_from_db()
    assert "<strong>text</strong>" in minutes.body_html
    assert MinutesRevision.objects.filter(minutes=minutes).count() == 2
    assert minutes.version == 2


def test_a_stale_edit_is_refused(admin_client, som):
    minutes = review.minutes_save(meeting=som(3), body="First")
    review.minutes_save(meeting=som(3), body="Someone else's", version=1)
    change(admin_client, minutes, body="Mine", seen_version=1)
    minutes.refresh_from_db()
    assert minutes.body == "Someone else's"


def test_approved_minutes_cannot_be_set_back_to_draft(admin_client, som):
    minutes = review.minutes_save(meeting=som(3), body="Agreed text")
    minutes = review.minutes_advance(minutes=minutes)
    minutes = review.minutes_advance(minutes=minutes)
    assert minutes.status == "approved"
    change(admin_client, minutes, status="draft", body="Rewritten")
    minutes.refresh_from_db()
    assert (minutes.status, minutes.body) == ("approved", "Agreed text")
    page = admin_client.get(f"/admin/meetings/minutes/{minutes.pk}/change/").content.decode()
    assert 'name="status"' not in page  # read only once approved


def test_minutes_move_forward_one_step(admin_client, som):
    minutes = review.minutes_save(meeting=som(3), body="Text")
    answer = change(admin_client, minutes, status="approved")
    assert answer.status_code == 200  # the form again, with the error
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"
    change(admin_client, minutes, status="circulated")
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"


def test_an_action_point_edit_goes_through_its_service(admin_client, som, org):
    action_point = services.action_point_create(
        meeting=som(3), text="Old", owners=[org("IOM")], due_date=dt.date(2016, 12, 31)
    )
    data = {
        "meeting": action_point.meeting_id,
        "text": "New text",
        "owners": [org("IOM").pk],
        "due_date": "2016-12-31",
        "status": "open",
        "classification": "members",
        "seen_version": 1,
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    answer = admin_client.post(f"/admin/meetings/actionpoint/{action_point.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    action_point.refresh_from_db()
    assert (action_point.text, action_point.version) == ("New text", 2)
    # A stale version changes nothing.
    admin_client.post(
        f"/admin/meetings/actionpoint/{action_point.pk}/change/", {**data, "text": "Stale"}
    )
    assert ActionPoint.objects.get(pk=action_point.pk).text == "New text"

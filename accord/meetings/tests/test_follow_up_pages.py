"""The follow-up of a late meeting comes a page at a time, on the page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.meetings.selectors import FOLLOW_UP_PAGE
from accord.meetings.tests.factories import (
    ActionPointFactory,
    MeetingFactory,
    MeetingTierFactory,
)


@pytest.fixture
def late_meeting(db):
    """A tier whose earlier meetings left FOLLOW_UP_PAGE + 5 action points open."""
    tier = MeetingTierFactory(code="long")
    meetings = [
        MeetingFactory(tier=tier, date=dt.date(2014, 1, 1) + dt.timedelta(days=30 * n))
        for n in range(4)
    ]
    for n in range(FOLLOW_UP_PAGE + 5):
        ActionPointFactory(meeting=meetings[n % 3], text=f"Carried {n:03d}")
    return meetings[3]


def test_the_meeting_page_shows_one_page_of_follow_up_with_its_count(client, late_meeting):
    first = client.get(f"/meetings/{late_meeting.key}/")
    body = first.content.decode()
    assert first.status_code == 200
    assert body.count("Carried ") == FOLLOW_UP_PAGE
    assert f"1\N{EN DASH}{FOLLOW_UP_PAGE} of {FOLLOW_UP_PAGE + 5}" in body
    assert 'follow_up_page=2#follow-up-title" rel="next"' in body
    second = client.get(f"/meetings/{late_meeting.key}/", {"follow_up_page": "2"}).content.decode()
    assert second.count("Carried ") == 5
    assert 'rel="prev"' in second


def test_the_meeting_page_reads_the_same_whatever_the_history(client, late_meeting):
    client.get(f"/meetings/{late_meeting.key}/")  # once-per-process reads out of the way
    with CaptureQueriesContext(connection) as few:
        client.get(f"/meetings/{late_meeting.key}/")
    for n in range(40):
        ActionPointFactory(
            meeting=late_meeting.tier.meetings.order_by("date").first(), text=f"More {n}"
        )
    with CaptureQueriesContext(connection) as more:
        response = client.get(f"/meetings/{late_meeting.key}/")
    assert (
        response.content.decode().count("Carried ") + response.content.decode().count("More ")
        == FOLLOW_UP_PAGE
    )
    assert len(more) == len(few)


def test_the_api_gives_the_first_page_and_links_the_rest(client, late_meeting):
    detail = client.get(f"/api/v1/meetings/{late_meeting.key}").json()
    assert len(detail["follow_up"]) == FOLLOW_UP_PAGE
    assert detail["follow_up_count"] == FOLLOW_UP_PAGE + 5
    rest = client.get(detail["follow_up_next"]).json()
    assert rest["count"] == FOLLOW_UP_PAGE + 5
    shown = [ap["id"] for ap in detail["follow_up"]] + [ap["id"] for ap in rest["items"]]
    assert len(set(shown)) == FOLLOW_UP_PAGE + 5
    assert rest["next"] is None


def test_an_unknown_meetings_follow_up_is_404(client, db):
    assert client.get("/api/v1/meetings/nope-9/follow-up").status_code == 404

"""Every list answers count, next and previous; a cursor reads a deep page by its key."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.meetings.tests.factories import ActionPointFactory, MeetingFactory


@pytest.fixture
def points(db):
    meeting = MeetingFactory()
    # Equal due dates: the primary key breaks the tie, in both kinds of paging.
    return [
        ActionPointFactory(meeting=meeting, due_date=dt.date(2020, 1, 1 + n % 3)) for n in range(7)
    ]


def _walk(client, path, **query):
    pages, url = [], path
    params: dict | None = query
    while url:
        body = client.get(url, params).json()
        pages.append(body)
        url, params = body["next"], None
    return pages


def test_following_next_links_reads_every_item_once_in_order(client, points):
    pages = _walk(client, "/api/v1/action-points", limit="3")
    ids = [item["id"] for page in pages for item in page["items"]]
    expected = [p.pk for p in sorted(points, key=lambda p: (p.due_date, p.pk))]
    assert ids == expected
    assert [len(page["items"]) for page in pages] == [3, 3, 1]
    assert {page["count"] for page in pages} == {7}
    assert pages[0]["previous"] is None
    assert "cursor=" in pages[0]["next"]
    assert pages[-1]["next"] is None


def test_a_cursor_page_matches_the_offset_page(client, points):
    first = client.get("/api/v1/action-points", {"limit": "2"}).json()
    by_cursor = client.get(first["next"]).json()
    by_offset = client.get("/api/v1/action-points", {"limit": "2", "offset": "2"}).json()
    assert by_cursor["items"] == by_offset["items"]
    assert "offset=0" in by_cursor["previous"]


def test_a_forged_cursor_is_422(client, points):
    for cursor in ["not-base64!", "eyJ4IjoxfQ", "W10", "eyJvIjotMX0"]:
        response = client.get("/api/v1/action-points", {"cursor": cursor})
        assert response.status_code == 422, (cursor, response.content)
        assert "cursor" in response.json()["detail"]


def test_a_list_without_a_key_pages_by_offset_in_its_cursor(client, db):
    MeetingFactory.create_batch(3)
    first = client.get("/api/v1/meetings", {"limit": "2"}).json()
    assert first["count"] == 3
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1
    assert second["next"] is None
    assert {m["key"] for m in first["items"]}.isdisjoint({m["key"] for m in second["items"]})

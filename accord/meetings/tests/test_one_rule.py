"""One rule each: a partner named as it was on the meeting's date (page and API), one
default classification for action points (page and API), and ordinals read with the
meetings, so that listing meetings and their minutes takes a fixed number of queries."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.meetings import services
from accord.meetings.models import ActionPoint, Meeting, Minutes, with_meeting_ordinal
from accord.meetings.services import ACTION_POINT_CLASSIFICATION
from accord.meetings.tests.factories import MeetingFactory, MeetingTierFactory

pytestmark = pytest.mark.django_db


def test_a_partner_is_named_as_it_was_on_the_meetings_date_on_page_and_api(client, reference):
    page = client.get(reverse("meeting-detail", args=["som-3"])).content.decode()
    api = client.get("/api/v1/meetings/som-3").json()
    listed = {m["key"]: m for m in client.get("/api/v1/meetings", {"tier": "som"}).json()["items"]}
    assert "DG DEVCO" in page
    assert "DG INTPA" not in page
    assert api["host"] == listed["som-3"]["host"] == "DG DEVCO"
    # After the renaming, the same partner under its new name, on both.
    assert listed["som-8"]["host"] == "DG INTPA"
    assert "DG INTPA" in client.get(reverse("meeting-detail", args=["som-8"])).content.decode()
    delegations = {p["organisation"] for p in api["participants"]}
    assert "DG DEVCO" in {
        p["organisation"] for p in client.get("/api/v1/meetings/som-5").json()["participants"]
    }
    assert "DG INTPA" not in delegations


def test_action_points_have_one_default_classification(som, org, secretariat, client, api_client):
    assert som(3).classification == "public"
    client.force_login(secretariat)
    client.post(
        reverse("meeting-action-add", args=["som-3"]),
        {"text": "From the page", "owners": ["IOM"]},
    )
    api_client(secretariat).post(
        "/api/v1/meetings/som-3/action-points",
        data=json.dumps({"text": "From the API", "owners": ["IOM"]}),
        content_type="application/json",
    )
    by_service = services.action_point_create(
        meeting=som(3), text="From the service", owners=[org("IOM")]
    )
    classes = dict(ActionPoint.objects.values_list("text", "classification"))
    assert classes == {
        "From the page": ACTION_POINT_CLASSIFICATION,
        "From the API": ACTION_POINT_CLASSIFICATION,
        "From the service": ACTION_POINT_CLASSIFICATION,
    }
    assert by_service.classification == "members"


def _meetings_with_minutes(count: int) -> str:
    tier = MeetingTierFactory.create()
    for n in range(count):
        meeting = MeetingFactory.create(
            tier=tier, date=dt.date(2010, 1, 1) + dt.timedelta(days=40 * n)
        )
        Minutes.objects.create(
            meeting=meeting, body=f"Minutes {n}", body_html="", status="approved"
        )
    return tier.code


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_str_and_key_of_meetings_read_with_their_ordinal_need_no_query(
    django_assert_num_queries,
):
    _meetings_with_minutes(3)
    meetings = list(Meeting.objects.with_ordinal())
    minutes = list(with_meeting_ordinal(Minutes.objects.all()))
    with django_assert_num_queries(0):
        assert [m.key.rsplit("-", 1)[1] for m in meetings] == ["1", "2", "3"]
        assert str(meetings[0]).startswith("1st ")
        assert str(minutes[2]).startswith("Minutes of 3rd ")


def test_listing_meetings_and_their_minutes_takes_a_fixed_number_of_queries(
    client, django_user_model, django_assert_num_queries
):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    code = _meetings_with_minutes(2)
    lists = {
        "api": lambda: client.get("/api/v1/meetings", {"limit": 100}),
        "page": lambda: client.get(reverse("meeting-list")),
        "minutes": lambda: client.get(reverse("meeting-tier-minutes", args=[code])),
        "admin meetings": lambda: client.get(reverse("admin:meetings_meeting_changelist")),
        "admin minutes": lambda: client.get(reverse("admin:meetings_minutes_changelist")),
    }
    for name, get in lists.items():
        assert get().status_code == 200, name
    before = {name: _queries(get) for name, get in lists.items()}
    tier = Meeting.objects.filter(tier__code=code).first().tier
    for n in range(10):
        meeting = MeetingFactory.create(
            tier=tier, date=dt.date(2020, 1, 1) + dt.timedelta(days=40 * n)
        )
        Minutes.objects.create(meeting=meeting, body="More", body_html="", status="approved")
    after = {name: _queries(get) for name, get in lists.items()}
    assert before == after
    # The API's list in absolute terms: the page of meetings with their ordinals, its
    # count, and one prefetch each (topics, names, restricted partners, co-chairs), the
    # session and its user.
    with django_assert_num_queries(8, exact=False):
        lists["api"]()


def test_french_pages_give_meetings_their_french_names_places_and_dates(client, som, org):
    services.action_point_create(
        meeting=som(3),
        text="Compile",
        owners=[org("IOM")],
        due_date=dt.date(2025, 6, 30),
        classification="public",
    )
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    page = client.get(reverse("meeting-detail", args=["som-3"]), headers=french).content.decode()
    assert "3e réunion des hauts fonctionnaires" in page
    assert "Bruxelles" in page
    assert "Tenue" in page
    assert "30 juin 2025" in page  # never the ambiguous "30 Jui 2025"
    listing = client.get(reverse("meeting-list"), headers=french).content.decode()
    assert "1re réunion des hauts fonctionnaires" in listing
    assert "Senior Officials Meeting" not in listing.split("<main")[1]

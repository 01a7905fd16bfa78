"""Partners over time: the members and their names on a date, and a partner's profile."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from accord.meetings import services
from accord.meetings.models import ActionPointStatus

pytestmark = pytest.mark.django_db


def test_home_shows_the_members_and_their_names_on_a_date(client, reference):
    then = client.get(reverse("home"), {"on": "2015-06-01"}).content.decode()
    assert "Members on 1 June 2015" in then
    members = then.split('class="member-list"')[1].split("</ul>")[0]
    assert "DG DEVCO" in members
    assert "DG NEAR" not in members  # joined in 2016
    api = client.get("/api/v1/frameworks/eu-iom-scf/members", {"on": "2015-06-01"}).json()
    assert {m["acronym"] for m in api["items"]} == set(
        re.findall(r"<strong>([^<]+)</strong>", members)
    )
    now = client.get(reverse("home")).content.decode()
    assert "DG INTPA" in now.split('class="member-list"')[1].split("</ul>")[0]
    bad = client.get(reverse("home"), {"on": "soon"})
    assert bad.status_code == 400
    assert "not a date" in bad.content.decode()


def test_partner_page_on_a_date_shows_the_name_then(client, reference):
    page = client.get(reverse("partner-detail", args=["dg-intpa"]), {"on": "2019-01-01"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<h1>DG DEVCO" in text
    assert "Now DG INTPA" in text
    today = client.get(reverse("partner-detail", args=["dg-intpa"])).content.decode()
    assert "<h1>DG INTPA" in today


def test_partner_profile_counts_meetings_and_action_points(client, reference):
    from accord.meetings.selectors import meeting_get
    from accord.partners.selectors import organisation_get

    def som(n):
        return meeting_get(user=None, key=f"som-{n}")

    iom = organisation_get("IOM")
    on_time = services.action_point_create(
        meeting=som(3),
        text="On time",
        owners=[iom],
        due_date=dt.date(2016, 6, 1),
        classification="public",
    )
    services.action_point_progress(
        action_point=on_time, text="Done", on=dt.date(2016, 5, 1), status=ActionPointStatus.DONE
    )
    late = services.action_point_create(
        meeting=som(3),
        text="Late",
        owners=[iom],
        due_date=dt.date(2016, 6, 1),
        classification="public",
    )
    services.action_point_progress(
        action_point=late, text="Done", on=dt.date(2016, 9, 1), status=ActionPointStatus.DONE
    )
    services.action_point_create(
        meeting=som(3),
        text="Open",
        owners=[iom],
        due_date=dt.date(2017, 1, 1),
        classification="public",
    )
    from accord.partners.profile import partner_profile

    profile = partner_profile(user=None, organisation=iom, on=None)
    figures = profile.action_points
    assert (figures.total, figures.open, figures.overdue, figures.closed) == (3, 1, 1, 2)
    assert figures.share_closed_on_time == 50
    assert any(meeting.key == "som-3" for meeting, _attended in profile.meetings)
    page = client.get(reverse("partner-detail", args=["iom"])).content.decode()
    assert "50 %" in page
    assert "3rd Senior Officials Meeting" in page

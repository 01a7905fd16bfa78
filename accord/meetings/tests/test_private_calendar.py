"""Private calendar feeds: each user's secret URL shows the meetings and action points that
user may see (events with reminders, tasks related to their meeting); a new URL revokes
the old; the public feeds stay public; an invitation carries its .ics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from icalendar import Calendar

from accord.meetings import invitations
from accord.meetings.models import CalendarFeed
from accord.meetings.tests.factories import ActionPointFactory, MeetingFactory, MeetingTierFactory
from accord.partners.models import Organisation
from accord.partners.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def record(make_user: Any) -> dict[str, Any]:
    member = make_user("eeas-member", ("EEAS", "member"))
    iom_focal = make_user("iom-focal", ("IOM", "focal_point"))
    iom = Organisation.objects.get(acronym="IOM")
    tier = MeetingTierFactory(code="som", name="Senior Officials Meeting")
    public = MeetingFactory(tier=tier, date=dt.date(2026, 6, 1), title="Open meeting")
    members = MeetingFactory(
        tier=tier, date=dt.date(2027, 2, 1), title="Members meeting", classification="members"
    )
    restricted = MeetingFactory(
        tier=tier, date=dt.date(2027, 3, 1), title="IOM only meeting", classification="restricted"
    )
    restricted.restricted_to.set([iom])
    point = ActionPointFactory(
        meeting=members,
        text="Send the draft work plan",
        due_date=dt.date(2027, 3, 15),
        status="in_progress",
        classification="members",
        owners=[iom],
    )
    return {
        "member": member,
        "iom_focal": iom_focal,
        "meetings": (public, members, restricted),
        "point": point,
    }


def feed(client: Client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def summaries(calendar: Calendar, kind: str) -> set[str]:
    return {str(part["summary"]) for part in calendar.walk(kind)}


@time_machine.travel(TODAY, tick=False)
def test_the_private_feed_shows_what_its_user_may_see(record: dict[str, Any], api_client) -> None:
    url = api_client(record["member"]).get("/api/v1/me/calendar").json()["url"]
    assert url.startswith("http://testserver/calendar/")
    # Read by a calendar app: no session, the token in the URL.
    calendar = feed(Client(), url.removeprefix("http://testserver"))
    assert summaries(calendar, "VEVENT") == {"Open meeting", "Members meeting"}
    event = next(e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Members meeting")
    alarms = event.walk("VALARM")
    assert [alarm["trigger"].dt for alarm in alarms] == [dt.timedelta(days=-1)]
    (todo,) = calendar.walk("VTODO")
    assert str(todo["summary"]) == "Send the draft work plan"
    assert todo["due"].dt == dt.date(2027, 3, 15)
    assert str(todo["status"]) == "IN-PROCESS"
    assert int(todo["percent-complete"]) == 50
    assert str(todo["related-to"]) == str(event["uid"])

    # IOM's focal point also sees the meeting restricted to IOM.
    focal_url = api_client(record["iom_focal"]).get("/api/v1/me/calendar").json()["url"]
    focal = feed(Client(), focal_url.removeprefix("http://testserver"))
    assert "IOM only meeting" in summaries(focal, "VEVENT")

    # The public feed stays public, even for a signed-in member.
    signed_in = Client()
    signed_in.force_login(record["member"])
    public = feed(signed_in, "/meetings/calendar/som.ics")
    assert summaries(public, "VEVENT") == {"Open meeting"}
    assert not public.walk("VTODO")


@time_machine.travel(TODAY, tick=False)
def test_a_new_address_revokes_the_old(record: dict[str, Any], api_client) -> None:
    client = api_client(record["member"])
    old = client.get("/api/v1/me/calendar").json()["url"].removeprefix("http://testserver")
    assert client.get("/api/v1/me/calendar").json()["url"].endswith(old)  # the same until renewed
    # Only a digest of the token is kept.
    token = old.removeprefix("/calendar/").removesuffix(".ics")
    stored = CalendarFeed.objects.get(user=record["member"])
    assert token not in (stored.nonce, stored.digest)
    new = client.post("/api/v1/me/calendar/renew").json()["url"].removeprefix("http://testserver")
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert Client().get("/calendar/made-up.ics").status_code == 404
    # The account page shows the address and renews it.
    page = Client()
    page.force_login(record["member"])
    assert new in page.get("/account/").content.decode()
    assert page.post("/account/calendar/renew/").status_code == 302
    assert Client().get(new).status_code == 404
    # A deactivated user's feed answers nothing.
    newest = client.get("/api/v1/me/calendar").json()["url"].removeprefix("http://testserver")
    record["member"].is_active = False
    record["member"].save(update_fields=["is_active"])
    assert Client().get(newest).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_an_invitation_carries_its_ics(
    record: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    public = record["meetings"][0]
    MembershipFactory(
        framework=public.tier.framework,
        organisation=Organisation.objects.get(acronym="IOM"),
        joined_on=dt.date(2012, 7, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = invitations.invitation_send(
            meeting=public,
            organisation=Organisation.objects.get(acronym="IOM"),
            emails=["delegate@iom.int"],
            base_url="https://accord.test/",
        )
    (message,) = mail.outbox
    ((name, content, mimetype),) = message.attachments
    assert name == "invitation.ics"
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Open meeting"
    assert str(event["attendee"]) == "mailto:delegate@iom.int"
    assert event.walk("VALARM")
    token = invitations.invitation_token(invitation)
    download = Client().get(f"/invitations/{token}/invitation.ics")
    assert Calendar.from_ical(download.content).walk("VEVENT")[0]["uid"] == event["uid"]

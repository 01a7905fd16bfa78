import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from icalendar import Calendar

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def events(content: bytes) -> list:
    return list(Calendar.from_ical(content).walk("VEVENT"))


def test_calendar_command_writes_the_soms(reference, tmp_path):
    target = tmp_path / "som.ics"
    out = io.StringIO()
    call_command(
        "calendar", "--tier", "som", "-o", str(target), "--base-url", "https://x.test", stdout=out
    )
    assert "11 meetings written" in out.getvalue()
    found = events(target.read_bytes())
    assert len(found) == 11
    third = next(e for e in found if str(e["summary"]) == "3rd Senior Officials Meeting")
    assert third.decoded("dtstart") == dt.date(2016, 2, 16)
    assert str(third["url"]) == "https://x.test/meetings/som-3/"
    assert str(third["location"]) == "Brussels"
    eighth = next(e for e in found if str(e["summary"]) == "8th Senior Officials Meeting")
    assert eighth.decoded("dtstart") == dt.date(2021, 1, 1)
    assert eighth.decoded("dtend") == dt.date(2022, 1, 1)
    assert str(eighth["status"]) == "TENTATIVE"


def test_calendar_command_for_a_person(reference):
    out = io.StringIO()
    call_command("calendar", "--person", "Amy Pope", stdout=out)
    assert [str(e["summary"]) for e in events(out.getvalue().encode())] == [
        "11th Senior Officials Meeting"
    ]


def test_calendar_command_unknown_tier(reference):
    with pytest.raises(CommandError, match="No meeting tier"):
        call_command("calendar", "--tier", "nope")


def test_tier_and_person_feeds(client, reference):
    response = client.get(reverse("meeting-tier-calendar", args=["som"]))
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    assert len(found) == 11
    assert str(found[0]["url"]) == "http://testserver/meetings/som-1/"
    from accord.partners.models import Person

    swing = Person.objects.get(full_name="William Lacy Swing")
    response = client.get(reverse("meeting-person-calendar", args=[swing.pk]))
    assert [str(e["summary"]) for e in events(response.content)] == [
        "3rd Senior Officials Meeting",
        "5th Senior Officials Meeting",
    ]
    assert client.get(reverse("meeting-tier-calendar", args=["nope"])).status_code == 404


def test_timed_meeting_event_keeps_its_time_zone(secretariat):

    from accord.meetings import services
    from accord.meetings.calendar import meetings_calendar
    from accord.meetings.selectors import meeting_list
    from accord.meetings.tests.factories import MeetingTierFactory

    start = dt.datetime(2023, 3, 1, 10, 0, tzinfo=BRUSSELS)
    services.meeting_create(
        tier=MeetingTierFactory(code="hou"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        virtual=True,
        by=secretariat,
    )
    content = meetings_calendar(meeting_list(user=secretariat, tier="hou"), name="x", base_url="")
    (event,) = events(content)
    assert event.decoded("dtstart") == start
    assert str(event["location"]) == "Online"

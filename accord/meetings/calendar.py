"""iCalendar feeds of meetings: per tier and per person, each event linking to the
meeting's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from icalendar import Calendar, Event

from accord.core.dates import DatePrecision
from accord.meetings.models import Meeting, MeetingStatus

PRODID = "-//Accord//Meetings//EN"


def meeting_event(meeting: Meeting, *, base_url: str) -> Event:
    url = base_url.rstrip("/") + reverse("meeting-detail", args=[meeting.key])
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@accord")
    event.add("dtstamp", meeting.updated_at)
    event.add("summary", meeting.display_name)
    event.add("url", url)
    event.add("categories", [meeting.tier.name])
    description = [url]
    if meeting.starts_at:
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + dt.timedelta(hours=1))
    else:
        # A day, or the whole month or year when only that is known: an all-day event
        # spanning it, marked tentative and transparent so it does not block calendars.
        first, last = meeting.period()
        event.add("dtstart", first)
        event.add("dtend", last + dt.timedelta(days=1))
        if meeting.date_precision != DatePrecision.DAY:
            event.add("transp", "TRANSPARENT")
            description.insert(0, f"Date known only to the {meeting.date_precision}.")
    if meeting.venue:
        event.add("location", meeting.venue)
    tentative = meeting.status == MeetingStatus.PLANNED or (
        meeting.date_precision != DatePrecision.DAY
    )
    event.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    topics = [topic.name for topic in meeting.topics.all()]
    if topics:
        description.append("Topics: " + "; ".join(topics))
    event.add("description", "\n".join(description))
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, name: str, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, base_url=base_url))
    return calendar.to_ical()

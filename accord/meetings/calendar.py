"""iCalendar of meetings: the public feeds per tier and per person, each event linking to
the meeting's page; the parts of the private feeds (events with reminders, action points
as tasks related to their meeting); an invitation's own ``.ics``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from icalendar import Alarm, Calendar, Event, Todo, vCalAddress, vText

from accord.core.dates import DatePrecision
from accord.meetings.models import (
    ActionPoint,
    ActionPointStatus,
    Invitation,
    InvitationAnswer,
    Meeting,
    MeetingStatus,
)

PRODID = "-//Accord//Meetings//EN"
#: A meeting's reminder: the day before it.
REMINDER = dt.timedelta(days=-1)


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@accord"


def reminder(description: str, before: dt.timedelta = REMINDER) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", before)
    return alarm


def meeting_event(meeting: Meeting, *, base_url: str, alarm: bool = False) -> Event:
    """The meeting as an event; ``alarm``: with a reminder the day before."""
    url = base_url.rstrip("/") + reverse("meeting-detail", args=[meeting.key])
    event = Event()
    event.add("uid", meeting_uid(meeting))
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
    if alarm:
        event.add_component(reminder(f"Tomorrow: {meeting.display_name}"))
    return event


TODO_STATUS = {
    ActionPointStatus.OPEN: ("NEEDS-ACTION", 0),
    ActionPointStatus.IN_PROGRESS: ("IN-PROCESS", 50),
    ActionPointStatus.DONE: ("COMPLETED", 100),
    ActionPointStatus.DROPPED: ("CANCELLED", 0),
}


def action_point_todo(point: ActionPoint, *, base_url: str) -> Todo:
    """An action point as a task: due date, status and percent complete, related to the
    meeting that raised it (read with its meeting and owners)."""
    meeting = point.meeting
    url = base_url.rstrip("/") + reverse("meeting-detail", args=[meeting.key])
    status, percent = TODO_STATUS.get(ActionPointStatus(point.status), ("NEEDS-ACTION", 0))
    todo = Todo()
    todo.add("uid", f"action-point-{point.pk}@accord")
    todo.add("dtstamp", point.updated_at)
    todo.add("summary", point.text.splitlines()[0][:200] if point.text else "")
    owners = ", ".join(owner.acronym for owner in point.owners.all())
    todo.add("description", f"{point.text}\n\nOwners: {owners}\nRaised at: {meeting}\n{url}")
    todo.add("url", url)
    todo.add("status", status)
    todo.add("percent-complete", percent)
    todo.add("related-to", meeting_uid(meeting))
    if point.due_date is not None:
        todo.add("due", point.due_date)
        if point.is_still_open:
            todo.add_component(reminder(f"Due tomorrow: {point.text[:80]}"))
    if status == "COMPLETED":
        todo.add("completed", point.updated_at)
    return todo


PARTSTAT = {
    InvitationAnswer.PENDING: "NEEDS-ACTION",
    InvitationAnswer.ATTENDING: "ACCEPTED",
    InvitationAnswer.NOT_ATTENDING: "DECLINED",
    InvitationAnswer.DELEGATE: "DELEGATED",
}


def invitation_calendar(invitation: Invitation, *, base_url: str, organizer: str) -> bytes:
    """An invitation's ``.ics``: the meeting as a request to the invitee, with a reminder,
    to attach to the invitation's mail or download from its link."""
    meeting = invitation.meeting
    event = meeting_event(meeting, base_url=base_url, alarm=True)
    organizer_address = vCalAddress(f"mailto:{organizer}")
    organizer_address.params["cn"] = vText("Accord")
    event.add("organizer", organizer_address)
    attendee = vCalAddress(f"mailto:{invitation.email}")
    attendee.params["cn"] = vText(invitation.invitee)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText(
        PARTSTAT.get(InvitationAnswer(invitation.answer), "NEEDS-ACTION")
    )
    attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee, encode=False)
    event.add("sequence", invitation.reminders)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add_component(event)
    return calendar.to_ical()


def meetings_calendar(meetings: Iterable[Meeting], *, name: str, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, base_url=base_url))
    return calendar.to_ical()

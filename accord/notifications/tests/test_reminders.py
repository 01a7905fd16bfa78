"""Reminders and digests, with time moved and the worker's due work run in this process."""

from __future__ import annotations

import datetime as dt
import io
from email import message_from_string
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accord.meetings import services as meetings
from accord.meetings.tests.factories import MeetingFactory
from accord.notifications.models import Notification
from accord.partners.models import Organisation
from accord.partners.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=False)

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def worker_once() -> str:
    out = io.StringIO()
    call_command("worker", "--once", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "assignee": make_user("assignee", ("IOM", "member"), email="assignee@example.org"),
        "focal": make_user("iom-focal", ("IOM", "focal_point"), email="focal@example.org"),
        "other": make_user("home-focal", ("DG HOME", "focal_point"), email="home@example.org"),
        "secretariat": make_user("secr", ("SECR", "secretariat"), email="secr@example.org"),
    }


def recipients(messages: list[Any]) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def test_an_action_point_due_in_7_days_gives_one_reminder_to_its_people(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    today = dt.date(2026, 3, 2)
    with time_machine.travel(at(today - dt.timedelta(days=30), 9), tick=False):
        meeting = MeetingFactory(date=today - dt.timedelta(days=30))
        assignee = PersonFactory(full_name="Ana Assignee", email="assignee@example.org")
        meetings.action_point_create(
            meeting=meeting,
            text="Send the route study",
            owners=[Organisation.objects.get(acronym="IOM")],
            assignee=assignee,
            due_date=today + dt.timedelta(days=7),
            classification="members",
        )
        worker_once()
    mail.outbox.clear()
    Notification.objects.all().delete()  # only the reminder is looked at here

    with time_machine.travel(at(today, 9), tick=False):
        worker_once()
    reminders = [m for m in mail.outbox if "due on" in m.subject]
    # The assignee (by name) at once; the focal point of the owner waits for the digest.
    assert recipients(reminders) == ["assignee@example.org"]
    assert "Send the route study" in reminders[0].subject
    assert Notification.objects.filter(kind="action_point.due_soon").count() == 2
    assert set(
        Notification.objects.filter(kind="action_point.due_soon").values_list(
            "recipient__username", flat=True
        )
    ) == {"assignee", "iom-focal"}

    mail.outbox.clear()
    for hour in (10, 11, 15):  # the next scans find the reminder told already
        with time_machine.travel(at(today, hour), tick=False):
            worker_once()
    with time_machine.travel(at(today + dt.timedelta(days=1), 9), tick=False):
        worker_once()
    assert Notification.objects.filter(kind="action_point.due_soon").count() == 2
    assert [m for m in mail.outbox if "due on" in m.subject and "assignee" in m.to[0]] == []
    # The focal point's daily digest of the next morning holds it, once.
    digests = [m for m in mail.outbox if "digest" in m.subject]
    assert recipients(digests) == ["focal@example.org"]
    assert "Send the route study" in digests[0].body
    assert "home@example.org" not in recipients(mail.outbox)
    assert "secr@example.org" not in recipients(mail.outbox)


def test_a_daily_digest_gathers_a_days_events_into_one_message(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    day = dt.date(2026, 4, 14)
    iom = Organisation.objects.get(acronym="IOM")
    meeting = MeetingFactory(date=day - dt.timedelta(days=20))
    for hour, text in ((9, "First action"), (13, "Second action"), (17, "Third action")):
        with (
            time_machine.travel(at(day, hour), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            meetings.action_point_create(
                meeting=meeting,
                text=text,
                owners=[iom],
                due_date=day + dt.timedelta(days=60),
                by=people["secretariat"],
            )
        with time_machine.travel(at(day, hour), tick=False):
            worker_once()
    assert [m for m in mail.outbox if "focal@example.org" in m.to] == []
    with time_machine.travel(at(day + dt.timedelta(days=1), 7), tick=False):
        worker_once()
    with time_machine.travel(at(day + dt.timedelta(days=1), 8), tick=False):
        worker_once()
    to_focal = [m for m in mail.outbox if "focal@example.org" in m.to]
    assert len(to_focal) == 1
    digest = to_focal[0]
    assert "daily digest: 3 notifications" in digest.subject
    for text in ("First action", "Second action", "Third action"):
        assert text in digest.body
    html = digest.alternatives[0][0]
    assert "Third action" in html
    assert "<script" not in html
    assert "/notifications/unsubscribe/" in digest.body
    # The other partner's focal point is told nothing of IOM's action points.
    assert [m for m in mail.outbox if "home@example.org" in m.to] == []


def test_mail_goes_in_the_recipients_language_and_unsubscribes_by_kind(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    from accord.notifications.services import preferences_set

    focal = people["focal"]
    preferences_set(user=focal, choices={"action_point.assigned": "at_once"}, language="fr")
    meeting = MeetingFactory(date=dt.date(2026, 1, 5))
    with django_capture_on_commit_callbacks(execute=True):
        meetings.action_point_create(
            meeting=meeting,
            text="Envoyer le rapport",
            owners=[Organisation.objects.get(acronym="IOM")],
            by=people["secretariat"],
        )
    worker_once()
    message = next(m for m in mail.outbox if focal.email in m.to)
    assert "Bonjour" in message.body
    assert message.extra_headers["Content-Language"] == "fr"
    link = next(line for line in message.body.split() if "/notifications/unsubscribe/" in line)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    from accord.notifications.models import Preference

    assert Preference.objects.get(user=focal, kind="action_point.assigned").delivery == "off"
    assert client.get(path.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404
    parsed = message_from_string(message.message().as_string())
    assert parsed.is_multipart()

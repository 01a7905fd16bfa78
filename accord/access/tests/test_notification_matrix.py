"""Mail joins the access matrix: notifications about the marker records, whatever raised
them, reach only the readers allowed to read those records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accord.access.models import AuditEvent
from accord.access.tests.markers import READERS, build_record, hidden_markers
from accord.notifications.delivery import deliver
from accord.notifications.events import follow
from accord.notifications.models import Notification
from accord.notifications.scans import reminders_scan
from accord.notifications.selectors import notifications_for
from accord.notifications.services import preferences_set

pytestmark = pytest.mark.django_db


def test_the_markers_notifications_reach_only_their_readers() -> None:
    record = build_record()
    readers = {name: user for name, user in record.users.items() if user is not None}
    for user in readers.values():
        preferences_set(user=user, choices={"action_point.updated": "at_once"})
    # What the services' own events and the scans raise...
    for event in AuditEvent.objects.order_by("pk"):
        follow(event.pk)
    reminders_scan(dt.date(2020, 6, 25))
    # ...and, to try the check at send time, one about every marker record for everyone.
    targets = [
        *(("meetings.actionpoint", r.pk, r.text) for r in record.actions.values()),
        *(("meetings.decision", r.pk, r.text) for r in record.decisions.values()),
        *(("meetings.meeting", r.pk, r.title) for r in record.meetings.values()),
        *(("meetings.document", r.pk, r.title) for r in record.documents.values()),
        *(("meetings.minutes", r.pk, r.body) for r in record.meeting_minutes.values()),
        *(("commitments.initiative", r.pk, r.title["en"]) for r in record.initiatives.values()),
    ]
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="action_point.updated",
            key=f"matrix:{kind}:{pk}",
            target_type=kind,
            target_id=pk,
            data={"label": label},
        )
        for user in readers.values()
        for kind, pk, label in targets
    )
    mail.outbox.clear()
    deliver()
    leaks: list[str] = []
    for name in READERS:
        user = readers.get(name)
        if user is None:
            continue
        texts = [
            (str(m.subject) + str(m.body) + str(m.alternatives[0][0])).lower()
            for m in mail.outbox
            if user.email in m.to
        ]
        listed = " ".join(str(n.data) for n in notifications_for(user)).lower()
        for word in hidden_markers(name):
            leaks.extend(f"{name} mailed {word}" for text in texts if word in text)
            if word in listed:
                leaks.append(f"{name} lists {word}")
        # Proof that mail went at all: each reader got the public marker action point.
        assert any("mkractionpublic" in text for text in texts), name
    assert not leaks, "\n".join(sorted(set(leaks)))
    # The secretariat reads everything, so it was told of the restricted records too.
    secretariat = [m for m in mail.outbox if readers["secretariat"].email in m.to]
    assert any("mkrdecisionrestricted" in m.subject for m in secretariat)
    assert Notification.objects.filter(mail="withheld").exists()

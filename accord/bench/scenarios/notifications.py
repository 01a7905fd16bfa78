"""Reminders and digests.

``reminder_scan``: the hourly scan of the action points (due within 7 days, or overdue)
for their owners' focal points, run again as the worker does once everything is told,
against the raw SQL that finds the same (action point, person) pairs and the occasions
told already.

``digest_send``: daily digests (five notifications each) rendered in each reader's
language and mailed through a real SMTP server (aiosmtpd, on loopback), against sending
the same messages, already built, with bare smtplib on one connection.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accord.access.models import Role, RoleKind
from accord.bench.harness import scenario
from accord.bench.scenarios.meetings import generate
from accord.meetings.models import ActionPoint
from accord.notifications.delivery import deliver, digest_start
from accord.notifications.models import Delivery, Digest, MailState, Notification
from accord.notifications.scans import action_point_reminders
from accord.notifications.services import notify

# --- reminder_scan -----------------------------------------------------------------------


@dataclass
class ScanContext:
    today: dt.date
    action_points: int
    told: int = 0


def _focal_points(organisations: list[Any], prefix: str) -> None:
    users = get_user_model()._default_manager
    if users.filter(username__startswith=prefix).exists():
        return
    made = users.bulk_create(
        users.model(username=f"{prefix}{o.acronym.lower()}", email=f"{o.acronym}@example.org")
        for o in organisations
    )
    Role.objects.bulk_create(
        Role(user=user, organisation=o, kind=RoleKind.FOCAL_POINT)
        for user, o in zip(made, organisations, strict=True)
    )


def scan_setup(scale: str) -> ScanContext:
    organisations = generate(scale)
    prefix = organisations[0].acronym[:2].lower()
    _focal_points(organisations, f"bench-focal-{prefix}-")
    points = ActionPoint.objects.filter(meeting__tier__code__startswith=prefix)
    # The day by which half of the action points fall due: thousands overdue, some due soon.
    dates = sorted(points.values_list("due_date", flat=True))
    today = dates[len(dates) // 2]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    context = ScanContext(today=today, action_points=points.count())
    context.told = notify(action_point_reminders(today))  # the first scan: all told
    return context


SCAN_SQL = """
SELECT ap.id, ap.due_date, r.user_id
FROM meetings_actionpoint ap
JOIN meetings_actionpoint_owners ow ON ow.actionpoint_id = ap.id
JOIN access_role r ON r.organisation_id = ow.organisation_id
JOIN auth_user u ON u.id = r.user_id
WHERE ap.status IN ('open', 'in_progress') AND ap.due_date IS NOT NULL AND ap.due_date <= %s
  AND r.kind IN ('focal_point', 'contributor') AND u.is_active
"""
TOLD_SQL = """
SELECT n.recipient_id, n.key FROM notifications_notification n
WHERE n.kind IN ('action_point.due_soon', 'action_point.overdue')
"""


def scan_raw_sql(context: ScanContext) -> object:
    with connection.cursor() as cursor:
        cursor.execute(SCAN_SQL, [context.today + dt.timedelta(days=7)])
        pairs = cursor.fetchall()
        cursor.execute(TOLD_SQL)
        told = set(cursor.fetchall())
    today = context.today
    fresh = []
    for ap_id, due, user_id in pairs:
        due = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due))
        if due >= today:
            key = f"action_point.due_soon:{ap_id}:{due.isoformat()}"
        else:
            key = f"action_point.overdue:{ap_id}:{due.isoformat()}:w{(today - due).days // 7}"
        if (user_id, key) not in told:
            fresh.append((ap_id, user_id, key))
    return fresh


@scenario(
    "reminder_scan",
    goal=3.0,
    floor="raw SQL",
    setup=scan_setup,
    baseline=scan_raw_sql,
    size=lambda c: f"{c.action_points} action points, {c.told} reminders told",
    repeat=5,
)
def reminder_scan(context: ScanContext) -> object:
    return notify(action_point_reminders(context.today))


# --- digest_send -------------------------------------------------------------------------

DIGESTS = {"small": 100, "large": 1_000}


@dataclass
class DigestContext:
    port: int
    now: dt.datetime
    digests: int
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    server: Any = None


def digest_setup(scale: str) -> DigestContext:
    from accord.notifications.tests.smtp import smtp_server

    organisations = generate(scale)
    prefix = organisations[0].acronym[:2].lower()
    count = DIGESTS[scale]
    users = get_user_model()._default_manager
    readers = list(users.filter(username__startswith=f"bench-reader-{prefix}-").order_by("pk"))
    if not readers:
        readers = users.bulk_create(
            users.model(username=f"bench-reader-{prefix}-{n}", email=f"reader{n}@example.org")
            for n in range(count)
        )
        Role.objects.bulk_create(
            Role(user=user, organisation=organisations[n % len(organisations)], kind="member")
            for n, user in enumerate(readers)
        )
    points = list(
        ActionPoint.objects.filter(meeting__tier__code__startswith=prefix)
        .order_by("pk")
        .values_list("pk", "text")[:5]
    )
    yesterday = timezone.now() - dt.timedelta(days=1)
    Notification.objects.filter(recipient__in=readers).delete()
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="action_point.updated",
            key=f"bench:{user.pk}:{pk}",
            target_type="meetings.actionpoint",
            target_id=pk,
            data={"label": text, "url": f"/meetings/{pk}/", "actor": "secretariat"},
            created_at=yesterday,
        )
        for user in readers
        for pk, text in points
    )
    now = digest_start(Delivery.DAILY, timezone.now()) + dt.timedelta(hours=1)
    server = smtp_server()
    port, received = server.__enter__()
    context = DigestContext(port=port, now=now, digests=len(readers), server=server)
    _digest_run(context)
    context.messages = list(received.envelopes)  # the same messages, for bare smtplib
    received.envelopes.clear()
    return context


def _digest_reset(context: DigestContext) -> None:
    Notification.objects.filter(key__startswith="bench:").update(
        mail=MailState.PENDING, mailed_at=None
    )
    Digest.objects.filter(starting=context.now.date()).delete()


def _digest_run(context: DigestContext) -> object:
    _digest_reset(context)
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=context.port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
    ):
        sent = deliver(context.now)
    if sent.messages != context.digests:
        raise RuntimeError(f"{sent.messages} digests sent, not {context.digests}")
    return sent


def digest_smtplib(context: DigestContext) -> object:
    with smtplib.SMTP("127.0.0.1", context.port) as client:
        for sender, recipients, content in context.messages:
            client.sendmail(sender, recipients, content)
    return len(context.messages)


@scenario(
    "digest_send",
    goal=2.0,
    floor="bare smtplib",
    setup=digest_setup,
    baseline=digest_smtplib,
    size=lambda c: f"{c.digests} digests of 5 notifications",
    repeat=5,
)
def digest_send(context: DigestContext) -> object:
    return _digest_run(context)

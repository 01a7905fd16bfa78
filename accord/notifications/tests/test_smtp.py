"""Mail through a real SMTP server: what arrives is parsed as a mail program would."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest
from django.test import override_settings

from accord.access.models import AuditEvent
from accord.meetings import services as meetings
from accord.meetings.tests.factories import MeetingFactory
from accord.notifications.delivery import deliver
from accord.notifications.events import follow
from accord.notifications.services import preferences_set
from accord.notifications.tests.smtp import smtp_server
from accord.partners.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_notification_arrives_through_smtp_as_text_and_html(make_user: Any) -> None:
    focal = make_user("focal", ("IOM", "focal_point"), email="focal@example.org")
    secretariat = make_user("secr", ("SECR", "secretariat"))
    preferences_set(user=focal, choices={"action_point.assigned": "at_once"}, language="fr")
    action = meetings.action_point_create(
        meeting=MeetingFactory(date=dt.date(2026, 2, 2)),
        text="Partager les données <b>de mars</b>",
        owners=[Organisation.objects.get(acronym="IOM")],
        by=secretariat,
    )
    event = AuditEvent.objects.get(verb="action_point.created", target_id=str(action.pk))
    assert follow(event.pk) == 1
    with (
        smtp_server() as (port, received),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            DEFAULT_FROM_EMAIL="accord@example.org",
        ),
    ):
        sent = deliver()
    assert sent.messages == 1
    assert len(received.envelopes) == 1
    mail_from, rcpt_tos, content = received.envelopes[0]
    assert mail_from == "accord@example.org"
    assert rcpt_tos == ["focal@example.org"]
    message: Any = BytesParser(policy=policy.default).parsebytes(content)
    assert message["Content-Language"] == "fr"
    assert "/notifications/unsubscribe/" in message["List-Unsubscribe"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Bonjour focal" in text
    assert "Partager les données <b>de mars</b>" in text  # plain text, as written
    assert "Partager les données &lt;b&gt;de mars&lt;/b&gt;" in html  # escaped in HTML
    assert "Point d'action pour vous" in message["Subject"]
    # Told once: another pass sends nothing more.
    with (
        smtp_server() as (port, again),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        assert deliver().messages == 0
    assert again.envelopes == []

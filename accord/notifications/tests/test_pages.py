"""The outbox, the notification list and the choices, by page and through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives

from accord.core.mail import OutboxBackend, outbox_names
from accord.meetings.tests.factories import ActionPointFactory
from accord.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


def test_the_secretariat_reads_the_outbox_with_its_html_made_safe(
    make_user: Any, client: Any
) -> None:
    secretariat = make_user("secr", ("SECR", "secretariat"))
    member = make_user("member", ("EEAS", "member"))
    message = EmailMultiAlternatives(subject="Outbox check", body="Plain words", to=["a@b.org"])
    message.attach_alternative(
        '<p>Rich <a href="/x" onclick="steal()">words</a></p><script>steal()</script>',
        "text/html",
    )
    assert OutboxBackend().send_messages([message]) == 1
    name = outbox_names()[0]
    client.force_login(member)
    assert client.get("/outbox/").status_code == 403
    assert client.get(f"/outbox/{name}/").status_code == 403
    client.force_login(secretariat)
    listing = client.get("/outbox/").content.decode()
    assert "Outbox check" in listing
    page = client.get(f"/outbox/{name}/").content.decode()
    assert "Plain words" in page
    assert "Rich" in page
    assert "steal()" not in page
    assert client.get("/outbox/../secret_key/").status_code == 404
    assert client.get("/outbox/nothing.eml/").status_code == 404


def test_my_notifications_and_choices_through_the_api(make_user: Any, api_client: Any) -> None:
    focal = make_user("focal", ("IOM", "focal_point"))
    other = make_user("other", ("IOM", "focal_point"))
    action = ActionPointFactory(text="Share the figures")
    for user in (focal, other):
        Notification.objects.create(
            recipient=user,
            kind="action_point.updated",
            key="k",
            target_type="meetings.actionpoint",
            target_id=action.pk,
            data={"label": "Share the figures"},
        )
    client = api_client(focal)
    listed = client.get("/api/v1/notifications").json()
    assert listed["count"] == 1
    assert listed["items"][0]["subject"] == "Action point updated: Share the figures"
    assert listed["items"][0]["read"] is False
    mine = listed["items"][0]["id"]
    theirs = Notification.objects.get(recipient=other).pk
    answer = client.post(
        "/api/v1/notifications/read", {"ids": [mine, theirs]}, content_type="application/json"
    )
    assert answer.json() == {"marked": 1}  # never another's
    assert Notification.objects.get(recipient=other).read_at is None
    overflow = client.post(
        "/api/v1/notifications/read", {"ids": [2**64]}, content_type="application/json"
    )
    assert overflow.status_code == 422  # past the databases' integers: named, not a 500
    put = client.put(
        "/api/v1/me/notification-preferences",
        {"language": "fr", "kinds": {"cycle.opened": "weekly"}},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert put.json()["language"] == "fr"
    assert Preference.objects.get(user=focal, kind="cycle.opened").delivery == "weekly"
    bad = client.put(
        "/api/v1/me/notification-preferences",
        {"kinds": {"cycle.opened": "hourly"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert api_client(None).get("/api/v1/notifications").status_code == 401


def test_the_header_counts_unread_notifications(make_user: Any, client: Any) -> None:
    focal = make_user("focal", ("IOM", "focal_point"))
    action = ActionPointFactory(text="Share the figures")
    Notification.objects.create(
        recipient=focal,
        kind="action_point.updated",
        key="k",
        target_type="meetings.actionpoint",
        target_id=action.pk,
        data={"label": "Share the figures"},
    )
    client.force_login(focal)
    assert "1 unread" in client.get("/").content.decode()
    client.post("/notifications/read/")
    assert "unread" not in client.get("/").content.decode()
    page = client.get("/notifications/preferences/").content.decode()
    assert "An action point due in 7 days" in page

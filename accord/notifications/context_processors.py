"""The unread count in the header, and the outbox link for the secretariat."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.access.permissions import is_secretariat


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from accord.notifications.selectors import unread_count

    return {
        "notifications_unread": unread_count(user),
        "can_read_outbox": is_secretariat(user),
    }

"""The unread count in the header, and the outbox link for the secretariat."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from accord.access.permissions import is_secretariat


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from accord.notifications.selectors import unread_count

    @cache
    def unread() -> int:
        # Counted once, when a template shows it (the page's header), not for every
        # template rendered with the request (a fragment, a message).
        return unread_count(user)

    return {
        "notifications_unread": unread,
        "can_read_outbox": is_secretariat(user),
    }

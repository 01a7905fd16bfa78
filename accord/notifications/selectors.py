"""Reads of notifications: a user's own, only about records they may still read."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accord.notifications.audience import visible_queryset
from accord.notifications.kinds import KINDS, default_delivery
from accord.notifications.models import Delivery, MailLanguage, Notification, Preference


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first, leaving out any about a record they may no
    longer read."""
    mine = Notification.objects.filter(recipient_id=user.pk)
    types = list(mine.order_by().values_list("target_type", flat=True).distinct())
    readable = Q(pk__in=[])
    for target_type in types:
        try:
            records = visible_queryset(user, target_type)
        except LookupError:
            continue
        readable |= Q(target_type=target_type, target_id__in=records.values("pk"))
    return mine.filter(readable).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def preferences_of(user: Any) -> list[dict[str, Any]]:
    """Every kind with the user's choice (or its default, at once or daily)."""
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("kind", "delivery"))
    by_name = {
        "action_point.assigned",
        "entry.returned",
        "entry.verified",
        "invitation.sent",
        "invitation.reminder",
    }
    return [
        {
            "kind": code,
            "label": str(kind.label),
            "delivery": chosen.get(code, ""),
            "default": default_delivery(by_name=code in by_name)
            if code in by_name
            else Delivery.DAILY,
        }
        for code, kind in KINDS.items()
    ]


def mail_language(user: Any) -> str:
    from django.conf import settings

    found = MailLanguage.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return found or settings.LANGUAGE_CODE

"""The messages: one notification, or a digest of several, in the recipient's language, as
text and HTML, each kind with its signed link to unsubscribe from it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from accord.notifications.kinds import KINDS, subject_of
from accord.notifications.models import Delivery, Notification

UNSUBSCRIBE_SALT = "accord.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """``(user id, kind)`` of a genuine link, else None."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("k") not in KINDS:
        return None
    user_id = value.get("u")
    return (user_id, value["k"]) if isinstance(user_id, int) else None


def absolute(path: str) -> str:
    return settings.ACCORD_BASE_URL.rstrip("/") + path if path.startswith("/") else path


def message_for(
    user: Any, notifications: Sequence[Notification], *, language: str, period: str
) -> EmailMultiAlternatives:
    """The message telling ``user`` of ``notifications`` (one at once, or a digest)."""
    with translation.override(language):
        items = [
            {
                "subject": subject_of(n.kind, n.data),
                "url": absolute(str(n.data.get("url") or "")) if n.data.get("url") else "",
                "comment": n.data.get("comment", ""),
                "actor": n.data.get("actor", ""),
            }
            for n in notifications
        ]
        kinds = sorted({n.kind for n in notifications})
        unsubscribe = [
            {
                "label": str(KINDS[kind].label),
                "url": absolute(
                    reverse("notification-unsubscribe", args=[unsubscribe_token(user.pk, kind)])
                ),
            }
            for kind in kinds
            if kind in KINDS
        ]
        if period == Delivery.AT_ONCE:
            subject = items[0]["subject"]
            heading = subject
        else:
            count = len(items)
            heading = (
                ngettext(
                    "Your daily digest: %(count)d notification",
                    "Your daily digest: %(count)d notifications",
                    count,
                )
                if period == Delivery.DAILY
                else ngettext(
                    "Your weekly digest: %(count)d notification",
                    "Your weekly digest: %(count)d notifications",
                    count,
                )
            ) % {"count": count}
            subject = heading
        context = {
            "heading": heading,
            "items": items,
            "unsubscribe": unsubscribe,
            "name": user.get_full_name() or user.get_username(),
            "notifications_url": absolute(reverse("notification-list")),
            "preferences_url": absolute(reverse("notification-preferences")),
            "language": language,
        }
        text = render_to_string("notifications/mail/message.txt", context)
        html = render_to_string("notifications/mail/message.html", context)
        subject = " ".join(f"[Accord] {subject}".split())[:200]
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    if unsubscribe:
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe[0]['url']}>"
    message.extra_headers["Content-Language"] = language
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message

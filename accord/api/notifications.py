"""My notifications, marking them read, and my choices of how I am told."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.params import MAX_INTEGER
from accord.notifications.kinds import subject_of
from accord.notifications.selectors import mail_language, notifications_for, preferences_of
from accord.notifications.services import notifications_mark_read, preferences_set

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    url: str
    by_name: bool
    created_at: dt.datetime
    read: bool


@router.get(
    "/notifications",
    response=list[NotificationOut],
    auth=authenticated,
    summary="My notifications, newest first",
)
@paginate(Page)
def notification_list(request: HttpRequest) -> Any:
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "subject": subject_of(n.kind, n.data),
            "url": n.data.get("url") or "",
            "by_name": n.by_name,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in notifications_for(request.user)[:1000]
    ]


class ReadIn(Schema):
    # Ids past the databases' integers answer 422, not an overflow.
    ids: list[Annotated[int, Field(ge=1, le=MAX_INTEGER)]] | None = None


class ReadOut(Schema):
    marked: int


@router.post(
    "/notifications/read",
    response=ReadOut,
    auth=authenticated,
    summary="Mark my notifications read (those named by ids, else all)",
)
def notification_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    ids = payload.ids[:1000] if payload.ids is not None else None
    return {"marked": notifications_mark_read(user=request.user, ids=ids)}


class KindChoiceOut(Schema):
    kind: str
    label: str
    delivery: str  # at_once, daily, weekly, off; empty: the default


class PreferencesOut(Schema):
    language: str
    kinds: list[KindChoiceOut]


class PreferencesIn(Schema):
    language: str | None = None
    kinds: dict[str, str] = {}


def _preferences(user: Any) -> dict[str, Any]:
    return {
        "language": mail_language(user),
        "kinds": [
            {"kind": k["kind"], "label": k["label"], "delivery": k["delivery"]}
            for k in preferences_of(user)
        ],
    }


@router.get(
    "/me/notification-preferences",
    response=PreferencesOut,
    auth=authenticated,
    summary="How I am told of each kind of notification",
)
def preferences_get(request: HttpRequest) -> dict[str, Any]:
    """A kind whose delivery is empty takes the default: at once for what is addressed to
    me by name, a daily digest for the rest."""
    return _preferences(request.user)


@router.put(
    "/me/notification-preferences",
    response=PreferencesOut,
    auth=authenticated,
    summary="Choose how I am told (at_once, daily, weekly or off, by kind) and my mail's language",
)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    preferences_set(user=request.user, choices=payload.kinds, language=payload.language)
    return _preferences(request.user)

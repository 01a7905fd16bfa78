"""Writes of notifications: telling users (after checking they may read the record),
marking read, and each user's choices."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accord.core.errors import Invalid
from accord.notifications.audience import visible_ids
from accord.notifications.kinds import KINDS
from accord.notifications.models import Delivery, MailLanguage, Notification, Preference


@dataclass
class Tell:
    """One occasion to tell one user about one record."""

    kind: str
    target_type: str
    target_id: int
    recipient_id: int
    key: str
    by_name: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def notify(tells: Iterable[Tell]) -> int:
    """Keep a notification for each occasion whose recipient may read its record (one
    query a recipient and kind of record); an occasion already told is not told again.
    The number of occasions kept or already there."""
    by_user: dict[int, list[Tell]] = defaultdict(list)
    for tell in tells:
        by_user[tell.recipient_id].append(tell)
    if not by_user:
        return 0
    told = _told(by_user)
    for user_id in list(by_user):
        by_user[user_id] = [t for t in by_user[user_id] if (user_id, t.key[:200]) not in told]
        if not by_user[user_id]:
            del by_user[user_id]
    users = get_user_model()._default_manager.filter(pk__in=list(by_user), is_active=True)
    rows: list[Notification] = []
    now = timezone.now()
    for user in users:
        mine = by_user[user.pk]
        types: dict[str, set[int]] = defaultdict(set)
        for tell in mine:
            types[tell.target_type].add(tell.target_id)
        readable = {kind: visible_ids(user, kind, ids) for kind, ids in types.items()}
        rows.extend(
            Notification(
                recipient_id=user.pk,
                kind=tell.kind,
                key=tell.key[:200],
                by_name=tell.by_name,
                target_type=tell.target_type,
                target_id=tell.target_id,
                data=tell.data,
                created_at=now,
            )
            for tell in mine
            if tell.target_id in readable[tell.target_type]
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def _told(by_user: dict[int, list[Tell]]) -> set[tuple[int, str]]:
    """The ``(recipient, key)`` pairs among these occasions told already."""
    keys = sorted({t.key[:200] for tells in by_user.values() for t in tells})
    told: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 2000):
        told.update(
            Notification.objects.filter(
                recipient_id__in=list(by_user), key__in=keys[start : start + 2000]
            ).values_list("recipient_id", "key")
        )
    return told


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (``ids``, else all); the number marked."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise Invalid(f"No notification of the kind {kind!r}.", details={"kind": ["unknown"]})


def _check_delivery(delivery: str) -> None:
    if delivery not in Delivery.values:
        raise Invalid(
            f"Delivery is one of {', '.join(Delivery.values)}.", details={"delivery": ["invalid"]}
        )


@transaction.atomic
def preferences_set(*, user: Any, choices: dict[str, str], language: str | None = None) -> None:
    """Set how the user is told of each kind in ``choices``, and their mail's language."""
    for kind, delivery in choices.items():
        _check_kind(kind)
        _check_delivery(delivery)
    languages = {code for code, _name in settings.LANGUAGES}
    if language is not None and language not in languages:
        raise Invalid(
            f"The language is one of {', '.join(sorted(languages))}.",
            details={"language": ["invalid"]},
        )
    for kind, delivery in choices.items():
        Preference.objects.update_or_create(
            user_id=user.pk, kind=kind, defaults={"delivery": delivery}
        )
    if language is not None:
        MailLanguage.objects.update_or_create(user_id=user.pk, defaults={"language": language})


def unsubscribe(*, user_id: int, kind: str) -> None:
    """Turn one kind off for one user (the signed link in every message)."""
    _check_kind(kind)
    Preference.objects.update_or_create(
        user_id=user_id, kind=kind, defaults={"delivery": Delivery.OFF}
    )

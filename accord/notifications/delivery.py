"""Sending: what each user wants at once goes at once; the rest waits for their daily or
weekly digest. Every notification is checked again against the record's ``visible_to``
just before it is sent: one its recipient may no longer read is withheld."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.notifications.audience import visible_ids
from accord.notifications.kinds import default_delivery
from accord.notifications.mail import message_for
from accord.notifications.models import (
    Delivery,
    Digest,
    MailLanguage,
    MailState,
    Notification,
    Preference,
)

BATCH = 200


@dataclass
class Sent:
    messages: int = 0
    notifications: int = 0
    withheld: int = 0
    skipped: int = 0


def digest_start(period: str, now: dt.datetime) -> dt.datetime:
    """When the digest of ``period`` due by ``now`` goes: today (or this Monday) at the
    digest hour, local time."""
    local = timezone.localtime(now)
    day = local.date()
    if period == Delivery.WEEKLY:
        day -= dt.timedelta(days=day.weekday())
    hour = dt.time(settings.ACCORD_DIGEST_HOUR)
    return timezone.make_aware(dt.datetime.combine(day, hour), local.tzinfo)


def deliver(now: dt.datetime | None = None) -> Sent:
    """Send what is due: each pending notification by its recipient's choice for its kind."""
    now = now or timezone.now()
    sent = Sent()
    pending_users = list(
        Notification.objects.filter(mail=MailState.PENDING)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    for start in range(0, len(pending_users), BATCH):
        _deliver_users(pending_users[start : start + BATCH], now, sent)
    return sent


def _deliver_users(user_ids: list[int], now: dt.datetime, sent: Sent) -> None:
    users = {
        u.pk: u for u in get_user_model()._default_manager.filter(pk__in=user_ids, is_active=True)
    }
    choices: dict[tuple[int, str], str] = {
        (user, kind): delivery
        for user, kind, delivery in Preference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "kind", "delivery"
        )
    }
    languages = dict(
        MailLanguage.objects.filter(user_id__in=user_ids).values_list("user_id", "language")
    )
    done_digests = set(
        Digest.objects.filter(
            user_id__in=user_ids,
            starting__in=[digest_start(p, now).date() for p in (Delivery.DAILY, Delivery.WEEKLY)],
        ).values_list("user_id", "period", "starting")
    )
    pending: dict[int, dict[str, list[Notification]]] = defaultdict(lambda: defaultdict(list))
    skipped: list[int] = []
    for n in Notification.objects.filter(
        recipient_id__in=user_ids, mail=MailState.PENDING, created_at__lte=now
    ).order_by("created_at", "pk"):
        delivery = choices.get((n.recipient_id, n.kind)) or default_delivery(by_name=n.by_name)
        if delivery == Delivery.OFF or n.recipient_id not in users or not _address(users, n):
            skipped.append(n.pk)
        else:
            pending[n.recipient_id][delivery].append(n)
    messages: list[EmailMultiAlternatives] = []
    mailed: list[int] = []
    withheld: list[int] = []
    digests: list[Digest] = []
    for user_id, by_delivery in pending.items():
        user = users[user_id]
        language = languages.get(user_id) or settings.LANGUAGE_CODE
        readable = _readable(user, [n for group in by_delivery.values() for n in group])
        for delivery, group in by_delivery.items():
            if delivery != Delivery.AT_ONCE:
                start = digest_start(delivery, now)
                if now < start or (user_id, delivery, start.date()) in done_digests:
                    continue
                group = [n for n in group if n.created_at < start]
                if not group:
                    continue
            shown = [n for n in group if n.pk in readable]
            withheld.extend(n.pk for n in group if n.pk not in readable)
            if not shown:
                continue
            if delivery == Delivery.AT_ONCE:
                messages.extend(
                    message_for(user, [n], language=language, period=delivery) for n in shown
                )
            else:
                messages.append(message_for(user, shown, language=language, period=delivery))
                digests.append(
                    Digest(
                        user_id=user_id,
                        period=delivery,
                        starting=digest_start(delivery, now).date(),
                        count=len(shown),
                    )
                )
            mailed.extend(n.pk for n in shown)
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    with transaction.atomic():
        Notification.objects.filter(pk__in=mailed).update(mail=MailState.SENT, mailed_at=now)
        Notification.objects.filter(pk__in=withheld).update(mail=MailState.WITHHELD)
        Notification.objects.filter(pk__in=skipped).update(mail=MailState.SKIPPED)
        try:
            with transaction.atomic():
                Digest.objects.bulk_create(digests)
        except IntegrityError:  # another worker sent the same digest: keep theirs
            pass
    sent.messages += len(messages)
    sent.notifications += len(mailed)
    sent.withheld += len(withheld)
    sent.skipped += len(skipped)


def _address(users: dict[int, Any], n: Notification) -> bool:
    return bool(users[n.recipient_id].email)


def _readable(user: Any, notifications: list[Notification]) -> set[int]:
    """The notifications about records ``user`` may read now."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for n in notifications:
        by_type[n.target_type].add(n.target_id)
    visible = {kind: visible_ids(user, kind, ids) for kind, ids in by_type.items()}
    return {n.pk for n in notifications if n.target_id in visible[n.target_type]}

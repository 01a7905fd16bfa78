"""Notifications that follow the audit log: when a service writes an event (after its
transaction commits), the worker tells the people the event concerns. Lower apps need
not know that notifications exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model

from accord.access.models import AuditEvent, RoleKind
from accord.notifications.audience import (
    FOLLOWERS,
    users_by_email,
    users_of_partners,
    users_with_roles,
)
from accord.notifications.services import Tell, notify

#: The kinds each audited verb raises.
VERB_KINDS: dict[str, tuple[str, ...]] = {
    "action_point.created": ("action_point.assigned",),
    "action_point.updated": ("action_point.updated",),
    "action_point.progressed": ("action_point.updated",),
    "cycle.opened": ("cycle.opened",),
    "entry.returned": ("entry.returned",),
    "entry.verified": ("entry.verified",),
    "minutes.circulated": ("minutes.circulated",),
    "minutes.approved": ("minutes.approved",),
    "invitation.sent": ("invitation.sent",),
    "invitation.reminded": ("invitation.reminder",),
    "procedure.opened": ("procedure.opened",),
    "procedure.adopted": ("procedure.adopted",),
    "procedure.broken": ("procedure.broken",),
    "call.opened": ("call.opened",),
    "call.reminded": ("call.reminder",),
}

#: Who is told: ``{user id: addressed by name}``.
Audience = dict[int, bool]


def audit_event_saved(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    """Queue the telling of the event for the worker. The queue is a table of the same
    database (django-q's ORM broker): the job is written in the event's own transaction,
    so it exists exactly when the event does and costs no commit of its own. A queue kept
    elsewhere is written once the event's transaction commits."""
    if not (created and instance.verb in VERB_KINDS):
        return
    if settings.Q_CLUSTER.get("orm") == instance._state.db:
        _enqueue(instance.pk)
    else:
        transaction.on_commit(partial(_enqueue, instance.pk), using=instance._state.db)


def _enqueue(event_id: int) -> None:
    from django_q.tasks import async_task

    async_task("accord.notifications.events.follow", event_id, group="notifications")


def date_of(record: Model, *names: str) -> str | None:
    for name in names:
        value = getattr(record, name, None)
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
    return None


def url_of(record: Model) -> str:
    getter = getattr(record, "get_absolute_url", None)
    try:
        return str(getter()) if callable(getter) else ""
    except Exception:  # a record without a page of its own: the notification links nowhere
        return ""


def _action_point(record: Any, event: AuditEvent) -> tuple[Audience, dict[str, Any]]:
    owners = list(record.owners.values_list("pk", flat=True))
    audience: Audience = dict.fromkeys(users_of_partners(owners, [RoleKind.CONTRIBUTOR]), False)
    # The focal point answers for its partner: told as by name.
    audience.update(dict.fromkeys(users_of_partners(owners, [RoleKind.FOCAL_POINT]), True))
    if record.assignee is not None and record.assignee.email:
        audience.update(dict.fromkeys(users_by_email([record.assignee.email]), True))
    data = {
        "label": str(record),
        "meeting": record.meeting.display_name,
        "due": date_of(record, "due_date"),
        "url": f"/meetings/{record.meeting.key}/#action-{record.pk}",
    }
    return audience, data


def _cycle(record: Any, event: AuditEvent) -> tuple[Audience, dict[str, Any]]:
    audience = dict.fromkeys(users_with_roles(FOLLOWERS), False)
    return audience, {
        "label": record.name,
        "due": date_of(record, "closes_on"),
        "url": f"/cycles/{record.name}/",
    }


def _entry(record: Any, event: AuditEvent) -> tuple[Audience, dict[str, Any]]:
    partner = record.initiative.partner_id
    audience: Audience = dict.fromkeys(users_of_partners([partner], [RoleKind.CONTRIBUTOR]), False)
    audience.update(dict.fromkeys(users_of_partners([partner], [RoleKind.FOCAL_POINT]), True))
    return audience, {
        "label": str(record.initiative),
        "comment": record.comment[:500],
        "url": f"/cycles/{record.cycle.name}/",
    }


def _minutes(record: Any, event: AuditEvent) -> tuple[Audience, dict[str, Any]]:
    audience = dict.fromkeys(users_with_roles(), False)
    return audience, {
        "label": record.meeting.display_name,
        "due": date_of(record, "comment_deadline"),
        "url": f"/meetings/{record.meeting.key}/",
    }


def _invitation(record: Any, event: AuditEvent) -> tuple[Audience, dict[str, Any]]:
    audience = dict.fromkeys(users_by_email([record.email]), True)
    return audience, {
        "label": record.meeting.display_name,
        "due": date_of(record.meeting, "date"),
        "url": f"/meetings/{record.meeting.key}/",
    }


def between_meetings(record: Any, event: AuditEvent | None) -> tuple[Audience, dict[str, Any]]:
    """A procedure or a call for contributions: the partners it names (their focal points
    by name), else every member."""
    partners = getattr(record, "partners", None)
    named = list(partners.values_list("pk", flat=True)) if partners is not None else []
    if named:
        audience: Audience = dict.fromkeys(
            users_of_partners(named, [RoleKind.MEMBER, RoleKind.CONTRIBUTOR]), False
        )
        audience.update(dict.fromkeys(users_of_partners(named, [RoleKind.FOCAL_POINT]), True))
    else:
        audience = dict.fromkeys(users_with_roles(), False)
    return audience, {
        "label": str(record)[:300],
        "due": date_of(record, "closes", "closes_on", "deadline", "due_date", "due"),
        "url": url_of(record),
    }


AUDIENCES: dict[str, Callable[[Any, AuditEvent], tuple[Audience, dict[str, Any]]]] = {
    "meetings.actionpoint": _action_point,
    "commitments.cycle": _cycle,
    "commitments.cycleentry": _entry,
    "meetings.minutes": _minutes,
    "meetings.invitation": _invitation,
}


def follow(event_id: int) -> int:
    """Tell the people an audit event concerns (never its actor); the number told."""
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None or event.verb not in VERB_KINDS or not event.target_type:
        return 0
    try:
        model = apps.get_model(event.target_type)
    except LookupError:
        return 0
    record = model._default_manager.filter(pk=event.target_id).first()
    if record is None:
        return 0
    audience_of = AUDIENCES.get(event.target_type, between_meetings)
    audience, data = audience_of(record, event)
    if event.actor_id is not None:
        audience.pop(event.actor_id, None)  # nobody is told of their own doing
    tells = [
        Tell(
            kind=kind,
            target_type=event.target_type,
            target_id=int(record.pk),
            recipient_id=user_id,
            key=f"{kind}:{event.target_type}:{record.pk}:{event.pk}",
            by_name=by_name,
            data={**data, "actor": event.actor_name},
        )
        for kind in VERB_KINDS[event.verb]
        for user_id, by_name in audience.items()
    ]
    return notify(tells)

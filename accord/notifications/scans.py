"""Reminders that come with time, not with an event: each scan finds what is due today and
tells its people once (the occasion's key holds the date or the week)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accord.access.models import Role, RoleKind
from accord.commitments.models import Cycle, CycleStatus
from accord.meetings.models import STILL_OPEN, ActionPoint, with_meeting_ordinal
from accord.meetings.participation import Invitation, InvitationAnswer
from accord.notifications.audience import FOLLOWERS, users_by_each_email, users_with_roles
from accord.notifications.events import between_meetings
from accord.notifications.services import Tell, notify

AP = "meetings.actionpoint"
DUE_SOON_DAYS = 7
CYCLE_CLOSING_DAYS = 7
INVITATION_REMINDER_DAYS = 7
PROCEDURE_CLOSING_DAYS = 2
CALL_REMINDER_DAYS = 2


def action_point_reminders(today: dt.date | None = None) -> list[Tell]:
    """The occasions of open action points due within 7 days (one per due date) or overdue
    (one a week), for their assignees (by name) and their owners' focal points and
    contributors."""
    today = today or timezone.localdate()
    due = list(
        ActionPoint.objects.filter(
            status__in=STILL_OPEN,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .values_list("pk", "due_date", "text", "meeting_id", "assignee__email")
        .order_by()
    )
    if not due:
        return []
    ids = [row[0] for row in due]
    owners: dict[int, list[int]] = defaultdict(list)
    through: Any = ActionPoint.owners.through
    for chunk in range(0, len(ids), 5000):
        for ap_id, org_id in through.objects.filter(
            actionpoint_id__in=ids[chunk : chunk + 5000]
        ).values_list("actionpoint_id", "organisation_id"):
            owners[ap_id].append(org_id)
    # The focal point answers for its partner: told as by name; contributors as the rest.
    followers: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for org_id, user_id, role in Role.objects.filter(
        kind__in=FOLLOWERS, user__is_active=True
    ).values_list("organisation_id", "user_id", "kind"):
        followers[org_id].append((user_id, role == RoleKind.FOCAL_POINT))
    emails = {row[4].lower() for row in due if row[4]}
    by_email: dict[str, list[int]] = defaultdict(list)
    if emails:
        for pk, email in (
            get_user_model()
            ._default_manager.filter(is_active=True, email__isnull=False)
            .exclude(email="")
            .values_list("pk", "email")
        ):
            if email.lower() in emails:
                by_email[email.lower()].append(pk)
    tells: list[Tell] = []
    for ap_id, due_date, text, meeting_id, email in due:
        if due_date >= today:
            kind, occasion = "action_point.due_soon", due_date.isoformat()
        else:
            kind = "action_point.overdue"
            occasion = f"{due_date.isoformat()}:w{(today - due_date).days // 7}"
        audience: dict[int, bool] = {}
        for org in owners.get(ap_id, ()):
            for user, focal in followers.get(org, ()):
                audience[user] = audience.get(user, False) or focal
        if email:
            audience.update(dict.fromkeys(by_email.get(email.lower(), ()), True))
        data = {
            "label": text[:200],
            "due": due_date.isoformat(),
            "url": f"/meetings/{meeting_id}/#action-{ap_id}",
        }
        tells.extend(
            Tell(
                kind=kind,
                target_type=AP,
                target_id=ap_id,
                recipient_id=user,
                key=f"{kind}:{ap_id}:{occasion}",
                by_name=by_name,
                data=data,
            )
            for user, by_name in audience.items()
        )
    return tells


def cycle_reminders(today: dt.date) -> list[Tell]:
    cycles = Cycle.objects.filter(
        status=CycleStatus.OPEN,
        closes_on__gte=today,
        closes_on__lte=today + dt.timedelta(days=CYCLE_CLOSING_DAYS),
    )
    tells: list[Tell] = []
    users = users_with_roles(FOLLOWERS)
    for cycle in cycles:
        data = {
            "label": cycle.name,
            "due": cycle.closes_on.isoformat(),
            "url": f"/cycles/{cycle.name}/",
        }
        key = f"cycle.closing:{cycle.pk}:{cycle.closes_on.isoformat()}"
        tells.extend(
            Tell("cycle.closing", "commitments.cycle", cycle.pk, user, key, False, data)
            for user in users
        )
    return tells


def invitation_reminders(today: dt.date) -> list[Tell]:
    """Invitees who have not answered, a week before the meeting: once."""
    # Each meeting read once, with its tier and ordinal: its name and key need no query.
    invitations = list(
        with_meeting_ordinal(
            Invitation.objects.filter(
                answer=InvitationAnswer.PENDING,
                meeting__date__gte=today,
                meeting__date__lte=today + dt.timedelta(days=INVITATION_REMINDER_DAYS),
            )
        )
    )
    invitees = users_by_each_email(invitation.email for invitation in invitations)
    tells: list[Tell] = []
    for invitation in invitations:
        meeting = invitation.meeting
        data = {
            "label": meeting.display_name,
            "due": meeting.date.isoformat() if meeting.date else None,
            "url": f"/meetings/{meeting.key}/",
        }
        key = f"invitation.reminder:{invitation.pk}:week-before"
        tells.extend(
            Tell("invitation.reminder", "meetings.invitation", invitation.pk, user, key, True, data)
            for user in invitees.get((invitation.email or "").strip().lower(), ())
        )
    return tells


def _model(app_label: str, *names: str) -> Any:
    for name in names:
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            continue
    return None


def _deadline_field(model: Any) -> str | None:
    fields = {f.name for f in model._meta.get_fields()}
    names = ("closes", "closes_on", "deadline", "due_date", "due")
    return next((n for n in names if n in fields), None)


def closing_reminders(
    today: dt.date, *, kind: str, names: tuple[str, ...], days: int
) -> list[Tell]:
    """Procedures (or calls) still open whose deadline comes within ``days``; nothing when
    the model is not installed."""
    model = _model("meetings", *names)
    field = _deadline_field(model) if model is not None else None
    if model is None or field is None:
        return []
    records = model._default_manager.filter(
        **{f"{field}__gte": today, f"{field}__lte": today + dt.timedelta(days=days)}
    )
    fields = {f.name for f in model._meta.get_fields()}
    for state in ("state", "status"):
        if state in fields:
            records = records.filter(Q(**{state: "open"}) | Q(**{state: "opened"}))
    label = model._meta.label_lower
    tells: list[Tell] = []
    for record in records:
        audience, data = between_meetings(record, None)
        key = f"{kind}:{record.pk}:{data.get('due')}"
        tells.extend(
            Tell(kind, label, record.pk, user, key, by_name, data)
            for user, by_name in audience.items()
        )
    return tells


def reminders_scan(today: dt.date | None = None) -> int:
    """Every reminder due today, told once; the number of occasions."""
    today = today or timezone.localdate()
    tells = [
        *action_point_reminders(today),
        *cycle_reminders(today),
        *invitation_reminders(today),
        *closing_reminders(
            today,
            kind="procedure.closing",
            names=("Procedure", "WrittenProcedure"),
            days=PROCEDURE_CLOSING_DAYS,
        ),
        *closing_reminders(
            today,
            kind="call.reminder",
            names=("ContributionCall", "CallForContributions", "Call"),
            days=CALL_REMINDER_DAYS,
        ),
    ]
    return notify(tells)

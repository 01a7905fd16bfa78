"""Writes about action points: raising one, editing it, recording its progress. One
transaction each; who may write is checked here.

``by`` is the user acting; ``None`` is Accord itself (the reference loader, commands).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.services import full_clean_or_invalid, model_update
from accord.meetings.models import (
    ActionPoint,
    ActionPointStatus,
    ActionPointUpdate,
    AgendaItem,
    Decision,
    Meeting,
)
from accord.meetings.permissions import (
    can_change_action_point,
    can_follow_up,
    can_manage_meetings,
)
from accord.partners.models import Organisation, Person

if TYPE_CHECKING:
    from accord.access.permissions import Actor

from accord.meetings.meeting_services import _actor_id

# --- action points ----------------------------------------------------------------------


# Action points name owners, people and dates: read by members unless the secretariat
# classifies one otherwise.
ACTION_POINT_CLASSIFICATION = Classification.MEMBERS


def _check_owners(owners: Sequence[Organisation]) -> None:
    if not owners:
        raise Invalid(
            "An action point needs at least one owner organisation.",
            details={"owners": ["required"]},
        )


@transaction.atomic
def action_point_create(
    *,
    meeting: Meeting,
    text: str,
    owners: Sequence[Organisation],
    assignee: Person | None = None,
    due_date: dt.date | None = None,
    status: str = ActionPointStatus.OPEN,
    raised_by_decision: Decision | None = None,
    raised_by_item: AgendaItem | None = None,
    classification: str | None = None,
    restricted_to: Sequence[Organisation] = (),
    by: Actor = None,
) -> ActionPoint:
    """``classification`` left out: the one default for pages, API and commands alike,
    :data:`ACTION_POINT_CLASSIFICATION` (members), whatever the meeting's."""
    require(can_manage_meetings(by), "Only the secretariat may record action points.")
    if classification is None:
        classification = ACTION_POINT_CLASSIFICATION
    _check_owners(owners)
    for raised_by in (raised_by_decision, raised_by_item):
        if raised_by is not None and raised_by.meeting_id != meeting.pk:
            raise Invalid("An action point is raised by a decision or item of its own meeting.")
    action_point = ActionPoint(
        meeting=meeting,
        text=text,
        assignee=assignee,
        due_date=due_date,
        status=status,
        raised_by_decision=raised_by_decision,
        raised_by_item=raised_by_item,
        classification=classification,
    )
    full_clean_or_invalid(action_point)
    action_point.save()
    action_point.owners.set(owners)
    if restricted_to:
        action_point.restricted_to.set(restricted_to)
    audit_record(
        actor=by,
        verb="action_point.created",
        target=action_point,
        data={"meeting": meeting.pk, "due": due_date.isoformat() if due_date else None},
    )
    return action_point


EDITABLE_FIELDS = frozenset({"text", "owners", "assignee", "due_date", "status"})


def action_point_update(
    *,
    action_point: ActionPoint,
    data: dict[str, Any],
    version: int | None,
    by: Actor = None,
) -> ActionPoint:
    """Change the fields in ``data`` (``owners`` a list of organisations) if nobody has
    changed the action point since ``version``; a stale version changes nothing."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise Invalid(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    require(
        can_follow_up(by, action_point),
        "Only the focal points of this action point's owners and the secretariat may change it.",
    )
    require(
        can_change_action_point(by, action_point, data),
        "A focal point may change the status and the assignee; the other fields are "
        "the secretariat's.",
    )
    data = dict(data)
    owners = data.pop("owners", None)
    with transaction.atomic():
        updated = model_update(instance=action_point, data=data, version=version)
        if owners is not None:
            _check_owners(owners)
            if {o.pk for o in owners} != set(updated.owners.values_list("pk", flat=True)):
                updated.owners.set(owners)
                if updated.version == (version if version is not None else action_point.version):
                    updated.version += 1
                    updated.save(update_fields=["version", "updated_at"])
        audit_record(
            actor=by,
            verb="action_point.updated",
            target=updated,
            data={"fields": sorted([*data, *(["owners"] if owners is not None else [])])},
        )
        return updated


@transaction.atomic
def action_point_progress(
    *,
    action_point: ActionPoint,
    text: str,
    on: dt.date | None = None,
    status: str = "",
    by: Actor = None,
) -> ActionPointUpdate:
    """Record dated progress on an action point (and, if given, its new status). Only the
    focal points of its owners and the secretariat may."""
    require(
        can_follow_up(by, action_point),
        "Only the focal points of this action point's owners and the secretariat may "
        "record its progress.",
    )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise Invalid(f"Progress is recorded as of a past date, not {on.isoformat()}.")
    if on < action_point.meeting.period()[0]:
        raise Invalid(
            f"Progress dated {on.isoformat()} would precede the meeting that raised the "
            f"action ({action_point.meeting.date_display})."
        )
    update = ActionPointUpdate(
        action_point=action_point, on=on, text=text, status=status, author_id=_actor_id(by)
    )
    # The action point and the author were read with the request: not looked up again.
    full_clean_or_invalid(update, exclude=["action_point", "author"])
    update.save()
    if status and status != action_point.status:
        updated = model_update(instance=action_point, data={"status": status}, version=None)
        # The caller's instance now says what is stored (its answer is read from it).
        for name in ("status", "version", "updated_at"):
            setattr(action_point, name, getattr(updated, name))
    audit_record(
        actor=by,
        verb="action_point.progressed",
        target=action_point,
        data={"on": on.isoformat(), "status": status},
    )
    return update

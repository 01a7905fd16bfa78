"""Who may write what about meetings: named predicates over the existing record and the
new values. Services enforce them (``require``); pages, templates and API routes ask them.

- the secretariat sets meetings up and records participants, agendas, minutes,
  decisions, action points and documents;
- a focal point of one of an action point's owners records its progress and may change
  its status and assignee; the other fields are the secretariat's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from accord.access.permissions import Actor, focal_partners, is_secretariat

if TYPE_CHECKING:
    from accord.meetings.models import ActionPoint, Minutes
    from accord.partners.models import Organisation

# What an owner's focal point may change on an action point; the rest is the secretariat's.
FOCAL_POINT_FIELDS = frozenset({"status", "assignee"})


def can_manage_meetings(actor: Actor) -> bool:
    """Set up and change meetings, their participants, agendas, decisions and documents."""
    return is_secretariat(actor)


def can_write_minutes(actor: Actor, minutes: Minutes | None = None) -> bool:
    """Write or advance minutes; approved minutes are final for everyone."""
    if minutes is not None and minutes.status == "approved":
        return False
    return is_secretariat(actor)


def can_record_action_point(actor: Actor, owners: Iterable[Organisation] = ()) -> bool:
    return is_secretariat(actor)


def can_follow_up(actor: Actor, action_point: ActionPoint) -> bool:
    """Record progress: the secretariat, or a focal point of one of the owners (reads the
    prefetched owners)."""
    if is_secretariat(actor):
        return True
    focal = focal_partners(actor)
    return bool(focal) and any(owner.pk in focal for owner in action_point.owners.all())


def can_change_action_point(actor: Actor, action_point: ActionPoint, fields: Iterable[str]) -> bool:
    """Change ``fields`` of ``action_point``: the secretariat any; an owner's focal point
    the status and the assignee."""
    if is_secretariat(actor):
        return True
    return can_follow_up(actor, action_point) and not set(fields) - FOCAL_POINT_FIELDS

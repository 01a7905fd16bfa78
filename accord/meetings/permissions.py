"""Who may write what about meetings: named predicates that services enforce (through
``accord.access.permissions.require``) and that views, templates and API routes ask.

``actor`` ``None`` is Accord itself (the reference loader, commands): it may do anything.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from accord.access.selectors import access_for

if TYPE_CHECKING:
    from accord.access.permissions import Actor
    from accord.meetings.models import Decision, Meeting, Minutes, MinutesComment


def _secretariat(actor: Actor) -> bool:
    return actor is None or access_for(actor).is_secretariat


# --- minutes ----------------------------------------------------------------------------


def can_write_minutes(actor: Actor) -> bool:
    """The secretariat writes, circulates, approves and corrects minutes."""
    return _secretariat(actor)


def can_edit_minutes(actor: Actor, minutes: Minutes | None) -> bool:
    """The secretariat writes minutes until they are approved; then only corrections."""
    from accord.meetings.models import MinutesStatus

    return _secretariat(actor) and (minutes is None or minutes.status != MinutesStatus.APPROVED)


def can_circulate_minutes(actor: Actor, minutes: Minutes) -> bool:
    from accord.meetings.models import MinutesStatus

    return _secretariat(actor) and minutes.status == MinutesStatus.DRAFT


def can_approve_minutes(actor: Actor, minutes: Minutes) -> bool:
    """At any time, for any meeting: from draft or circulated."""
    from accord.meetings.models import MinutesStatus

    return _secretariat(actor) and minutes.status != MinutesStatus.APPROVED


def can_correct_minutes(actor: Actor, minutes: Minutes) -> bool:
    from accord.meetings.models import MinutesStatus

    return _secretariat(actor) and minutes.status == MinutesStatus.APPROVED


def comments_open(minutes: Minutes, today: dt.date | None = None) -> bool:
    from accord.meetings.models import MinutesStatus

    if minutes.status != MinutesStatus.CIRCULATED:
        return False
    today = today or timezone.localdate()
    return minutes.comment_deadline is None or today <= minutes.comment_deadline


def can_comment_minutes(actor: Actor, minutes: Minutes, today: dt.date | None = None) -> bool:
    """While circulated (and until the deadline): the members and the secretariat."""
    if actor is None:
        return comments_open(minutes, today)
    access = access_for(actor)
    return access.is_authenticated and access.is_member and comments_open(minutes, today)


def can_resolve_amendment(actor: Actor, comment: MinutesComment) -> bool:
    from accord.meetings.models import CommentKind, CommentStatus, MinutesStatus

    return (
        _secretariat(actor)
        and comment.kind == CommentKind.AMENDMENT
        and comment.status == CommentStatus.OPEN
        and comment.minutes.status != MinutesStatus.APPROVED
    )


# --- decisions --------------------------------------------------------------------------


def can_record_decision(actor: Actor, meeting: Meeting) -> bool:
    return _secretariat(actor)


def can_edit_decision(actor: Actor, decision: Decision) -> bool:
    return _secretariat(actor)

"""Who may write what about meetings: named predicates over the existing record and the
new values. Services enforce them (``require``); pages, templates and API routes ask them.

- the secretariat sets meetings up and records participants, agendas, minutes,
  decisions, action points and documents;
- a focal point of one of an action point's owners records its progress and may change
  its status and assignee; the other fields are the secretariat's;
- minutes: the secretariat writes, circulates and approves them (at any time), then
  only corrects them; while circulated, the members comment and propose amendments until
  the deadline;
- the secretariat prepares meetings, publishes their agendas (a draft agenda is read by
  the secretariat only), invites delegates and takes attendance; an invitee answers
  through the signed link of the invitation, without logging in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from accord.access.permissions import Actor, access_for, focal_partners, is_secretariat

if TYPE_CHECKING:
    from accord.meetings.models import (
        ActionPoint,
        ContributionCall,
        Decision,
        Invitation,
        Meeting,
        Minutes,
        MinutesComment,
        Procedure,
    )
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


def can_follow_up(actor: Actor, action_point: ActionPoint | Mapping[str, Any]) -> bool:
    """Record progress: the secretariat, or a focal point of one of the owners (reads the
    ``owner_rows`` of the follow-up read, the ``owner_ids`` of a plain row from
    ``action_point_rows``, or else the owners, prefetched or not)."""
    if is_secretariat(actor):
        return True
    focal = focal_partners(actor)
    if not focal:
        return False
    if isinstance(action_point, Mapping):
        return any(pk in focal for pk in action_point["owner_ids"])
    rows = getattr(action_point, "owner_rows", None)  # as the follow-up read gives them
    if rows is not None:
        return any(pk in focal for pk, _acronym in rows)
    return any(owner.pk in focal for owner in action_point.owners.all())


def can_change_action_point(actor: Actor, action_point: ActionPoint, fields: Iterable[str]) -> bool:
    """Change ``fields`` of ``action_point``: the secretariat any; an owner's focal point
    the status and the assignee."""
    if is_secretariat(actor):
        return True
    return can_follow_up(actor, action_point) and not set(fields) - FOCAL_POINT_FIELDS


# --- the review of minutes and decisions ------------------------------------------------


def can_edit_minutes(actor: Actor, minutes: Minutes | None) -> bool:
    """The secretariat writes minutes until they are approved; then only corrections."""
    from accord.meetings.models import MinutesStatus

    return is_secretariat(actor) and (minutes is None or minutes.status != MinutesStatus.APPROVED)


def can_circulate_minutes(actor: Actor, minutes: Minutes) -> bool:
    from accord.meetings.models import MinutesStatus

    return is_secretariat(actor) and minutes.status == MinutesStatus.DRAFT


def can_approve_minutes(actor: Actor, minutes: Minutes) -> bool:
    """At any time, for any meeting: from draft or circulated."""
    from accord.meetings.models import MinutesStatus

    return is_secretariat(actor) and minutes.status != MinutesStatus.APPROVED


def can_correct_minutes(actor: Actor, minutes: Minutes) -> bool:
    from accord.meetings.models import MinutesStatus

    return is_secretariat(actor) and minutes.status == MinutesStatus.APPROVED


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
        is_secretariat(actor)
        and comment.kind == CommentKind.AMENDMENT
        and comment.status == CommentStatus.OPEN
        and comment.minutes.status != MinutesStatus.APPROVED
    )


# --- decisions --------------------------------------------------------------------------


def can_record_decision(actor: Actor, meeting: Meeting) -> bool:
    return is_secretariat(actor)


def can_edit_decision(actor: Actor, decision: Decision) -> bool:
    """The secretariat, on a meeting's decision: a procedure's outcome is the text the
    partners answered, kept as adopted."""
    return is_secretariat(actor) and decision.procedure_id is None


def can_edit_meeting(actor: Actor, meeting: Meeting | None = None) -> bool:
    """Set up, change and prepare meetings: the secretariat."""
    return can_manage_meetings(actor)


def can_edit_agenda(actor: Actor, meeting: Meeting) -> bool:
    """Add, reorder and publish agenda items: the secretariat, on any meeting not closed."""
    return is_secretariat(actor) and meeting.status != "closed"


def can_read_draft_agenda(actor: Actor, meeting: Meeting) -> bool:
    """A draft agenda is the secretariat's until it is published. A read: the actor None
    is an anonymous reader here, not the operator."""
    return meeting.agenda_published_at is not None or access_for(actor).is_secretariat


def can_invite(actor: Actor, meeting: Meeting) -> bool:
    """Invite delegates, remind them and read their answers: the secretariat."""
    return is_secretariat(actor)


def can_take_attendance(actor: Actor, meeting: Meeting) -> bool:
    return is_secretariat(actor)


def can_answer_invitation(actor: Actor, invitation: Invitation, *, signed: bool) -> bool:
    """The invitee, through the signed link of the invitation (no login needed), or the
    secretariat on their behalf; not once attendance has been taken."""
    if invitation.attended is not None:
        return False
    return signed or (actor is not None and is_secretariat(actor))


# --- between meetings: procedures and calls for contributions ------------------------------


def can_open_procedure(actor: Actor) -> bool:
    """Open a written or silence procedure on a draft decision: the secretariat."""
    return is_secretariat(actor)


def can_edit_procedure(actor: Actor, procedure: Procedure) -> bool:
    """Move the deadline (or, before any answer, the text): the secretariat, while open."""
    return is_secretariat(actor) and procedure.is_open


def can_answer_procedure(actor: Actor, procedure: Procedure, partner_id: int) -> bool:
    """Answer for a partner asked, while the procedure is open: that partner's focal point
    or one of its members (reads the prefetched partners)."""
    if not procedure.is_open:
        return False
    if partner_id not in {partner.pk for partner in procedure.partners.all()}:
        return False
    if actor is None:
        return True
    return access_for(actor).has_role(partner_id, "focal_point", "member")


def can_call_for_contributions(actor: Actor, meeting: Meeting) -> bool:
    """Ask the partners for documents or agenda requests for a meeting: the secretariat."""
    return is_secretariat(actor) and meeting.status != "closed"


def can_contribute(actor: Actor, call: ContributionCall, partner_id: int) -> bool:
    """Answer a call for a partner asked, while it is open: its focal point or one of its
    contributors (reads the prefetched partners)."""
    if call.state != "open":
        return False
    if partner_id not in {partner.pk for partner in call.partners.all()}:
        return False
    if actor is None:
        return True
    return access_for(actor).has_role(partner_id, "focal_point", "contributor")

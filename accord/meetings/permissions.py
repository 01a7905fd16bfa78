"""Who may write what about meetings: named predicates asked alike by services (through
``accord.access.permissions.require``), views, templates and API routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.access.selectors import access_for

if TYPE_CHECKING:
    from accord.access.permissions import Actor
    from accord.meetings.models import Invitation, Meeting


def _secretariat(actor: Actor) -> bool:
    # None is Accord itself: the reference loader and the operator's commands.
    return actor is None or access_for(actor).is_secretariat


def can_edit_meeting(actor: Actor, meeting: Meeting | None = None) -> bool:
    """Set up, change and prepare meetings: the secretariat."""
    return _secretariat(actor)


def can_edit_agenda(actor: Actor, meeting: Meeting) -> bool:
    """Add, reorder and publish agenda items: the secretariat, on any meeting not closed."""
    return _secretariat(actor) and meeting.status != "closed"


def can_read_draft_agenda(actor: Actor, meeting: Meeting) -> bool:
    """A draft agenda is the secretariat's until it is published."""
    # A read: None is an anonymous reader here, not Accord itself.
    return meeting.agenda_published_at is not None or access_for(actor).is_secretariat


def can_invite(actor: Actor, meeting: Meeting) -> bool:
    """Invite delegates, remind them and read their answers: the secretariat."""
    return _secretariat(actor)


def can_take_attendance(actor: Actor, meeting: Meeting) -> bool:
    return _secretariat(actor)


def can_answer_invitation(actor: Actor, invitation: Invitation, *, signed: bool) -> bool:
    """The invitee, through the signed link of the invitation (no login needed), or the
    secretariat on their behalf; not once attendance has been taken."""
    if invitation.attended is not None:
        return False
    return signed or (actor is not None and access_for(actor).is_secretariat)

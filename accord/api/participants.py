"""Invitations to a meeting through the API: invite member partners' delegates, read the
answers, remind, answer with the invitation's token, take attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.errors import Invalid
from accord.meetings import invitations, selectors
from accord.meetings.models import Invitation
from accord.meetings.permissions import can_invite
from accord.partners.models import Person
from accord.partners.selectors import organisation_get

router = Router(tags=["meetings"])


class InvitationOut(Schema):
    id: int
    meeting: str
    partner: str
    person: str | None
    name: str
    email: str
    answer: str
    delegate_name: str
    delegate_email: str
    answered_at: dt.datetime | None
    sent_at: dt.datetime | None
    reminders: int
    attended: bool | None


def invitation_out(invitation: Invitation) -> dict[str, Any]:
    meeting = invitation.meeting
    return {
        "id": invitation.pk,
        "meeting": meeting.key,
        "partner": invitation.organisation.acronym_on(meeting.named_on),
        "person": invitation.person.full_name if invitation.person else None,
        "name": invitation.invitee,
        "email": invitation.email,
        "answer": invitation.answer,
        "delegate_name": invitation.delegate_name,
        "delegate_email": invitation.delegate_email,
        "answered_at": invitation.answered_at,
        "sent_at": invitation.sent_at,
        "reminders": invitation.reminders,
        "attended": invitation.attended,
    }


def _secretariat_meeting(request: HttpRequest, key: str) -> Any:
    meeting = selectors.meeting_get(user=request.user, key=key)
    if not can_invite(request.user, meeting):
        raise PermissionDenied("Only the secretariat reads and sends a meeting's invitations.")
    return meeting


@router.get(
    "/meetings/{key}/invitations",
    response=list[InvitationOut],
    auth=authenticated,
    summary="A meeting's invitations and their answers (secretariat)",
)
@paginate(Page)
def invitation_list(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    meeting = _secretariat_meeting(request, key)
    return [invitation_out(i) for i in invitations.invitations_of(meeting)]


class InvitationIn(Schema):
    partner: str
    people: list[str] = []
    emails: list[str] = []


@router.post(
    "/meetings/{key}/invitations",
    response={201: list[InvitationOut]},
    auth=authenticated,
    summary="Invite a member partner's delegates (secretariat)",
)
def invitation_send(request: HttpRequest, key: str, payload: InvitationIn) -> Status:
    """``people`` by full name (at their address on record), ``emails`` as addresses.
    Answers the invitations made; an address already invited is left as it is."""
    meeting = _secretariat_meeting(request, key)
    people = []
    for name in payload.people:
        person = Person.objects.filter(full_name=name).first()
        if person is None:
            raise Invalid(f"No person named {name!r} is on record.", details={"people": [name]})
        people.append(person)
    sent = invitations.invitation_send(
        meeting=meeting,
        organisation=organisation_get(payload.partner),
        people=people,
        emails=payload.emails,
        base_url=request.build_absolute_uri("/"),
        by=request.user,
    )
    for invitation in sent:
        invitation.meeting = meeting
    return Status(201, [invitation_out(i) for i in sent])


class RemindOut(Schema):
    reminded: int


@router.post(
    "/meetings/{key}/invitations/remind",
    response=RemindOut,
    auth=authenticated,
    summary="Remind the invitees who have not answered (secretariat)",
)
def invitation_remind(request: HttpRequest, key: str) -> dict[str, int]:
    meeting = _secretariat_meeting(request, key)
    count = invitations.invitation_remind(
        meeting=meeting, base_url=request.build_absolute_uri("/"), by=request.user
    )
    return {"reminded": count}


class AnswerIn(Schema):
    answer: str
    delegate_name: str = ""
    delegate_email: str = ""


def _with_ordinal(invitation: Invitation) -> Invitation:
    from accord.meetings.models import Meeting

    invitation.meeting = Meeting.objects.with_ordinal().get(pk=invitation.meeting_id)
    return invitation


@router.get(
    "/invitations/{token}",
    response=InvitationOut,
    summary="The invitation a signed link names (no login)",
)
def invitation_by_token(request: HttpRequest, token: str) -> dict[str, Any]:
    return invitation_out(_with_ordinal(invitations.invitation_from_token(token)))


@router.post(
    "/invitations/{token}/answer",
    response=InvitationOut,
    summary="Answer an invitation with its signed link's token (no login)",
)
def invitation_answer(request: HttpRequest, token: str, payload: AnswerIn) -> dict[str, Any]:
    """``answer``: ``attending``, ``not_attending`` or ``delegate`` (with
    ``delegate_name``). The token is the last part of the invitation's link."""
    invitation = _with_ordinal(invitations.invitation_from_token(token))
    invitations.invitation_answer(
        invitation=invitation,
        answer=payload.answer,
        delegate_name=payload.delegate_name,
        delegate_email=payload.delegate_email,
        signed=True,
        by=request.user,
    )
    return invitation_out(invitation)


class AttendanceIn(Schema):
    present: list[int]


class AttendanceOut(Schema):
    present: int
    invitations: list[InvitationOut]


@router.post(
    "/meetings/{key}/attendance",
    response=AttendanceOut,
    auth=authenticated,
    summary="Take attendance: the roll call (secretariat)",
)
def attendance_take(request: HttpRequest, key: str, payload: AttendanceIn) -> dict[str, Any]:
    """The ids of the invitations whose invitee (or delegate) is present; the others are
    recorded absent. Who attended is kept as a participant of the meeting."""
    meeting = _secretariat_meeting(request, key)
    count = invitations.attendance_take(meeting=meeting, present=payload.present, by=request.user)
    return {
        "present": count,
        "invitations": [invitation_out(i) for i in invitations.invitations_of(meeting)],
    }

"""What the meeting page shows of invitations, and the invitation form with its pickers
(the member partners on the meeting date, the people of the record with an address)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.meetings import invitations
from accord.meetings.forms import InvitationForm
from accord.meetings.models import InvitationAnswer, Meeting
from accord.meetings.permissions import can_invite, can_take_attendance
from accord.partners.models import Organisation, Person
from accord.partners.selectors import memberships_on


def member_partners(meeting: Meeting) -> Any:
    """The partners whose delegates may be invited: the members on the meeting date."""
    framework = meeting.tier.framework
    queryset = Organisation.objects.order_by("acronym")
    if framework is None:
        return queryset
    return queryset.filter(pk__in=memberships_on(framework, meeting.date).values("organisation_id"))


def invitable_people(meeting: Meeting) -> Any:
    """People of the record with an address, who hold a position with a member partner."""
    return (
        Person.objects.exclude(email="")
        .filter(roles__organisation__in=member_partners(meeting))
        .distinct()
        .order_by("full_name")
    )


def invitation_form(meeting: Meeting, data: Any = None) -> InvitationForm:
    return InvitationForm(
        data,
        partners=member_partners(meeting),
        people=invitable_people(meeting),
        auto_id="invite_%s",
    )


def participation_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page shows of invitations: to the secretariat only."""
    if not can_invite(request.user, meeting) or request.user.is_anonymous:
        return {"can_invite": False}
    return {
        "can_invite": True,
        "can_take_attendance": can_take_attendance(request.user, meeting),
        "invitations": invitations.invitations_of(meeting),
        "invite_form": invitation_form(meeting),
        "answers": InvitationAnswer,
    }

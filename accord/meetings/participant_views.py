"""Pages for who takes part: invitations of member partners' delegates, reminders, the
roll call, and the invitee's answer page reached by the invitation's signed link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accord.core.errors import Invalid, NotFound
from accord.meetings import invitations, selectors
from accord.meetings.forms import InvitationAnswerForm
from accord.meetings.invitation_context import invitation_form
from accord.meetings.models import InvitationAnswer, Meeting
from accord.meetings.permissions import (
    can_answer_invitation,
)
from accord.meetings.views import _meeting_context, _refusal_on_form, not_found_as_404


def _back(meeting: Meeting) -> HttpResponse:
    return redirect(reverse("meeting-detail", args=[meeting.key]) + "#invitations-title")


@require_POST
@login_required
@not_found_as_404
def invitation_send(request: HttpRequest, key: str) -> HttpResponseBase:
    meeting = selectors.meeting_get(user=request.user, key=key)
    form = invitation_form(meeting, request.POST)
    if form.is_valid():
        try:
            sent = invitations.invitation_send(
                meeting=meeting,
                organisation=form.cleaned_data["organisation"],
                people=list(form.cleaned_data["people"]),
                emails=form.cleaned_data["emails"],
                base_url=request.build_absolute_uri("/"),
                by=request.user,
            )
        except Invalid as problem:
            _refusal_on_form(form, problem, default="people")
        else:
            messages.success(
                request,
                ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", len(sent))
                % {"n": len(sent)},
            )
            return _back(meeting)
    context = _meeting_context(request, key, invite_form=form)
    return render(request, "meetings/detail.html", context, status=422)


@require_POST
@login_required
@not_found_as_404
def invitation_remind(request: HttpRequest, key: str) -> HttpResponseBase:
    meeting = selectors.meeting_get(user=request.user, key=key)
    count = invitations.invitation_remind(
        meeting=meeting, base_url=request.build_absolute_uri("/"), by=request.user
    )
    messages.success(
        request,
        ngettext("%(n)s invitee reminded.", "%(n)s invitees reminded.", count) % {"n": count},
    )
    return _back(meeting)


@require_POST
@login_required
@not_found_as_404
def attendance_take(request: HttpRequest, key: str) -> HttpResponseBase:
    meeting = selectors.meeting_get(user=request.user, key=key)
    present = [int(value) for value in request.POST.getlist("present") if value.isdigit()]
    try:
        count = invitations.attendance_take(meeting=meeting, present=present, by=request.user)
    except Invalid as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, _("Attendance taken: %(n)s present.") % {"n": count})
    return _back(meeting)


def invitation_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page: no login, the signed link is the key to this one invitation."""
    try:
        invitation = invitations.invitation_from_token(token)
    except NotFound as error:
        raise Http404(error.message) from error
    # The invitee may not be able to read the meeting itself: its name and date only.
    invitation.meeting = Meeting.objects.with_ordinal().get(pk=invitation.meeting_id)
    allowed = can_answer_invitation(request.user, invitation, signed=True)
    initial = {
        "answer": invitation.answer if invitation.answer != InvitationAnswer.PENDING else None,
        "delegate_name": invitation.delegate_name,
        "delegate_email": invitation.delegate_email,
    }
    form = InvitationAnswerForm(request.POST or None, initial=initial, auto_id="answer_%s")
    saved = False
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(_("Attendance has been taken: the answer is final."))
        if form.is_valid():
            try:
                invitations.invitation_answer(
                    invitation=invitation,
                    signed=True,
                    by=request.user,
                    **form.cleaned_data,
                )
            except Invalid as problem:
                _refusal_on_form(form, problem, default="answer")
            else:
                saved = True
    return render(
        request,
        "meetings/invitation_answer.html",
        {"invitation": invitation, "form": form, "saved": saved, "allowed": allowed},
        status=422 if request.method == "POST" and not saved else 200,
    )

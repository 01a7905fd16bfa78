"""Pages of the calls for contributions to a meeting: the calls and opening one
(secretariat), a call's board with the answer form of the partners asked, reminders and
closing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accord.core.errors import Conflict, Invalid
from accord.core.params import whole_number
from accord.meetings import calls, permissions, selectors
from accord.meetings.call_forms import CallOpenForm, ContributionForm
from accord.meetings.models import ContributionCall, Meeting
from accord.meetings.views import _refusal_on_form, not_found_as_404


@login_required
@not_found_as_404
def meeting_calls(request: HttpRequest, key: str) -> HttpResponseBase:
    meeting = selectors.meeting_get(user=request.user, key=key)
    can_open = permissions.can_call_for_contributions(request.user, meeting)
    form = CallOpenForm(request.POST or None) if can_open else None
    status = 200
    if request.method == "POST":
        if not can_open or form is None:
            raise PermissionDenied(_("Only the secretariat calls for contributions."))
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                call = calls.call_open(
                    meeting=meeting,
                    message=data["message"],
                    due=data["due"],
                    asks=data["asks"],
                    partners=list(data["partners"]),
                    by=request.user,
                )
            except Invalid as problem:
                _refusal_on_form(form, problem)
            else:
                messages.success(request, _("The call for contributions is sent."))
                return redirect("meeting-call", meeting.key, call.pk)
    found = list(calls.meeting_calls(user=request.user, meeting=meeting))
    return render(
        request,
        "meetings/call_list.html",
        {"meeting": meeting, "calls": found, "form": form},
        status=status,
    )


def _board_context(
    request: HttpRequest, meeting: Meeting, call: ContributionCall, form: Any = None
) -> dict[str, Any]:
    mine = calls.contributing_partners(request.user, call)
    if form is None and mine:
        form = ContributionForm(partners=mine, auto_id="contribution_%s")
    return {
        "meeting": meeting,
        "call": call,
        "board": calls.call_board(user=request.user, call=call),
        "form": form,
        "can_manage": permissions.can_call_for_contributions(request.user, meeting),
    }


def _get(request: HttpRequest, key: str, pk: int) -> tuple[Meeting, ContributionCall]:
    meeting = selectors.meeting_get(user=request.user, key=key)
    return meeting, calls.call_get(user=request.user, meeting=meeting, pk=pk)


@login_required
@not_found_as_404
def call_board(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    meeting, call = _get(request, key, pk)
    return render(request, "meetings/call_board.html", _board_context(request, meeting, call))


@require_POST
@login_required
@not_found_as_404
def call_contribute(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    meeting, call = _get(request, key, pk)
    mine = calls.contributing_partners(request.user, call)
    if not mine:
        raise PermissionDenied(_("You contribute for no partner asked in this call."))
    form = ContributionForm(request.POST, request.FILES, partners=mine, auto_id="contribution_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            calls.contribution_submit(
                call=call,
                partner=data["partner"],
                title=data["title"],
                upload=data["upload"],
                kind=data["kind"],
                classification=data["classification"],
                agenda_request=data["agenda_request"],
                by=request.user,
            )
        except Invalid as problem:
            _refusal_on_form(form, problem)
        else:
            messages.success(request, _("Your contribution is sent to the secretariat."))
            return redirect("meeting-call", meeting.key, call.pk)
    call = calls.call_get(user=request.user, meeting=meeting, pk=pk)
    return render(
        request,
        "meetings/call_board.html",
        _board_context(request, meeting, call, form),
        status=422,
    )


@require_POST
@login_required
@not_found_as_404
def call_remind(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    meeting, call = _get(request, key, pk)
    try:
        reminded = calls.call_remind(call=call, by=request.user)
    except Invalid as problem:
        messages.error(request, problem.message)
    else:
        messages.success(
            request,
            ngettext("%(n)s partner reminded.", "%(n)s partners reminded.", len(reminded))
            % {"n": len(reminded)},
        )
    return redirect(reverse("meeting-call", args=[meeting.key, call.pk]) + "#board-title")


@require_POST
@login_required
@not_found_as_404
def call_close(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    meeting, call = _get(request, key, pk)
    try:
        calls.call_close(
            call=call, version=whole_number(request.POST.get("version", "")), by=request.user
        )
    except Conflict as stale:
        messages.error(request, stale.message)
        context = _board_context(request, meeting, call)
        return render(request, "meetings/call_board.html", context, status=409)
    messages.success(request, _("The call is closed."))
    return redirect("meeting-call", meeting.key, call.pk)

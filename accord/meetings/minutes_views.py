"""Pages of minutes: the editor and the review round on the meeting page (htmx, each form
getting the minutes section back), the live preview, revisions and their diff, the
compiled minutes of a tier (page and PDF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.access.permissions import require
from accord.core.errors import AccordError, Invalid, NotFound
from accord.meetings import minutes as review
from accord.meetings import minutes_selectors, permissions, selectors
from accord.meetings.minutes_forms import (
    ApproveForm,
    CirculateForm,
    CommentForm,
    CorrectionForm,
    MinutesForm,
    ResolveForm,
)
from accord.meetings.minutes_page import minutes_context
from accord.meetings.minutes_text import action_lines, render_minutes
from accord.meetings.models import Meeting
from accord.meetings.views import not_found_as_404


def _refuse(form: forms.Form, problem: AccordError, default: str | None = None) -> None:
    details = problem.details if isinstance(problem.details, dict) else {}
    names = [name for name in details if name in form.fields]
    # The services name the Markdown "body"; so do the forms.
    form.add_error(names[0] if names else default, problem.message)


def _section(
    request: HttpRequest,
    key: str,
    *,
    form: forms.Form,
    name: str,
    write: Callable[[Any, dict[str, Any]], object],
    done: str,
    default_field: str | None = None,
) -> HttpResponse:
    """One form of the minutes section: on success the section with fresh forms, on a
    refusal the same input with the message next to its field (403 when not allowed)."""
    from accord.meetings.views import _meeting_context

    meeting = selectors.meeting_get(user=request.user, key=key)
    refused = not form.is_valid()
    status = 200
    if not refused:
        try:
            write(meeting, form.cleaned_data)
        except NotFound:
            raise  # minutes this reader may not read answer as missing (404)
        except AccordError as problem:
            _refuse(form, problem, default_field)
            refused, status = True, (409 if problem.status == 409 else 200)
    if not request.htmx:  # type: ignore[attr-defined]
        if not refused:
            messages.success(request, done)
            return redirect(reverse("meeting-detail", args=[meeting.key]) + "#minutes-title")
        context = _meeting_context(request, key, **{name: form})
        return render(request, "meetings/detail.html", context, status=status)
    meeting = selectors.meeting_get(user=request.user, key=key)
    context = {"meeting": meeting, **minutes_context(request.user, meeting)}
    if refused:
        context[name] = form
    else:
        context["saved"] = done
    # htmx swaps only 2xx answers: a refused edit keeps its 200 and shows why.
    return render(request, "meetings/_minutes.html", context)


@require_POST
@login_required
@not_found_as_404
def minutes_save(request: HttpRequest, key: str) -> HttpResponse:
    def write(meeting: Meeting, data: dict[str, Any]) -> object:
        return review.minutes_save(
            meeting=meeting, body=data["body"], version=data["version"], by=request.user
        )

    return _section(
        request,
        key,
        form=MinutesForm(request.POST, auto_id="minutes_%s"),
        name="minutes_form",
        write=write,
        done=_("Minutes saved."),
        default_field="body",
    )


@require_POST
@login_required
def minutes_preview(request: HttpRequest, key: str) -> HttpResponse:
    """The text as it will read, and the ACTION lines found in it, while it is typed."""
    require(permissions.can_write_minutes(request.user), _("Only the secretariat writes minutes."))
    body = request.POST.get("body", "")
    html, error = "", ""
    try:
        html = render_minutes(body)
    except Invalid as problem:
        error = problem.message
    return render(
        request,
        "meetings/_minutes_preview.html",
        {"preview_html": html, "preview_error": error, "preview_actions": action_lines(body)},
    )


def _minutes_of(request: HttpRequest, meeting: Meeting) -> Any:
    return minutes_selectors.meeting_minutes_or_404(user=request.user, meeting=meeting)


@require_POST
@login_required
@not_found_as_404
def minutes_circulate(request: HttpRequest, key: str) -> HttpResponse:
    def write(meeting: Meeting, data: dict[str, Any]) -> object:
        return review.minutes_circulate(
            minutes=_minutes_of(request, meeting), deadline=data["deadline"], by=request.user
        )

    return _section(
        request,
        key,
        form=CirculateForm(request.POST, auto_id="circulate_%s"),
        name="circulate_form",
        write=write,
        done=_("Minutes circulated to the participants and the members."),
    )


@require_POST
@login_required
@not_found_as_404
def minutes_approve(request: HttpRequest, key: str) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, key=key)
    panel = minutes_selectors.minutes_panel(user=request.user, meeting=meeting)

    def write(meeting: Meeting, data: dict[str, Any]) -> object:
        return review.minutes_approve(
            minutes=_minutes_of(request, meeting), confirm=data["confirm"], by=request.user
        )

    return _section(
        request,
        key,
        form=ApproveForm(request.POST, proposals=panel.proposals, auto_id="approve_%s"),
        name="approve_form",
        write=write,
        done=_("Minutes approved."),
    )


@require_POST
@login_required
@not_found_as_404
def minutes_correct(request: HttpRequest, key: str) -> HttpResponse:
    def write(meeting: Meeting, data: dict[str, Any]) -> object:
        return review.minutes_correct(
            minutes=_minutes_of(request, meeting),
            body=data["body"],
            reason=data["reason"],
            version=data["version"],
            by=request.user,
        )

    return _section(
        request,
        key,
        form=CorrectionForm(request.POST, auto_id="correction_%s"),
        name="correction_form",
        write=write,
        done=_("Correction recorded."),
        default_field="body",
    )


@require_POST
@login_required
@not_found_as_404
def minutes_comment(request: HttpRequest, key: str) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, key=key)
    panel = minutes_selectors.minutes_panel(user=request.user, meeting=meeting)

    def write(meeting: Meeting, data: dict[str, Any]) -> object:
        return review.minutes_comment_add(
            minutes=_minutes_of(request, meeting),
            kind=data["kind"],
            paragraph=data["paragraph"],
            text=data["text"],
            proposed_text=data["proposed_text"],
            by=request.user,
        )

    return _section(
        request,
        key,
        form=CommentForm(request.POST, paragraphs=panel.paragraphs, auto_id="comment_%s"),
        name="comment_form",
        write=write,
        done=_("Comment sent to the secretariat."),
        default_field="text",
    )


@require_POST
@login_required
@not_found_as_404
def amendment_resolve(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    def write(meeting: Meeting, data: dict[str, Any]) -> object:
        minutes = _minutes_of(request, meeting)
        return review.amendment_resolve(
            comment=review.comment_get(minutes=minutes, pk=pk),
            accept=data["outcome"] == "accept",
            reason=data["reason"],
            by=request.user,
        )

    form = ResolveForm(request.POST, auto_id=f"resolve_{pk}_%s")
    form.comment_pk = pk  # type: ignore[attr-defined]
    return _section(
        request,
        key,
        form=form,
        name="resolve_form",
        write=write,
        done=_("Amendment settled."),
        default_field="reason",
    )


@not_found_as_404
def minutes_revisions(request: HttpRequest, key: str) -> HttpResponse:
    """Every revision, with its kind and reason, and the diff between any two."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    minutes = _minutes_of(request, meeting)
    revisions = list(minutes_selectors.revisions(minutes))
    last = revisions[-1].number if revisions else 1
    try:
        new = int(request.GET.get("to") or last)
        old = int(request.GET.get("from") or max(1, new - 1))
    except ValueError as error:
        raise Http404(_("Revisions are numbers.")) from error
    problem_text, diff = "", []
    if revisions:
        try:
            diff = minutes_selectors.diff(minutes=minutes, old=old, new=new)
        except AccordError as problem:
            problem_text = problem.message
    return render(
        request,
        "meetings/minutes_revisions.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "revisions": revisions,
            "old": old,
            "new": new,
            "diff": diff,
            "error": problem_text,
        },
        status=404 if problem_text else 200,
    )


def compiled_context(request: HttpRequest, code: str) -> dict[str, Any]:
    """The compiled minutes of a tier as this reader sees them (the page and its PDF)."""
    tier = selectors.tier_get(code)
    return {
        "tier": tier,
        "compiled": minutes_selectors.tier_compiled_minutes(user=request.user, tier=tier),
    }


@not_found_as_404
def tier_minutes(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "meetings/tier_minutes.html", compiled_context(request, code))

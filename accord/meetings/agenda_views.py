"""Pages that prepare a meeting: the next meeting from this one, the order of the agenda
and its publication. The services decide; these parse, call and redirect (or answer the
agenda section to htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.core.errors import Conflict, Invalid
from accord.meetings import agenda, planning, selectors
from accord.meetings.forms import MeetingEditForm, PrepareNextForm
from accord.meetings.models import AgendaItem
from accord.meetings.permissions import can_edit_agenda, can_edit_meeting
from accord.meetings.views import _meeting_context, _refusal_on_form, not_found_as_404


@login_required
@not_found_as_404
def meeting_prepare_next(request: HttpRequest, key: str) -> HttpResponse:
    """A new meeting of the tier from this one: settings, standing items and partners."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    if not can_edit_meeting(request.user, meeting):
        raise PermissionDenied(_("Only the secretariat prepares meetings."))
    form = PrepareNextForm(
        request.POST or None, initial={"date": planning.next_date(meeting).isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = planning.meeting_prepare_next(
                meeting=meeting, date=form.cleaned_data["date"], by=request.user
            )
        except Invalid as problem:
            _refusal_on_form(form, problem, default="date")
        else:
            messages.success(
                request,
                _("%(meeting)s prepared from %(source)s: its agenda is a draft.")
                % {"meeting": new.display_name, "source": meeting.display_name},
            )
            return redirect(reverse("meeting-detail", args=[new.key]) + "#agenda-title")
    return render(request, "meetings/prepare_next.html", {"meeting": meeting, "form": form})


def _agenda_answer(request: HttpRequest, key: str, done: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        context = _meeting_context(request, key)
        context["saved"] = done
        return render(request, "meetings/_agenda.html", context)
    messages.success(request, done)
    return redirect(reverse("meeting-detail", args=[key]) + "#agenda-title")


@require_POST
@login_required
@not_found_as_404
def agenda_item_move(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    meeting = selectors.meeting_get(user=request.user, key=key)
    item = AgendaItem.objects.filter(meeting=meeting, pk=pk).select_related("meeting").first()
    if item is None:
        raise Http404(f"This meeting has no agenda item {pk}.")
    step = -1 if request.POST.get("direction") == "up" else 1
    agenda.agenda_item_move(item=item, step=step, by=request.user)
    return _agenda_answer(request, meeting.key, _("Agenda reordered."))


@require_POST
@login_required
@not_found_as_404
def agenda_publish(request: HttpRequest, key: str) -> HttpResponseBase:
    meeting = selectors.meeting_get(user=request.user, key=key)
    if not can_edit_agenda(request.user, meeting):
        raise PermissionDenied(_("Only the secretariat publishes agendas."))
    try:
        agenda.agenda_publish(meeting=meeting, by=request.user)
    except Invalid as problem:
        messages.error(request, problem.message)
        return redirect(reverse("meeting-detail", args=[meeting.key]) + "#agenda-title")
    return _agenda_answer(request, meeting.key, _("Agenda published."))


@login_required
@not_found_as_404
def meeting_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Change a meeting's settings; an edit based on a stale version is refused, the
    input kept."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    if not can_edit_meeting(request.user, meeting):
        raise PermissionDenied(_("Only the secretariat changes meetings."))
    initial = {
        "tier": meeting.tier.code,
        "date": meeting.date_iso,
        "title": meeting.title,
        "city": meeting.city,
        "host": meeting.host.acronym if meeting.host else None,
        "status": meeting.status,
        "classification": meeting.classification,
        "restricted_to": [o.acronym for o in meeting.restricted_to.all()],
        "version": meeting.version,
    }
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        restricted = list(data.pop("restricted_to"))
        data.pop("tier")
        try:
            updated = planning.meeting_change(
                meeting=meeting,
                data=data,
                version=version,
                restricted_to=restricted,
                by=request.user,
            )
        except Conflict as problem:
            form.add_error(None, problem.message)
        except Invalid as problem:
            _refusal_on_form(form, problem, default="date")
        else:
            messages.success(request, _("Meeting changed."))
            return redirect(reverse("meeting-detail", args=[updated.key]))
    return render(request, "meetings/edit.html", {"meeting": meeting, "form": form})

"""Pages: meetings by tier and year, a meeting, minutes (diff, compiled per tier), the
action register, my actions, calendar feeds and document downloads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.access.permissions import require
from accord.core.errors import AccordError, Invalid, NotFound
from accord.core.params import MAX_OFFSET, query_date, query_int, query_year
from accord.meetings import agenda, selectors, services
from accord.meetings.calendar import meetings_calendar
from accord.meetings.forms import (
    ActionPointForm,
    AgendaItemForm,
    DocumentUploadForm,
    DocumentVersionForm,
    MeetingForm,
)
from accord.meetings.invitation_context import participation_context
from accord.meetings.minutes_forms import DecisionLinksForm
from accord.meetings.minutes_page import minutes_context
from accord.meetings.models import ActionPointStatus, AgendaItem, MeetingStatus
from accord.meetings.permissions import can_edit_agenda, can_edit_meeting, can_manage_meetings
from accord.meetings.rows_template import action_point_rows_html
from accord.partners.models import Organisation


def not_found_as_404(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapper


@not_found_as_404
def meeting_list(request: HttpRequest) -> HttpResponse:
    tier = request.GET.get("tier") or None
    year_text = request.GET.get("year") or ""
    error = ""
    try:
        year = query_year(request.GET)
    except Invalid as problem:
        error, year = problem.message, None
    grouped: dict[Any, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    if not error:
        for meeting in selectors.meeting_list(user=request.user, tier=tier, year=year):
            grouped[meeting.tier][meeting.date.year].append(meeting)
    context = {
        "error": error,
        "groups": [(t, sorted(years.items(), reverse=True)) for t, years in grouped.items()],
        "tiers": selectors.tiers(),
        "tier": tier,
        "year": year_text,
        "statuses": MeetingStatus.choices,
    }
    template = "meetings/list.html#results" if request.htmx else "meetings/list.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=400 if error else 200)


def _refusal_on_form(form: forms.Form, problem: AccordError, default: str | None = None) -> None:
    """The service's refusal next to the field it names (or ``default``), else above the
    form."""
    details = problem.details if isinstance(problem.details, dict) else {}
    fields = [name for name in details if name in form.fields]
    form.add_error(fields[0] if fields else default, problem.message)


def _meeting_context(request: HttpRequest, key: str, **bound: forms.Form) -> dict[str, Any]:
    """The meeting page's context; ``bound`` replaces a blank form by one refused, so the
    input is kept."""
    number = query_int(request.GET, "follow_up_page", minimum=1, maximum=MAX_OFFSET) or 1
    offset = min((number - 1) * selectors.FOLLOW_UP_PAGE, MAX_OFFSET)
    page = selectors.meeting_page(user=request.user, key=key, follow_up_offset=offset)
    meeting = page.meeting
    items = [(str(e.item.pk), f"{e.number}. {e.item.title}") for e in page.agenda]
    context: dict[str, Any] = {
        "follow_up_page": number,
        **participation_context(request, meeting),
        "page": page,
        "meeting": meeting,
        # The action points as the rows the shared row template shows.
        "follow_up_rows": page.follow_up,
        "raised_rows": page.action_points,
        "today": timezone.localdate(),
        "upload_form": DocumentUploadForm(),
        "upload_limit": settings.ACCORD_UPLOAD_MAX_BYTES,
        "upload_types": ", ".join(settings.ACCORD_UPLOAD_TYPES),
        "agenda_form": AgendaItemForm(auto_id="agenda_%s", parents=items),
        "decision_form": DecisionLinksForm(
            items=[(e.item.pk, f"{e.number}. {e.item.title}") for e in page.agenda],
            auto_id="decision_%s",
        ),
        "action_form": ActionPointForm(auto_id="action_%s"),
        "agenda_choices": items,
        "can_edit_meeting": can_edit_meeting(request.user, meeting),
        "can_edit_agenda": can_edit_agenda(request.user, meeting),
    }
    context.update(minutes_context(request.user, meeting))
    context.update(bound)
    return context


@not_found_as_404
def meeting_detail(request: HttpRequest, key: str) -> HttpResponse:
    return render(request, "meetings/detail.html", _meeting_context(request, key))


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """The secretariat sets up a meeting; a refusal keeps what was typed."""
    require(can_manage_meetings(request.user), _("Only the secretariat sets up meetings."))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(**form.cleaned_data, by=request.user)
        except Invalid as problem:
            # The service's refusals without a field name are about the date.
            _refusal_on_form(form, problem, default="date")
        else:
            messages.success(request, _("Meeting set up: now its agenda."))
            return redirect(reverse("meeting-detail", args=[meeting.key]) + "#agenda-title")
    return render(request, "meetings/create.html", {"form": form})


def _meeting_write(
    request: HttpRequest,
    key: str,
    *,
    form: forms.Form,
    name: str,
    write: Callable[[Any, dict[str, Any]], object],
    partial: str,
    anchor: str,
    done: str,
) -> HttpResponse:
    """One of the secretariat's forms on the meeting page: on success a fresh form, on a
    refusal the same input with the message next to its field. An htmx request gets only
    the section back."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    require(can_manage_meetings(request.user), _("Only the secretariat may change meetings."))
    refused = False
    if form.is_valid():
        try:
            write(meeting, form.cleaned_data)
        except Invalid as problem:
            _refusal_on_form(form, problem)
            refused = True
    else:
        refused = True
    if not request.htmx:  # type: ignore[attr-defined]
        if not refused:
            messages.success(request, done)
            return redirect(reverse("meeting-detail", args=[meeting.key]) + anchor)
        return render(
            request, "meetings/detail.html", _meeting_context(request, key, **{name: form})
        )
    context = _meeting_context(request, key, **({name: form} if refused else {}))
    if not refused:
        context["saved"], context["saved_in"] = done, name
    return render(request, partial, context)


@require_POST
@login_required
@not_found_as_404
def agenda_item_add(request: HttpRequest, key: str) -> HttpResponse:
    def write(meeting: Any, data: dict[str, Any]) -> object:
        return agenda.agenda_item_add(meeting=meeting, **data, by=request.user)

    parents = [
        (str(pk), title)
        for pk, title in AgendaItem.objects.filter(
            meeting_id=selectors.meeting_pk(key), parent__isnull=True
        ).values_list("pk", "title")
    ]
    return _meeting_write(
        request,
        key,
        form=AgendaItemForm(request.POST, auto_id="agenda_%s", parents=parents),
        name="agenda_form",
        write=write,
        partial="meetings/_agenda.html",
        anchor="#agenda-title",
        done=_("Agenda item added."),
    )


@require_POST
@login_required
@not_found_as_404
def decision_add(request: HttpRequest, key: str) -> HttpResponse:
    from accord.meetings.decisions import decision_record

    def write(meeting: Any, data: dict[str, Any]) -> object:
        item = meeting.agenda_items.filter(pk=data["agenda_item"]).first()
        return decision_record(
            meeting=meeting,
            text=data["text"],
            agenda_item=item,
            commitments=data["commitments"],
            initiatives=data["initiatives"],
            classification=data["classification"] or None,
            by=request.user,
        )

    page = selectors.meeting_get(user=request.user, key=key)
    items = [(item.pk, item.title) for item in selectors.agenda_items(page)]
    return _meeting_write(
        request,
        key,
        form=DecisionLinksForm(request.POST, items=items, auto_id="decision_%s"),
        name="decision_form",
        write=write,
        partial="meetings/_outcomes.html",
        anchor="#decisions-title",
        done=_("Decision recorded."),
    )


@require_POST
@login_required
@not_found_as_404
def action_point_add(request: HttpRequest, key: str) -> HttpResponse:
    def write(meeting: Any, data: dict[str, Any]) -> object:
        return services.action_point_create(
            meeting=meeting,
            text=data["text"],
            owners=list(data["owners"]),
            due_date=data["due_date"],
            classification=data["classification"] or None,
            restricted_to=list(data["restricted_to"]),
            by=request.user,
        )

    return _meeting_write(
        request,
        key,
        form=ActionPointForm(request.POST, auto_id="action_%s"),
        name="action_form",
        write=write,
        partial="meetings/_outcomes.html",
        anchor="#action-points-title",
        done=_("Action point recorded."),
    )


@not_found_as_404
def minutes_diff(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, pk=pk)
    revisions = list(selectors.minutes_revisions(minutes))
    last = revisions[-1].number if revisions else 1
    try:
        new = query_int(request.GET, "new", minimum=1) or last
        old = query_int(request.GET, "old", minimum=1) or max(1, new - 1)
    except Invalid as error:
        raise Http404(error.message) from error
    diff = selectors.minutes_diff(minutes=minutes, old=old, new=new)
    return render(
        request,
        "meetings/minutes_diff.html",
        {"minutes": minutes, "revisions": revisions, "old": old, "new": new, "diff": diff},
    )


def _register_filters(request: HttpRequest) -> dict[str, Any]:
    due_before = query_date(request.GET, "due_before")
    return {
        "owner": request.GET.get("owner") or None,
        "status": request.GET.get("status") or None,
        "tier": request.GET.get("tier") or None,
        "overdue": request.GET.get("overdue") in {"1", "true", "on"},
        "due_before": due_before,
    }


def _page_of_action_points(request: HttpRequest, queryset: Any) -> Any:
    paginator = Paginator(queryset, 50)
    return paginator.get_page(request.GET.get("page"))


def action_register(request: HttpRequest) -> HttpResponse:
    """The register's page, read as the API reads it: plain rows, a page at a time."""
    error = ""
    try:
        filters = _register_filters(request)
        queryset = selectors.action_point_register(user=request.user, **filters)
        page = _page_of_action_points(
            request, selectors.ActionPointRows(queryset, user=request.user)
        )
    except (Invalid, NotFound) as problem:
        error, page, filters = problem.message, None, {}
    context = {
        "page": page,
        "filters": filters,
        "error": error,
        "statuses": ActionPointStatus.choices,
        "tiers": selectors.tiers(),
        "owners": Organisation.objects.order_by("acronym").values_list("acronym", flat=True),
        "today": timezone.localdate(),
    }
    template = "meetings/register.html#results" if request.htmx else "meetings/register.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=400 if error else 200)


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    try:
        page = _page_of_action_points(
            request,
            selectors.ActionPointRows(
                selectors.my_action_points(user=request.user, status=status), user=request.user
            ),
        )
    except Invalid as problem:
        raise Http404(problem.message) from problem
    return render(
        request,
        "meetings/my_actions.html",
        {
            "page": page,
            "status": status,
            "statuses": ActionPointStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@not_found_as_404
def tier_calendar(request: HttpRequest, code: str) -> HttpResponse:
    tier = selectors.tier_get(code)
    # A public feed, whoever asks: members read theirs through their private feed.
    meetings = selectors.meeting_list(user=None, tier=tier.code)
    base = request.build_absolute_uri("/")
    return _ics(meetings_calendar(meetings, name=tier.name, base_url=base), f"{code}.ics")


@not_found_as_404
def person_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=None, pk=pk)
    meetings = selectors.person_meetings(user=None, person=person).prefetch_related("topics")
    base = request.build_absolute_uri("/")
    name = f"Meetings of {person.full_name}"
    return _ics(meetings_calendar(meetings, name=name, base_url=base), f"person-{pk}.ics")


@not_found_as_404
def document_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    version = selectors.document_version_get(user=request.user, document_pk=pk, number=number)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name)


@require_POST
@login_required
@not_found_as_404
def action_point_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Record progress from a row of the register, my actions or a meeting page; an htmx
    request gets the row back, with the refusal in it when there is one."""
    action_point = selectors.action_point_to_follow_up(user=request.user, pk=pk)
    error = ""
    try:
        services.action_point_progress(
            action_point=action_point,
            text=request.POST.get("text", "").strip(),
            status=request.POST.get("status", ""),
            by=request.user,
        )
    except Invalid as problem:
        error = problem.message
    rows = [selectors.action_point_row_of(action_point, user=request.user)]
    kept_text = request.POST.get("text", "") if error else ""
    kept_status = request.POST.get("status", "") if error else ""
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            # Without JavaScript a refusal is a page of its own: the row, its form with the
            # input kept and the message next to it.
            context = {
                "action_points": rows,
                "today": timezone.localdate(),
                "progress_error": error,
                "progress_text": kept_text,
                "progress_status": kept_status,
            }
            return render(request, "meetings/progress_refused.html", context, status=422)
        messages.success(request, _("Progress recorded."))
        back = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return redirect(back if safe else "my-actions")
    return HttpResponse(
        action_point_rows_html(
            rows,
            user=request.user,
            today=timezone.localdate(),
            csrf_token=get_token(request),
            progress_error=error,
            progress_text=kept_text,
            progress_status=kept_status,
        )
    )


def _upload_refused(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        messages.error(request, f"{field}: {' '.join(str(error) for error in errors)}")


@require_POST
@login_required
@not_found_as_404
def document_upload(request: HttpRequest, key: str) -> HttpResponseBase:
    """A new document for the meeting (secretariat); size and type rules refuse with a
    message and store nothing."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _upload_refused(request, form)
    else:
        try:
            services.document_upload(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, _("Document uploaded."))
        except Invalid as problem:
            messages.error(request, problem.message)
    return redirect(reverse("meeting-detail", args=[meeting.key]) + "#documents-title")


@require_POST
@login_required
@not_found_as_404
def document_version_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = selectors.document_get(user=request.user, pk=pk)
    meeting = selectors.meeting_get(user=request.user, key=str(document.meeting_id))
    form = DocumentVersionForm(request.POST, request.FILES)
    if not form.is_valid():
        _upload_refused(request, form)
    else:
        try:
            version = services.document_version_add(
                document=document, upload=form.cleaned_data["upload"], by=request.user
            )
            messages.success(request, _("Version %(n)s uploaded.") % {"n": version.number})
        except Invalid as problem:
            messages.error(request, problem.message)
    return redirect(reverse("meeting-detail", args=[meeting.key]) + "#documents-title")

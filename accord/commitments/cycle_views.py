"""Pages of the reporting cycles: the secretariat plans, opens, sets the deadline of and
closes cycles, reads the completeness board and records exceptions to verified entries;
a partner's focal points and contributors find their entries there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.access.permissions import require
from accord.commitments import completeness, cycles, permissions, selectors
from accord.commitments.cycle_forms import CycleForm, DeadlineForm, ExceptionForm
from accord.commitments.models import Cycle, CycleEntry, CycleStatus, EntryState
from accord.core.errors import Conflict, Invalid
from accord.core.params import whole_number


def _reader(request: HttpRequest) -> tuple[bool, frozenset[int]]:
    """Whether the reader manages cycles, and the partners it reports for; others are refused."""
    manages = permissions.can_manage_cycles(request.user)
    partners = permissions.reporting_partner_ids(request.user)
    if not manages and not partners:
        raise PermissionDenied(
            _("Reporting cycles are for the secretariat and partners' reporters.")
        )
    return manages, partners


def _cycle(name: str) -> Cycle:
    cycle = Cycle.objects.select_related("previous").filter(name=name).first()
    if cycle is None:
        raise Http404(_("No such reporting cycle."))
    return cycle


def _refusal_on_form(form: forms.Form, problem: Invalid | Conflict) -> None:
    name, _sep, rest = problem.message.partition(": ")
    if name in form.fields:
        form.add_error(name, rest)
    else:
        form.add_error(None, problem.message)


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    """The cycles; the secretariat plans one here, reporters see their open entries."""
    manages, partners = _reader(request)
    form = CycleForm(request.POST or None) if manages else None
    if request.method == "POST":
        require(manages, permissions.secretariat_only("plan cycles"))
        assert form is not None  # noqa: S101 - built above for whoever manages cycles
        if form.is_valid():
            data = form.cleaned_data
            try:
                cycle = cycles.cycle_create(
                    user=request.user,
                    name=data["name"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    previous=data["previous"],
                    instruments=data["instruments"],
                )
            except Invalid as problem:
                _refusal_on_form(form, problem)
            else:
                messages.success(request, _("Cycle planned: open it when reporting starts."))
                return redirect("cycle-detail", name=cycle.name)
    context: dict[str, Any] = {
        "cycles": list(Cycle.objects.select_related("previous").order_by("-opens_on")),
        "manages": manages,
        "form": form,
    }
    if partners and not manages:
        context["entries"] = list(
            completeness.reporter_entries(partner_ids=partners).filter(
                cycle__status=CycleStatus.OPEN
            )
        )
    return render(request, "commitments/cycles.html", context)


def _exception_choices(cycle: Cycle) -> list[tuple[int, str]]:
    verified = cycle.entries.filter(state=EntryState.VERIFIED).select_related("initiative")
    return [(e.initiative_id, f"{e.initiative_id}: {e.initiative.title_text}") for e in verified]


def _detail(
    request: HttpRequest,
    cycle: Cycle,
    *,
    deadline_form: DeadlineForm | None = None,
    exception_form: ExceptionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    manages, partners = _reader(request)
    context: dict[str, Any] = {
        "cycle": cycle,
        "cycles": list(Cycle.objects.order_by("-opens_on")),
        "manages": manages,
    }
    if manages:
        context.update(selectors.cycle_dashboard(cycle))
        context["completeness"] = completeness.cycle_completeness(cycle)
        context["exceptions"] = list(completeness.cycle_exceptions(cycle))
        context["entries"] = list(selectors.cycle_entries(cycle).select_related("carried_from"))
        context["deadline_form"] = deadline_form or DeadlineForm(
            initial={"closes_on": cycle.closes_on, "version": cycle.version}
        )
        context["exception_form"] = exception_form or ExceptionForm(
            entries=_exception_choices(cycle)
        )
        if cycle.previous is not None:
            context["comparison"] = [
                row for row in selectors.cycle_compare(cycle.previous, cycle) if row.changed
            ]
    else:
        context["entries"] = list(completeness.reporter_entries(partner_ids=partners, cycle=cycle))
        context["exceptions"] = list(
            completeness.cycle_exceptions(cycle).filter(entry__initiative__partner_id__in=partners)
        )
    return render(request, "commitments/cycle_detail.html", context, status=status)


@login_required
def cycle_detail(request: HttpRequest, name: str) -> HttpResponse:
    return _detail(request, _cycle(name))


ACTIONS = ("open", "close", "deadline", "exception")


@require_POST
@login_required
def cycle_action(request: HttpRequest, name: str, action: str) -> HttpResponse:
    """Open, close, move the deadline of a cycle, or record an exception to an entry."""
    if action not in ACTIONS:
        raise Http404(_("No such step."))
    cycle = _cycle(name)
    version = request.POST.get("version") or None
    try:
        if action == "open":
            cycles.cycle_start(user=request.user, cycle=cycle, version=_int(version))
            messages.success(request, _("Cycle opened."))
        elif action == "close":
            cycles.cycle_close(user=request.user, cycle=cycle, version=_int(version))
            messages.success(request, _("Cycle closed."))
        elif action == "deadline":
            form = DeadlineForm(request.POST)
            if not form.is_valid():
                return _detail(request, cycle, deadline_form=form, status=422)
            try:
                cycles.cycle_set_deadline(
                    user=request.user,
                    cycle=cycle,
                    closes_on=form.cleaned_data["closes_on"],
                    version=form.cleaned_data["version"],
                )
            except (Invalid, Conflict) as problem:
                form.add_error(None, problem.message)
                return _detail(request, cycle, deadline_form=form, status=422)
            messages.success(request, _("Deadline set."))
        else:
            return _exception(request, cycle)
    except (Invalid, Conflict) as problem:
        messages.error(request, problem.message)
    return redirect("cycle-detail", name=cycle.name)


def _int(value: str | None) -> int | None:
    return whole_number(value) if value else None


def _exception(request: HttpRequest, cycle: Cycle) -> HttpResponse:
    require(
        permissions.can_record_exception(request.user),
        permissions.secretariat_only("change a verified entry"),
    )
    form = ExceptionForm(request.POST, entries=_exception_choices(cycle))
    if form.is_valid():
        entry = CycleEntry.objects.select_related("cycle", "initiative").get(
            cycle=cycle, initiative_id=form.cleaned_data["initiative"]
        )
        changes = form.changes()
        if not changes:
            form.add_error("progress", _("Give a new progress or status."))
        else:
            try:
                cycles.entry_exception_record(
                    user=request.user,
                    entry=entry,
                    reason=form.cleaned_data["reason"],
                    changes=changes,
                )
            except (Invalid, Conflict) as problem:
                _refusal_on_form(form, problem)
            else:
                messages.success(request, _("Exception recorded with its reason."))
                return redirect("cycle-detail", name=cycle.name)
    return _detail(request, cycle, exception_form=form, status=422)

"""Pages: instruments with coverage, commitments, initiatives (faceted), cycle dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.commitments import permissions, selectors
from accord.commitments.cycles import entry_draft, entry_return, entry_submit, entry_verify
from accord.commitments.forms import ReturnForm
from accord.commitments.initiative_forms import InitiativeFullForm
from accord.commitments.initiatives import initiative_create
from accord.commitments.models import Cycle, CycleEntry, CycleStatus, EntryState, Initiative
from accord.commitments.rollup import commitment_rollup
from accord.core.errors import Conflict, Invalid, NotFound
from accord.core.sections import render_sections
from accord.partners.models import Organisation

PAGE_SIZE = 50


def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "commitments/instrument_list.html", {"instruments": selectors.instrument_list()}
    )


def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        instrument = selectors.instrument_get(code)
    except NotFound as error:
        raise Http404(error.message) from error
    coverage = selectors.instrument_coverage(instrument, user=request.user)
    rows = [node for root in coverage.tree for node in root.walk()]
    most = max((root.coverage.initiatives for root in coverage.tree if root.coverage), default=0)
    context = {
        "instrument": instrument,
        "coverage": coverage,
        "rows": rows,
        "chart": [
            {
                "node": root,
                "width": round(300 * root.coverage.initiatives / most) if most else 0,
                "y": 28 * index,
            }
            for index, root in enumerate(coverage.tree)
            if root.coverage is not None
        ],
        "chart_height": 28 * len(coverage.tree),
        "may_edit": permissions.can_edit_instruments(request.user),
    }
    return render(request, "commitments/instrument_detail.html", context)


def commitment_detail(request: HttpRequest, code: str) -> HttpResponse:
    from accord.commitments.tree import commitment_resolve

    try:
        commitment, former = commitment_resolve(code)
    except NotFound as error:
        raise Http404(error.message) from error
    if former:  # re-coded since: the old code leads to the commitment's page
        return redirect("commitment-detail", code=commitment.code, permanent=True)
    initiatives = selectors.commitment_initiatives(user=request.user, commitment=commitment)
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "commitment": commitment,
        "children": commitment.children.order_by("position", "code"),
        "page": page,
        "may_edit": permissions.can_edit_instruments(request.user),
        "rollup": commitment_rollup(commitment, user=request.user),
        # What higher apps add (the trail, from reports): see accord.core.sections.
        "sections": render_sections("commitment", request, commitment),
    }
    return render(request, "commitments/commitment_detail.html", context)


FACETS = ("commitment", "country", "partner", "status", "kind")


def initiative_list(request: HttpRequest) -> HttpResponse:
    chosen = {name: request.GET.get(name) or None for name in (*FACETS, "cycle", "q")}
    filters = selectors.InitiativeFilters(**chosen)
    try:
        faceted = selectors.initiatives_faceted(user=request.user, filters=filters)
    except (Invalid, NotFound) as error:
        raise Http404(error.message) from error
    paginator = Paginator(faceted.queryset.order_by("-start_on", "-pk"), PAGE_SIZE)
    paginator.count = faceted.total  # counted with the facets
    page = paginator.get_page(request.GET.get("page"))
    items = selectors.initiatives_page(
        faceted.queryset, limit=PAGE_SIZE, offset=(page.number - 1) * PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    chosen_list = []
    for name, value in chosen.items():
        if value:
            without = query.copy()
            without.pop(name, None)
            chosen_list.append((name, value, without.urlencode()))
    context = {
        "can_enter": request.user.is_authenticated and bool(_reporting_partners(request)),
        "chosen_list": chosen_list,
        "facets": faceted.facets,
        "chosen": chosen,
        "page": page,
        "items": items,
        "query": query.urlencode(),
    }
    template = "commitments/initiative_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "commitments/initiative_detail.html", _initiative_context(request, pk))


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    try:
        return selectors.initiative_get(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error


@dataclass
class Reporting:
    """One open cycle on an initiative's page: its entry and the steps this reader may take."""

    cycle: Cycle
    entry: CycleEntry | None
    can_draft: bool
    can_submit: bool
    can_review: bool
    problem: str = ""
    return_form: ReturnForm | None = None


def _reporting(request: HttpRequest, initiative: Initiative) -> list[Reporting]:
    """The open cycles and, for each, what the reader may do with the initiative's entry.

    The buttons follow the services' rules; the services check them again on each POST.
    """
    if not request.user.is_authenticated:
        return []
    cycles = Cycle.objects.filter(status=CycleStatus.OPEN).order_by("closes_on")
    entries = {
        e.cycle_id: e for e in CycleEntry.objects.filter(initiative=initiative, cycle__in=cycles)
    }
    can_draft = permissions.can_draft_entry(request.user, initiative)
    can_submit = permissions.can_submit_entry(request.user, initiative)
    can_review = permissions.can_verify_entry(request.user)
    rows = []
    for cycle in cycles:
        entry = entries.get(cycle.pk)
        state = entry.state if entry else None
        rows.append(
            Reporting(
                cycle=cycle,
                entry=entry,
                can_draft=can_draft and entry is None,
                can_submit=can_submit and state in {EntryState.DRAFT, EntryState.RETURNED},
                can_review=can_review and state == EntryState.SUBMITTED,
                return_form=ReturnForm(auto_id=f"return{cycle.pk}_%s"),
            )
        )
    return rows


def _initiative_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    initiative = _initiative(request, pk)
    return {
        "initiative": initiative,
        "reporting": _reporting(request, initiative),
        "may_edit": permissions.can_edit_initiative(request.user, initiative),
    }


def _refusal_on_form(
    form: forms.Form, problem: Invalid | Conflict, default: str | None = None
) -> None:
    """A service's refusal next to the field its message starts with (``field: ...``)."""
    name, _sep, rest = problem.message.partition(": ")
    if name in form.fields:
        form.add_error(name, rest)
    else:
        form.add_error(default, problem.message)


def _reporting_partners(request: HttpRequest) -> list[str]:
    organisations = Organisation.objects.order_by("acronym")
    if not permissions.is_secretariat(request.user):
        organisations = organisations.filter(pk__in=permissions.reporting_partner_ids(request.user))
    return list(organisations.values_list("acronym", flat=True))


@login_required
def initiative_new(request: HttpRequest) -> HttpResponse:
    """A partner's contributor or focal point enters an initiative; a refusal keeps the input."""
    partners = _reporting_partners(request)
    if not partners:
        raise PermissionDenied(
            _("Only a partner's contributors and focal points enter initiatives.")
        )
    form = InitiativeFullForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        language = (translation.get_language() or "en").split("-")[0]
        try:
            initiative = initiative_create(user=request.user, record=form.record(language))
        except Invalid as problem:
            _refusal_on_form(form, problem)
        else:
            messages.success(request, _("Initiative recorded."))
            return redirect("initiative-detail", pk=initiative.pk)
    return render(request, "commitments/initiative_new.html", {"form": form})


STEPS = ("draft", "submit", "verify", "return")


@require_POST
@login_required
def entry_step(request: HttpRequest, pk: int, cycle: int, step: str) -> HttpResponse:
    """Move the initiative's entry in an open cycle one step; htmx gets the block back."""
    if step not in STEPS:
        raise Http404("No such step.")
    initiative = _initiative(request, pk)
    the_cycle = Cycle.objects.filter(pk=cycle, status=CycleStatus.OPEN).first()
    if the_cycle is None:
        raise Http404(_("No such open cycle."))
    entry = CycleEntry.objects.filter(cycle=the_cycle, initiative=initiative).first()
    return_form = (
        ReturnForm(request.POST, auto_id=f"return{the_cycle.pk}_%s") if step == "return" else None
    )
    problem = ""
    done = ""
    try:
        if step == "draft":
            entry_draft(user=request.user, cycle=the_cycle, initiative=initiative)
            done = _("Entry drafted in %(cycle)s.") % {"cycle": the_cycle.name}
        elif entry is None:
            problem = _("The initiative has no entry in this cycle yet.")
        elif step == "submit":
            entry_submit(user=request.user, entry=entry)
            done = _("Entry submitted.")
        elif step == "verify":
            entry_verify(user=request.user, entry=entry)
            done = _("Entry verified: the initiative is public.")
        else:
            comment = request.POST.get("comment", "")
            entry_return(user=request.user, entry=entry, comment=comment)
            done = _("Entry returned with your comment.")
    except PermissionDenied as refusal:
        return render(request, "commitments/refused.html", {"message": str(refusal)}, status=403)
    except (Invalid, Conflict) as refusal:
        if return_form is not None and refusal.message.startswith("comment: "):
            return_form.is_valid()
            return_form.add_error("comment", refusal.message.removeprefix("comment: "))
        else:
            problem = refusal.message
    if done and not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, done)
        return redirect(reverse("initiative-detail", args=[initiative.pk]) + "#reporting")
    context = _initiative_context(request, pk)
    for row in context["reporting"]:
        if row.cycle.pk == the_cycle.pk:
            row.problem = problem
            if return_form is not None and not done:
                row.return_form = return_form
    context["saved"] = done
    template = "commitments/initiative_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#reporting"
    return render(request, template, context)

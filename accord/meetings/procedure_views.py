"""Pages of written and silence procedures: the list, opening one (secretariat), one
procedure with its answers and trail, and the answer of a partner's focal point or
member."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.core.errors import AccordError, Invalid
from accord.meetings import permissions, procedures
from accord.meetings.models import Procedure, ProcedureState
from accord.meetings.procedure_forms import ProcedureAnswerForm, ProcedureOpenForm
from accord.meetings.views import _refusal_on_form, not_found_as_404


@not_found_as_404
def procedure_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or ""
    if state not in ProcedureState.values:
        state = ""
    queryset = procedures.procedure_list(user=request.user, state=state or None)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/procedure_list.html",
        {
            "page": page,
            "state": state,
            "states": ProcedureState.choices,
            "can_open": permissions.can_open_procedure(request.user)
            and request.user.is_authenticated,
        },
    )


@login_required
def procedure_open(request: HttpRequest) -> HttpResponseBase:
    if not permissions.can_open_procedure(request.user):
        raise PermissionDenied(_("Only the secretariat opens written procedures."))
    form = ProcedureOpenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                procedure = procedures.procedure_open(
                    kind=data["kind"],
                    text=data["text"],
                    closes=data["closes"],
                    partners=list(data["partners"]),
                    classification=data["classification"],
                    by=request.user,
                )
            except Invalid as problem:
                _refusal_on_form(form, problem)
            else:
                messages.success(request, _("The procedure is open."))
                return redirect("procedure-detail", procedure.pk)
    return render(request, "meetings/procedure_open.html", {"form": form}, status=status)


def _detail_context(
    request: HttpRequest, procedure: Procedure, form: ProcedureAnswerForm | None = None
) -> dict[str, Any]:
    mine = procedures.answerable_partners(request.user, procedure)
    if not request.user.is_authenticated:
        mine = []
    if form is None and mine:
        form = ProcedureAnswerForm(
            partners=mine, initial={"version": procedure.version}, auto_id="answer_%s"
        )
    return {
        "procedure": procedure,
        "board": procedures.procedure_board(procedure),
        "form": form,
        "decision": getattr(procedure, "decision", None) if procedure.state == "adopted" else None,
    }


@not_found_as_404
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedures.procedure_get(user=request.user, pk=pk)
    return render(request, "meetings/procedure_detail.html", _detail_context(request, procedure))


@require_POST
@login_required
@not_found_as_404
def procedure_answer(request: HttpRequest, pk: int) -> HttpResponseBase:
    procedure = procedures.procedure_get(user=request.user, pk=pk)
    mine = procedures.answerable_partners(request.user, procedure)
    if not mine:
        raise PermissionDenied(_("You answer for no partner asked in this procedure."))
    form = ProcedureAnswerForm(request.POST, partners=mine, auto_id="answer_%s")
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            procedures.procedure_answer(
                procedure=procedure,
                answer=data["answer"],
                reason=data["reason"],
                partner=data["partner"],
                version=data["version"],
                by=request.user,
            )
        except AccordError as problem:
            if not isinstance(problem, Invalid):
                status = problem.status
            _refusal_on_form(form, problem)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect(reverse("procedure-detail", args=[pk]) + "#answers-title")
    procedure = procedures.procedure_get(user=request.user, pk=pk)
    return render(
        request,
        "meetings/procedure_detail.html",
        _detail_context(request, procedure, form),
        status=status,
    )

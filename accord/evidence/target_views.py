"""Targets per place and year, set on the indicator page by the secretariat."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.access.permissions import require
from accord.core.errors import Invalid, NotFound
from accord.evidence import permissions, selectors, targets
from accord.evidence.models import Indicator
from accord.evidence.target_forms import TargetForm


def _indicator(request: HttpRequest, code: str) -> Indicator:
    try:
        return selectors.indicator_get(user=request.user, code=code)
    except NotFound as error:
        raise Http404(error.message) from error


@require_POST
@login_required
def indicator_targets(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator(request, code)
    require(
        permissions.can_set_targets(request.user, indicator),
        _("Only the secretariat may set indicators' targets."),
    )
    form = TargetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            place = targets.place_for_code(data["place"])
            targets.indicator_target_set(
                user=request.user,
                indicator=indicator,
                place=place,
                year=data["year"],
                value=data["value"],
                note=data["note"],
            )
        except Invalid as problem:
            name, _sep, rest = problem.message.partition(": ")
            form.add_error(name if name in form.fields else None, rest or problem.message)
        else:
            messages.success(
                request,
                _("Target set for %(place)s in %(year)s.")
                % {"place": place.name, "year": data["year"]},
            )
            return redirect(reverse("indicator-detail", args=[indicator.code]) + "#targets")
    from accord.evidence.views import indicator_detail

    return indicator_detail(request, code, target_form=form)


@require_POST
@login_required
def indicator_target_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    indicator = _indicator(request, code)
    try:
        targets.indicator_target_remove(user=request.user, indicator=indicator, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, _("Target removed."))
    return redirect(reverse("indicator-detail", args=[indicator.code]) + "#targets")

"""Targets per place and year, set on the indicator page by the secretariat."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accord.access.permissions import require
from accord.core.errors import Invalid, NotFound
from accord.evidence import permissions, selectors, targets
from accord.evidence.models import Indicator


class TargetForm(forms.Form):
    place = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=64,
        help_text=gettext_lazy("Its code: ISO alpha-3 (LBY) or UN M49 (434)."),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2100)
    value = forms.FloatField(label=gettext_lazy("Target value"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def targets_context(request: HttpRequest, indicator: Indicator, form: Any = None) -> dict:
    """What the indicator page shows of its targets, and the form for the secretariat."""
    allowed = permissions.can_set_targets(request.user, indicator)
    return {
        "targets": targets.indicator_targets(indicator),
        "may_set_targets": allowed,
        "target_form": form or (TargetForm() if allowed else None),
    }


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

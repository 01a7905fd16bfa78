"""The targets section of an indicator page: its form and what it shows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from accord.evidence import permissions, targets
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

"""Template helpers for commitments: place names and amounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from accord.commitments.places import place_name as _place_name

register = template.Library()


@register.filter
def place_name(code: str) -> str:
    return _place_name(code)


@register.filter
def money(amount: Decimal | None) -> str:
    if amount is None:
        return "?"
    return str(intcomma(f"{Decimal(amount):.0f}"))


@register.inclusion_tag("core/data_quality.html", takes_context=True)
def data_quality(context: Any, record: Any) -> dict[str, Any]:
    """A record's data-quality list (the warnings its imports left), with the form to
    clear each for the secretariat."""
    from accord.access.data_quality import can_clear_data_quality
    from accord.core.importing.runs import record_warnings_of

    request = context.get("request")
    user = getattr(request, "user", None)
    warnings = list(record_warnings_of(record))
    return {
        "warnings": warnings,
        "open_count": sum(1 for w in warnings if w.cleared_at is None),
        "can_clear": can_clear_data_quality(user),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }

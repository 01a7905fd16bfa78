"""Template helpers for commitments: place names and amounts."""

from __future__ import annotations

from decimal import Decimal

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

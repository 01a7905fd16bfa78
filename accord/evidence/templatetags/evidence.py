"""``{% commitment_evidence code %}``: the indicators of a commitment, for its page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.evidence.selectors import indicators_for_commitment

register = template.Library()


@register.inclusion_tag("evidence/commitment_indicators.html", takes_context=True)
def commitment_evidence(context: dict[str, Any], code: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"commitment_code": code, "indicators": indicators_for_commitment(code, user=user)}

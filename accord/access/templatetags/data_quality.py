"""``{% data_quality record %}``: a record's data-quality list (the warnings its imports
left: an initiative's, an indicator's), with the form to clear each for the secretariat."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from accord.access.data_quality import can_clear_data_quality
from accord.core.importing.runs import record_warnings_of
from accord.core.models import RecordWarning

register = template.Library()


@register.inclusion_tag("core/data_quality.html", takes_context=True)
def data_quality(
    context: Any, record: Any, warnings: Iterable[RecordWarning] | None = None
) -> dict[str, Any]:
    """The record's warnings (or those given, such as an indicator's current imports'),
    open and cleared, and whether the reader may clear them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    listed = list(record_warnings_of(record) if warnings is None else warnings)
    return {
        "warnings": listed,
        "open_count": sum(1 for w in listed if w.cleared_at is None),
        "can_clear": can_clear_data_quality(user),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }

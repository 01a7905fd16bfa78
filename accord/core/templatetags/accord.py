"""Template helpers: partial dates, uncertainty marks, classification badges."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accord.core.dates import DatePrecision, format_partial_date
from accord.core.models import SourcedModel

register = template.Library()


@register.filter
def partial_date(value: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    """``{{ meeting.date|partial_date:meeting.date_precision }}``."""
    return format_partial_date(value, precision)


@register.simple_tag
def uncertain(record: SourcedModel, field: str) -> SafeString | str:
    """A visible mark beside a fact that the sources only imply."""
    if isinstance(record, SourcedModel) and record.is_uncertain(field):
        return format_html(
            '<span class="uncertain" title="{}">{}</span>',
            _("The sources only imply this; it is not confirmed."),
            _("uncertain"),
        )
    return ""


@register.inclusion_tag("core/classification_badge.html")
def classification_badge(value: str) -> dict[str, str]:
    return {"classification": value}

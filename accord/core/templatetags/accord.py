"""Template helpers: partial dates, uncertainty marks, the reader's language, badges."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils import translation
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


@register.simple_tag
def in_reader_language(record: object, field: str) -> object:
    """``{% in_reader_language initiative "title" %}``: the reader's language when present.

    Reads ``title_fr`` for a French reader (or the ``"fr"`` key when ``title`` holds a
    dict of languages), falling back to the field as it is.
    """
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    value = getattr(record, field, "")
    if isinstance(value, dict):
        return (
            value.get(language)
            or value.get(settings.LANGUAGE_CODE)
            or next((text for text in value.values() if text), "")
        )
    return getattr(record, f"{field}_{language}", None) or value


@register.inclusion_tag("core/classification_badge.html")
def classification_badge(value: str) -> dict[str, str]:
    return {"classification": value}


@register.inclusion_tag("core/sample_badge.html")
def sample_badge(record: object) -> dict[str, bool]:
    """The "sample" badge, for a record of the demo's sample scenario (nothing otherwise)."""
    return {"is_sample": bool(getattr(record, "is_sample", False))}

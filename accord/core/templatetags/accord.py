"""Template helpers: partial dates, uncertainty marks, the reader's language, badges."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accord.core.dates import DatePrecision, format_partial_date, short_date
from accord.core.links import url_of
from accord.core.models import SourcedModel

register = template.Library()


@register.filter
def partial_date(value: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    """``{{ meeting.date|partial_date:meeting.date_precision }}``."""
    return format_partial_date(value, precision)


@register.filter
def time_element(value: dt.date | None) -> SafeString | str:
    """``{{ ap.due_date|time_element }}``: ``<time datetime="2024-02-03">3 Feb.
    2024</time>``, the day for people and for machines."""
    if value is None:
        return ""
    # An ISO date and a day written from digits and a month's name: escaped, not formatted
    # through format_html, which a table of fifty rows would call a hundred times.
    return mark_safe(f'<time datetime="{value.isoformat()}">{escape(short_date(value))}</time>')  # noqa: S308 - both parts escaped


@register.simple_tag
def options(values: Iterable[str], selected: str | None = None) -> SafeString:
    """``{% options owners filters.owner %}``: an ``<option>`` for each value, its own
    label, the ``selected`` one marked; a hundred partners in one tag, not a loop."""
    return mark_safe(  # noqa: S308 - every value escaped
        "".join(
            f"<option{' selected' if value == selected else ''}>{html.escape(value)}</option>"
            for value in values
        )
    )


@register.filter
def url_to(value: object, name: str) -> str:
    """``{{ ap.meeting|url_to:"meeting-detail" }}``: ``{% url "meeting-detail" ap.meeting %}``
    at the cost of one reverse for all the rows of a table (``links.url_of``)."""
    return url_of(name)(value)


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

"""Dates known only to the month or the year, as the record often has them."""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from django.utils import dateformat, formats
from django.utils.dates import MONTHS_AP
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


_PARTIAL = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")


def parse_partial_date(value: object) -> tuple[dt.date, DatePrecision]:
    """Read ``2016-02-16``, ``2012-07`` or ``2024`` (or a date) into a date and its precision.

    A month or a year is stored as its first day, with the precision saying how much of
    the date is known.
    """
    if isinstance(value, dt.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, dt.date):
        return value, DatePrecision.DAY
    text = str(value).strip()
    match = _PARTIAL.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match["year"])
    if match["day"]:
        return dt.date(year, int(match["month"]), int(match["day"])), DatePrecision.DAY
    if match["month"]:
        return dt.date(year, int(match["month"]), 1), DatePrecision.MONTH
    return dt.date(year, 1, 1), DatePrecision.YEAR


def format_partial_date(value: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    """``16 February 2016``, ``July 2012`` or ``2024``, as much as is known.

    Month names come from Django's catalogues, so a French reader gets ``16 février 2016``.
    """
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return dateformat.format(value, "j F Y")


def short_date(value: dt.date) -> str:
    """``3 Feb. 2024``, as ``date:"j N Y"`` writes it (the month's abbreviation from
    Django's catalogues), without the general formatter: a table row may show dozens."""
    return f"{value.day} {MONTHS_AP[value.month]} {value.year:04d}"


def iso_partial_date(value: dt.date | None, precision: str = DatePrecision.DAY) -> str | None:
    """``2016-02-16``, ``2012-07`` or ``2024``: the machine-readable twin of the above."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()

"""Periods as statistics publish them: a year, a quarter, a month, a day or a range."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from accord.evidence.models import PeriodPrecision

EARLIEST_YEAR = 1900

_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_QUARTER = re.compile(r"^(\d{4})[- ]?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-M?(\d{1,2})$", re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Open SDG's spans of years: ``1980 to 1990``, ``1980-1990``, ``2015/2016`` (also the
# ISO 8601 interval of two years).
_YEARS = re.compile(r"^(\d{4})\s*(?:-|\u2013|to|/)\s*(\d{4})$", re.IGNORECASE)
# An ISO 8601 week, as SDMX writes it: ``2019-W05``.
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
# SDMX reporting periods: ``2019-A1`` (the year), ``2019-S2`` (a half year).
_REPORTING_YEAR = re.compile(r"^(\d{4})-A1$", re.IGNORECASE)
_SEMESTER = re.compile(r"^(\d{4})-S([12])$", re.IGNORECASE)
# An ISO 8601 duration of whole years, months or days (SDMX time ranges: start/duration).
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$", re.IGNORECASE)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _after(start: dt.date, duration: str) -> dt.date:
    """The last day of a period of ``duration`` (``P1Y``, ``P6M``, ``P10D``) from ``start``."""
    match = _DURATION.match(duration)
    if not match or not any(match.groups()):
        raise ValueError(f"{duration!r} is not a duration")
    years, months, days = (int(part or 0) for part in match.groups())
    month = start.month - 1 + months + 12 * years
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=days - 1)


def _range(opens: dt.date, closes: dt.date, text: str) -> tuple[dt.date, dt.date, PeriodPrecision]:
    if closes < opens:
        raise ValueError(f"the period {text!r} ends before it starts")
    whole_year = opens.month == opens.day == 1 and (closes.month, closes.day) == (12, 31)
    if whole_year and opens.year == closes.year:
        return opens, closes, PeriodPrecision.YEAR
    return opens, closes, PeriodPrecision.RANGE


def duration_of(start: dt.date, end: dt.date) -> str:
    """The ISO 8601 duration from ``start`` to ``end`` inclusive: ``P11Y`` or ``P181D``."""
    if start.month == start.day == 1 and end.month == 12 and end.day == 31:
        return f"P{end.year - start.year + 1}Y"
    return f"P{(end - start).days + 1}D"


def parse_period(value: object) -> tuple[dt.date, dt.date, PeriodPrecision]:
    """``2015``, ``2015-Q2``, ``2015-03``, ``2015-W05``, ``2015-03-14`` or ``2015-01-01/2015-06-30``
    into (start, end, precision). Raises ``ValueError`` with a readable message."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value, PeriodPrecision.DAY
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    text = str(value).strip()
    try:
        if (match := _YEAR.match(text)) or (match := _REPORTING_YEAR.match(text)):
            year = int(match[1])
            return dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodPrecision.YEAR
        if match := _YEARS.match(text):
            return _range(dt.date(int(match[1]), 1, 1), dt.date(int(match[2]), 12, 31), text)
        if match := _SEMESTER.match(text):
            year, half = int(match[1]), int(match[2])
            first = 6 * (half - 1) + 1
            return dt.date(year, first, 1), _month_end(year, first + 5), PeriodPrecision.RANGE
        if match := _QUARTER.match(text):
            year, quarter = int(match[1]), int(match[2])
            first = 3 * (quarter - 1) + 1
            return (
                dt.date(year, first, 1),
                _month_end(year, first + 2),
                PeriodPrecision.QUARTER,
            )
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            return dt.date(year, month, 1), _month_end(year, month), PeriodPrecision.MONTH
        if match := _WEEK.match(text):
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return monday, monday + dt.timedelta(days=6), PeriodPrecision.RANGE
        if match := _DAY.match(text):
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            return day, day, PeriodPrecision.DAY
        if "/" in text:
            first_text, _slash, last_text = text.partition("/")
            opens = dt.date.fromisoformat(first_text.strip()[:10])
            last_text = last_text.strip()
            if last_text[:1].upper() == "P":
                closes = _after(opens, last_text)
            else:
                closes = dt.date.fromisoformat(last_text[:10])
            return _range(opens, closes, text)
    except ValueError as error:
        if "ends before" in str(error):
            raise
        raise ValueError(f"{text!r} is not a valid period") from error
    raise ValueError(
        f"{text!r} is not a period (YYYY, YYYY-Qn, YYYY-Sn, YYYY-MM, YYYY-Www, YYYY-MM-DD, "
        "YYYY to YYYY or start/end dates)"
    )


def check_period_range(start: dt.date, today: dt.date) -> None:
    """Refuse periods before 1900 or starting in the future."""
    if start.year < EARLIEST_YEAR:
        raise ValueError(f"the period starts before {EARLIEST_YEAR}")
    if start > today:
        raise ValueError("the period starts in the future")

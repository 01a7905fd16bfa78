"""Periods as statistics publish them: a year, a quarter, a month, a day or a range."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from accord.evidence.models import PeriodPrecision

EARLIEST_YEAR = 1900

_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_QUARTER = re.compile(r"^(\d{4})[- ]?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: object) -> tuple[dt.date, dt.date, PeriodPrecision]:
    """``2015``, ``2015-Q2``, ``2015-03``, ``2015-03-14`` or ``2015-01-01/2015-06-30``
    into (start, end, precision). Raises ``ValueError`` with a readable message."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value, PeriodPrecision.DAY
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    text = str(value).strip()
    try:
        if match := _YEAR.match(text):
            year = int(match[1])
            return dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodPrecision.YEAR
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
        if match := _DAY.match(text):
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            return day, day, PeriodPrecision.DAY
        if "/" in text:
            first_text, _slash, last_text = text.partition("/")
            opens = dt.date.fromisoformat(first_text.strip())
            closes = dt.date.fromisoformat(last_text.strip())
            if closes < opens:
                raise ValueError(f"the period {text!r} ends before it starts")
            return opens, closes, PeriodPrecision.RANGE
    except ValueError as error:
        if "ends before" in str(error):
            raise
        raise ValueError(f"{text!r} is not a valid period") from error
    raise ValueError(
        f"{text!r} is not a period (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or start/end dates)"
    )


def check_period_range(start: dt.date, today: dt.date) -> None:
    """Refuse periods before 1900 or starting in the future."""
    if start.year < EARLIEST_YEAR:
        raise ValueError(f"the period starts before {EARLIEST_YEAR}")
    if start > today:
        raise ValueError("the period starts in the future")

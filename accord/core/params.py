"""One reading of the whole numbers, years and dates that arrive as text.

Query parameters, path keys and filter values come from anyone. ``str.isdigit()`` accepts
digits such as ``²`` that ``int()`` refuses; a year past 9999 overflows ``datetime.date``;
an offset past 2**63 overflows the databases' integers. Pages, exports and the API read
such values here only: ASCII digits, bounded, and a refusal (:class:`Invalid`, 422 in the
API, 400 on a page) that names the parameter. The API's query schemas use the same
bounds as pydantic types (``Year``, ``Limit``, ``Offset``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, NoReturn

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import Field

from accord.core.errors import Invalid

MIN_YEAR, MAX_YEAR = dt.MINYEAR, dt.MAXYEAR
# The databases' 64-bit integers: a key or number past it names nothing.
MAX_INTEGER = 2**63 - 1
# Far past the length of any list, and within every database's LIMIT/OFFSET.
MAX_OFFSET = 2**31 - 1
MAX_LIMIT: int = settings.NINJA_PAGINATION_MAX_LIMIT
PAGE_SIZE: int = settings.NINJA_PAGINATION_PER_PAGE

_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
# Longer than any bound here: refused before int() spends time on it.
_MAX_DIGITS = 40
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description="A year, 1 to 9999.")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="How many items, at most.")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="How many items to skip.")]
RecordId = Annotated[int, Field(ge=1, le=MAX_INTEGER)]


def whole_number(text: str, *, minimum: int = 0, maximum: int = MAX_INTEGER) -> int | None:
    """``text`` as a whole number within the bounds, else None: for keys such as ``som-3``."""
    value = str(text).strip()
    if len(value) > _MAX_DIGITS or not _WHOLE.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def parse_int(
    text: str, *, name: str, minimum: int = -MAX_INTEGER, maximum: int = MAX_INTEGER
) -> int:
    """A whole number in ``[minimum, maximum]``, or :class:`Invalid` naming ``name``."""
    value = str(text).strip()
    if not _WHOLE.fullmatch(value):
        _refuse(name, _("%(name)s: '%(value)s' is not a whole number.") % _named(name, text))
    number = whole_number(value, minimum=minimum, maximum=maximum)
    if number is None:
        message = _("%(name)s: %(value)s is out of range (%(minimum)s to %(maximum)s).")
        _refuse(name, message % _named(name, value[:_MAX_DIGITS], minimum, maximum))
    return number


def parse_year(text: str, *, name: str = "year") -> int:
    return parse_int(text, name=name, minimum=MIN_YEAR, maximum=MAX_YEAR)


def parse_date(text: str, *, name: str) -> dt.date:
    """An ISO date (``YYYY-MM-DD``), or :class:`Invalid` naming ``name``."""
    value = str(text).strip()
    try:
        if _DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    _refuse(name, _("%(name)s: '%(value)s' is not a date (YYYY-MM-DD).") % _named(name, text))


def query_int(
    query: Mapping[str, str], name: str, *, minimum: int = 0, maximum: int = MAX_INTEGER
) -> int | None:
    """The parameter ``name`` of a query (None when absent or empty)."""
    text = str(query.get(name) or "").strip()
    return parse_int(text, name=name, minimum=minimum, maximum=maximum) if text else None


def query_year(query: Mapping[str, str], name: str = "year") -> int | None:
    text = str(query.get(name) or "").strip()
    return parse_year(text, name=name) if text else None


def query_date(query: Mapping[str, str], name: str) -> dt.date | None:
    text = str(query.get(name) or "").strip()
    return parse_date(text, name=name) if text else None


def _named(name: str, value: str, minimum: int = 0, maximum: int = 0) -> dict[str, object]:
    return {"name": name, "value": value, "minimum": minimum, "maximum": maximum}


def _refuse(name: str, message: str) -> NoReturn:
    raise Invalid(message, details={name: [message]})

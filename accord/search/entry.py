"""An index entry and the source of a kind of record, and what every source's entries share:
a record's text clipped to a bounded size, dates, and the instruments of commitment codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

from accord.commitments.models import Commitment

if TYPE_CHECKING:
    from accord.core.readers import Actor

#: Characters of a record's text kept for its snippet and its words (a long document's
#: first part): an index entry stays a bounded size.
MAX_BODY = 100_000


@dataclass
class Entry:
    """One row of the index, before it is written."""

    kind: str
    object_id: int
    title: str
    body: str = ""
    url: str = ""
    meeting_id: int | None = None
    anchor: str = ""
    date: dt.date | None = None
    partners: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    kind: str
    model: Callable[[], type[Model]]
    #: The records of this kind a reader may read (a queryset of the model).
    visible: Callable[[Actor], QuerySet]
    #: The records to index, with what ``entries`` reads of them fetched at once.
    indexed: Callable[[], QuerySet]
    entries: Callable[[Any], list[Entry]]


def _clip(text: str) -> str:
    return text[:MAX_BODY]


def _date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _instruments_of(codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    if not wanted:
        return []
    return sorted(
        set(Commitment.objects.filter(code__in=wanted).values_list("instrument__code", flat=True))
    )

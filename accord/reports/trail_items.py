"""The items of a commitment's trail: what each one says, the order they come in, and the
links they carry to the meeting, procedure, initiative and indicator pages.

The meetings a trail reads are cached by id, so that a meeting is read (and its URL
reversed) once however many items point at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.core.links import url_of
from accord.core.readers import reader_scope
from accord.meetings.models import Meeting

if TYPE_CHECKING:
    from accord.access.permissions import Actor

# The order of items of the same date: what was discussed, then decided, then done.
KIND_ORDER = {
    kind: position
    for position, kind in enumerate(
        (
            "meeting",
            "agenda_item",
            "decision",
            "action_point",
            "initiative",
            "cycle_entry",
            "indicator",
        )
    )
}


@dataclass
class TrailItem:
    date: dt.date | None
    kind: str
    title: str
    url: str
    tie: str
    state: str = ""
    key: tuple[str, int] = ("", 0)  # (kind, id): one item per record in a topic's trail

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "tie": self.tie,
            "state": self.state,
        }


@dataclass
class Trail:
    code: str
    title: str
    items: list[TrailItem] = field(default_factory=list)


def _sorted(items: Iterable[TrailItem]) -> list[TrailItem]:
    return sorted(
        items,
        key=lambda item: (
            item.date is None,
            item.date or dt.date.min,
            KIND_ORDER.get(item.kind, 99),
            item.title,
        ),
    )


# Meetings already read in one trail, by id (None: hidden from the reader).
MeetingCache = dict[int, Meeting | None]


def _meetings(
    user: Actor, pks: Iterable[int], cache: MeetingCache | None = None
) -> dict[int, Meeting]:
    """The meetings of these ids the reader may see, with their ordinals (for keys);
    those in ``cache`` are not read again, and those read are added to it."""
    cache = {} if cache is None else cache
    wanted = set(pks)
    missing = wanted - set(cache)
    if missing:
        cache.update(dict.fromkeys(missing))
        for meeting in Meeting.objects.visible_to(user).with_ordinal().filter(pk__in=missing):
            cache[meeting.pk] = meeting
    return {pk: meeting for pk in wanted if (meeting := cache[pk]) is not None}


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    """The meeting page's URL (reversed once per meeting read), at ``anchor``."""
    url = getattr(meeting, "trail_url", None)
    if url is None:
        url = meeting.trail_url = url_of("meeting-detail")(meeting.key)  # type: ignore[attr-defined]
    return f"{url}#{anchor}" if anchor else url


def _readable_agenda(user: Actor, meeting: Meeting) -> bool:
    """A draft agenda is the secretariat's (``can_read_draft_agenda``)."""
    return meeting.agenda_published_at is not None or reader_scope(user).sees_everything

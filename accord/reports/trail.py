"""The trail of a commitment: one dated timeline of what became of it.

It composes the three apps that must not import each other: the meetings and agenda items
that discussed the commitment (by its code on an agenda item, or through a topic linked
to it), the decisions citing it and the action points raised from them with their state,
the initiatives implementing it with their verified progress per cycle, and the
indicators evidencing it with their latest value and progress status. Every item says
how it is tied to the commitment, and every record is read through its own
``visible_to``: the trail holds only what the reader may see.

A topic has a trail too: the meetings and agenda items on it, and the trails of the
commitments it is linked to.

The items, their order and links are in :mod:`accord.reports.trail_items`; the meetings
side in :mod:`accord.reports.trail_meetings`; the initiatives and indicators in
:mod:`accord.reports.trail_progress`. This module composes them and keeps their names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accord.commitments.models import Commitment
from accord.commitments.tree import commitment_resolve
from accord.meetings.models import Topic
from accord.meetings.topics import topic_get
from accord.reports.trail_items import (
    KIND_ORDER,
    MeetingCache,
    Trail,
    TrailItem,
    _meeting_url,
    _meetings,
    _readable_agenda,
    _sorted,
)
from accord.reports.trail_meetings import decision_items, discussion_items
from accord.reports.trail_progress import (
    PROGRESS_ORDER,
    indicator_items,
    initiative_items,
    progress_summary,
)

if TYPE_CHECKING:
    from accord.access.permissions import Actor

__all__ = [
    "KIND_ORDER",
    "PROGRESS_ORDER",
    "MeetingCache",
    "TopicTrail",
    "Trail",
    "TrailItem",
    "commitment_trail",
    "decision_items",
    "discussion_items",
    "indicator_items",
    "initiative_items",
    "page_of",
    "progress_summary",
    "topic_trail",
    "trail_of",
]


def trail_of(
    user: Actor, commitment: Commitment, *, today: dt.date | None = None
) -> list[TrailItem]:
    cache: MeetingCache = {}
    return _sorted(
        [
            *discussion_items(user, commitment.code, cache=cache),
            *decision_items(user, commitment.code, today=today, cache=cache),
            *initiative_items(user, commitment),
            *indicator_items(user, commitment.code),
        ]
    )


def commitment_trail(*, user: Actor, code: str, today: dt.date | None = None) -> Trail:
    """The trail of the commitment with ``code`` (or a former code of it), as ``user``
    may see it; :class:`NotFound` for a code no commitment bears."""
    commitment, _former = commitment_resolve(code)
    return Trail(
        code=commitment.code,
        title=commitment.title_text,
        items=trail_of(user, commitment, today=today),
    )


@dataclass
class TopicTrail:
    topic: Topic
    codes: list[str]
    items: list[TrailItem]


def topic_trail(*, user: Actor, slug: str, today: dt.date | None = None) -> TopicTrail:
    """The trail of a topic: the meetings and agenda items on it, and the trails of the
    commitments it is linked to (each record once)."""
    topic = topic_get(slug)
    codes = list(topic.commitment_links.values_list("commitment_code", flat=True))
    items: dict[tuple[str, int], TrailItem] = {}
    meetings = _meetings(user, topic.meetings.values_list("pk", flat=True))
    for meeting in meetings.values():
        items[("meeting", meeting.pk)] = TrailItem(
            date=meeting.date,
            kind="meeting",
            title=meeting.display_name,
            url=_meeting_url(meeting),
            tie=_("%(meeting)s discussed %(topic)s")
            % {"meeting": meeting.key, "topic": topic.name},
            key=("meeting", meeting.pk),
        )
    agenda = list(topic.agenda_items.values_list("pk", "meeting_id", "title"))
    agenda_meetings = _meetings(user, (meeting_id for _pk, meeting_id, _t in agenda))
    for pk, meeting_id, title in agenda:
        held = agenda_meetings.get(meeting_id)
        if held is None or not _readable_agenda(user, held):
            continue
        items[("agenda_item", pk)] = TrailItem(
            date=held.date,
            kind="agenda_item",
            title=title,
            url=_meeting_url(held, "agenda"),
            tie=_("agenda item “%(item)s” of %(meeting)s is on %(topic)s")
            % {"item": title, "meeting": held.key, "topic": topic.name},
            key=("agenda_item", pk),
        )
    for commitment in Commitment.objects.filter(code__in=codes):
        for item in trail_of(user, commitment, today=today):
            items.setdefault(item.key, item)
    return TopicTrail(topic=topic, codes=codes, items=_sorted(items.values()))


def page_of(items: list[TrailItem], *, limit: int, offset: int) -> list[TrailItem]:
    return items[offset : offset + limit]

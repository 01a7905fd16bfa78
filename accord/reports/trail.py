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
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.commitments.models import Commitment, CycleEntry, EntryState, Initiative
from accord.commitments.texts import localized
from accord.commitments.tree import commitment_resolve
from accord.core.readers import reader_scope
from accord.evidence.models import Indicator, Observation
from accord.evidence.progress import progress_by_indicator
from accord.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    Meeting,
    Topic,
    TopicCommitment,
)
from accord.meetings.topics import topic_get
from accord.reports.models import AgendaCommitment

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
# The worst first: the status an indicator's trail item shows is its worst place's.
PROGRESS_ORDER = ("deterioration", "negligible", "moderate", "substantial", "target_achieved")


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


# Digits, so that int path converters take it as well as str ones.
_MARKER = "9876543210123"


@lru_cache(maxsize=64)
def _template(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=[_MARKER], urlconf=urlconf)


def _url_of(name: str) -> Callable[[object], str]:
    """``reverse(name, args=[value])`` for many values at the cost of one reverse: the
    URL reversed once with a marker (per script prefix and URLconf), the marker replaced
    by each quoted value."""
    template = _template(name, get_script_prefix(), get_urlconf())
    return lambda value: template.replace(_MARKER, quote(str(value), safe=""))


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    """The meeting page's URL (reversed once per meeting read), at ``anchor``."""
    url = getattr(meeting, "trail_url", None)
    if url is None:
        url = meeting.trail_url = _url_of("meeting-detail")(meeting.key)  # type: ignore[attr-defined]
    return f"{url}#{anchor}" if anchor else url


def _readable_agenda(user: Actor, meeting: Meeting) -> bool:
    """A draft agenda is the secretariat's (``can_read_draft_agenda``)."""
    return meeting.agenda_published_at is not None or reader_scope(user).sees_everything


def _topics_of(codes: list[str]) -> dict[int, tuple[str, list[str]]]:
    """Topic id -> (name, the codes among ``codes`` it is linked to)."""
    topics: dict[int, tuple[str, list[str]]] = {}
    for pk, name, code in TopicCommitment.objects.filter(commitment_code__in=codes).values_list(
        "topic_id", "topic__name", "commitment_code"
    ):
        topics.setdefault(pk, (name, []))[1].append(code)
    return topics


def discussion_items(
    user: Actor, code: str, *, cache: MeetingCache | None = None
) -> list[TrailItem]:
    """The meetings and agenda items that discussed the commitment ``code``: agenda items
    naming it, and meetings and agenda items on a topic linked to it."""
    topics = _topics_of([code])
    on_topic = Meeting.topics.through.objects.filter(topic_id__in=topics).values_list(
        "meeting_id", "topic_id"
    )
    item_topic = AgendaItem.topics.through.objects.filter(topic_id__in=topics).values_list(
        "agendaitem_id", "topic_id"
    )
    item_topics: dict[int, list[int]] = defaultdict(list)
    for item_id, topic_id in item_topic:
        item_topics[item_id].append(topic_id)
    named = set(
        AgendaCommitment.objects.filter(commitment_code=code).values_list(
            "agenda_item_id", flat=True
        )
    )
    items = list(
        AgendaItem.objects.filter(pk__in=named | set(item_topics)).values_list(
            "pk", "meeting_id", "title"
        )
    )
    meeting_topics: dict[int, list[int]] = defaultdict(list)
    for meeting_id, topic_id in on_topic:
        meeting_topics[meeting_id].append(topic_id)
    meetings = _meetings(user, [*meeting_topics, *(meeting for _pk, meeting, _t in items)], cache)
    out: list[TrailItem] = []
    for meeting_id, topic_ids in meeting_topics.items():
        meeting = meetings.get(meeting_id)
        if meeting is None:
            continue
        names = "; ".join(topics[pk][0] for pk in topic_ids)
        out.append(
            TrailItem(
                date=meeting.date,
                kind="meeting",
                title=meeting.display_name,
                url=_meeting_url(meeting),
                tie=_("%(meeting)s discussed %(topics)s, a topic linked to %(code)s")
                % {"meeting": meeting.key, "topics": names, "code": code},
                key=("meeting", meeting.pk),
            )
        )
    for pk, meeting_id, title in items:
        meeting = meetings.get(meeting_id)
        if meeting is None or not _readable_agenda(user, meeting):
            continue
        if pk in named:
            tie = _("agenda item “%(item)s” of %(meeting)s discusses %(code)s") % {
                "item": title,
                "meeting": meeting.key,
                "code": code,
            }
        else:
            tie = _(
                "agenda item “%(item)s” of %(meeting)s is on %(topics)s, linked to %(code)s"
            ) % {
                "item": title,
                "meeting": meeting.key,
                "topics": "; ".join(topics[topic][0] for topic in item_topics[pk]),
                "code": code,
            }
        out.append(
            TrailItem(
                date=meeting.date,
                kind="agenda_item",
                title=title,
                url=_meeting_url(meeting, "agenda"),
                tie=tie,
                key=("agenda_item", pk),
            )
        )
    return out


def decision_items(
    user: Actor, code: str, *, today: dt.date | None = None, cache: MeetingCache | None = None
) -> list[TrailItem]:
    """The decisions citing ``code`` and the action points raised from them, with their
    state (an open action past its due date is overdue)."""
    today = today or timezone.localdate()
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(commitment_links__commitment_code=code)
        .values_list("pk", "meeting_id", "position", "text")
    )
    meetings = _meetings(user, (meeting for _pk, meeting, _n, _t in decisions), cache)
    out: list[TrailItem] = []
    numbered: dict[int, tuple[Meeting, int]] = {}
    # Each message translated once, not once per record.
    cites = _("decision %(number)s of %(meeting)s cites %(code)s")
    overdue = _("%(state)s, overdue since %(due)s")
    raised = _("action point raised by decision %(number)s of %(meeting)s, which cites %(code)s")
    for pk, meeting_id, position, text in decisions:
        meeting = meetings.get(meeting_id)
        if meeting is None:
            continue
        numbered[pk] = (meeting, position)
        out.append(
            TrailItem(
                date=meeting.date,
                kind="decision",
                title=text[:200],
                url=_meeting_url(meeting, f"decision-{pk}"),
                tie=cites % {"number": position, "meeting": meeting.key, "code": code},
                key=("decision", pk),
            )
        )
    points = (
        ActionPoint.objects.visible_to(user)
        .filter(raised_by_decision__in=list(numbered))
        .values_list("pk", "raised_by_decision_id", "text", "status", "due_date")
    )
    labels = {value: str(label) for value, label in ActionPoint.status_choices}
    for pk, decision_id, text, status, due in points:
        meeting, position = numbered[decision_id]
        state = str(labels.get(status, status))
        if status in ("open", "in_progress") and due is not None and due < today:
            state = overdue % {"state": state, "due": due.isoformat()}
        out.append(
            TrailItem(
                date=due or meeting.date,
                kind="action_point",
                title=text[:200],
                url=_meeting_url(meeting, f"action-point-{pk}"),
                tie=raised % {"number": position, "meeting": meeting.key, "code": code},
                state=state,
                key=("action_point", pk),
            )
        )
    return out


def initiative_items(user: Actor, commitment: Commitment) -> list[TrailItem]:
    """The initiatives implementing the commitment the reader may see, and each one's
    verified progress per cycle."""
    rows = list(
        Initiative.objects.visible_to(user)
        .filter(commitment_links__commitment=commitment)
        .values_list("pk", "title", "start_on", "status", "progress")
    )
    statuses = {
        value: str(label) for value, label in Initiative._meta.get_field("status").choices or []
    }
    titles: dict[int, str] = {}
    out: list[TrailItem] = []
    initiative_url = _url_of("initiative-detail")
    implementing = _("initiative implementing %(code)s") % {"code": commitment.code}
    in_cycle = _("%(initiative)s in the %(cycle)s cycle")
    verified_tie = _("verified progress of an initiative implementing %(code)s") % {
        "code": commitment.code
    }
    verified = _("%(progress)s%% verified")
    for pk, title, start, status, progress in rows:
        name = _localized(title) or f"#{pk}"
        titles[pk] = name
        out.append(
            TrailItem(
                date=start,
                kind="initiative",
                title=name,
                url=initiative_url(pk),
                tie=implementing,
                state=f"{statuses.get(status, status)}, {progress}%",
                key=("initiative", pk),
            )
        )
    entries = CycleEntry.objects.filter(
        initiative__commitment_links__commitment=commitment,
        initiative__in=Initiative.objects.visible_to(user).values("pk"),
        state=EntryState.VERIFIED,
    ).values_list(
        "pk", "initiative_id", "cycle__name", "cycle__closes_on", "submitted_at", "progress"
    )
    for pk, initiative_id, cycle, closes_on, submitted_at, progress in entries:
        out.append(
            TrailItem(
                date=submitted_at.date() if submitted_at else closes_on,
                kind="cycle_entry",
                title=in_cycle % {"initiative": titles[initiative_id], "cycle": cycle},
                url=initiative_url(initiative_id),
                tie=verified_tie,
                state=verified % {"progress": progress or 0},
                key=("cycle_entry", pk),
            )
        )
    return out


def _localized(texts: Any) -> str:
    return localized(texts) if isinstance(texts, dict) else str(texts or "")


def progress_summary(results: list[Any]) -> tuple[str, str]:
    """(status, words) of an indicator's progress by the Open SDG method (its
    :class:`~accord.evidence.progress.Progress` per place): its worst place's status,
    named; ("", "") when no place has a measurable series."""
    if not results:
        return "", ""
    worst = min(results, key=lambda p: PROGRESS_ORDER.index(p.status))
    words = f"{worst.label} ({worst.place})"
    if len(results) > 1:
        words = _("%(status)s, the worst of %(places)s places") % {
            "status": words,
            "places": len(results),
        }
    return worst.status, words


def _latest(indicator_ids: list[int]) -> dict[int, tuple[dt.date, float, str]]:
    """Each indicator's latest total (its period start, value and place), in one query."""
    latest: dict[int, tuple[dt.date, float, str]] = {}
    rows = (
        Observation.objects.filter(indicator_id__in=indicator_ids, disaggregation_key="")
        .order_by("indicator_id", "-period_start")
        .values_list("indicator_id", "period_start", "value", "place__name")
    )
    for indicator_id, start, value, place in rows:
        latest.setdefault(indicator_id, (start, value, place))
    return latest


def indicator_items(user: Actor, code: str) -> list[TrailItem]:
    """The indicators evidencing ``code``, each with its latest value and progress status."""
    out: list[TrailItem] = []
    indicators = list(
        Indicator.objects.visible_to(user).filter(commitment_links__commitment_code=code).distinct()
    )
    progress = progress_by_indicator(indicators)
    latest_of = _latest([indicator.pk for indicator in indicators])
    indicator_url = _url_of("indicator-detail")
    for indicator in indicators:
        latest = latest_of.get(indicator.pk)
        _status, words = progress_summary(progress.get(indicator.pk, []))
        state = []
        if latest is not None:
            start, value, place = latest
            state.append(
                _("latest %(value)s %(unit)s (%(year)s, %(place)s)")
                % {
                    "value": f"{value:,g}",
                    "unit": indicator.unit,
                    "year": start.year,
                    "place": place,
                }
            )
        if words:
            state.append(words)
        out.append(
            TrailItem(
                date=latest[0] if latest else None,
                kind="indicator",
                title=f"{indicator.code}: {indicator.name}",
                url=indicator_url(indicator.code),
                tie=_("indicator evidencing %(code)s") % {"code": code},
                state="; ".join(state) or _("no data"),
                key=("indicator", indicator.pk),
            )
        )
    return out


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

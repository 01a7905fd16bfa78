"""The meetings side of a commitment's trail: the meetings and agenda items that discussed
it, the decisions citing it (at a meeting or by a written or silence procedure) and the
action points raised from them, each read through its own ``visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core.links import url_of
from accord.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    Meeting,
    Procedure,
    TopicCommitment,
)
from accord.reports.models import AgendaCommitment
from accord.reports.trail_items import (
    MeetingCache,
    TrailItem,
    _meeting_url,
    _meetings,
    _readable_agenda,
)

if TYPE_CHECKING:
    from accord.access.permissions import Actor


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
    out.extend(_procedure_decisions(user, code))
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


def _procedure_decisions(user: Actor, code: str) -> list[TrailItem]:
    """Decisions citing ``code`` adopted by a written or silence procedure between
    meetings, dated when the procedure closed (else its deadline)."""
    rows = (
        Decision.objects.visible_to(user)
        .filter(
            commitment_links__commitment_code=code,
            meeting__isnull=True,
            procedure__in=Procedure.objects.visible_to(user),
        )
        .values_list("pk", "procedure_id", "text", "procedure__closed_on", "procedure__closes")
    )
    procedure_url = url_of("procedure-detail")
    adopted = _("decision adopted by procedure %(number)s cites %(code)s")
    return [
        TrailItem(
            date=closed_on or closes,
            kind="decision",
            title=text[:200],
            url=procedure_url(procedure_id),
            tie=adopted % {"number": procedure_id, "code": code},
            key=("decision", pk),
        )
        for pk, procedure_id, text, closed_on, closes in rows
    ]

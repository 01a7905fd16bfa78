"""What meetings and what is in them (agenda items, minutes, decisions, action points,
documents) put in the index, and which of them a reader may see: records that live in a
meeting are read only when their meeting is, as on the meeting's page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation

from accord.meetings.minutes_text import paragraphs
from accord.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    Document,
    Meeting,
    Minutes,
)
from accord.meetings.permissions import can_read_draft_agenda
from accord.meetings.selectors import minutes_statuses_for
from accord.search.entry import MAX_BODY, Entry, _clip, _instruments_of
from accord.search.models import DocumentText, Kind
from accord.search.text import joined

if TYPE_CHECKING:
    from accord.core.readers import Actor


def _meetings_visible(user: Actor) -> QuerySet:
    return Meeting.objects.visible_to(user)


def _in_visible_meeting(queryset: QuerySet, user: Actor) -> QuerySet:
    meetings = _meetings_visible(user)
    if not meetings.query.where:  # every meeting (the secretariat)
        return queryset
    return queryset.filter(meeting__in=meetings.values("pk"))


def _decisions_visible(user: Actor) -> QuerySet:
    """A meeting's decisions as its meeting allows; a procedure's by their own
    classification."""
    decisions = Decision.objects.visible_to(user)
    meetings = _meetings_visible(user)
    if not meetings.query.where:
        return decisions
    return decisions.filter(Q(meeting__in=meetings.values("pk")) | Q(meeting__isnull=True))


def _meeting_title(meeting: Meeting) -> str:
    with translation.override("en"):
        return meeting.display_name


def _meeting_entries(meeting: Meeting) -> list[Entry]:
    host = meeting.host
    return [
        Entry(
            Kind.MEETING,
            meeting.pk,
            title=_meeting_title(meeting),
            body=_clip(
                joined(
                    [
                        meeting.title_fr,
                        meeting.summary,
                        meeting.city,
                        meeting.city_fr,
                        meeting.tier.name,
                        host.name if host else "",
                        *(t.name for t in meeting.topics.all()),
                    ]
                )
            ),
            meeting_id=meeting.pk,
            date=meeting.date,
            partners=[host.acronym] if host else [],
        )
    ]


def _agenda_visible(user: Actor) -> QuerySet:
    items = _in_visible_meeting(AgendaItem.objects.all(), user)
    # A draft agenda is read by whoever reads draft agendas (the meeting page's rule).
    if can_read_draft_agenda(user, Meeting(agenda_published_at=None)):
        return items
    return items.filter(meeting__agenda_published_at__isnull=False)


def _agenda_entries(item: AgendaItem) -> list[Entry]:
    return [
        Entry(
            Kind.AGENDA_ITEM,
            item.pk,
            title=item.title,
            body=_clip(joined([item.description, *(t.name for t in item.topics.all())])),
            meeting_id=item.meeting_id,
            anchor=f"agenda-item-{item.pk}",
            date=item.meeting.date,
        )
    ]


def _minutes_visible(user: Actor) -> QuerySet:
    return _in_visible_meeting(Minutes.objects.all(), user).filter(
        status__in=minutes_statuses_for(user)
    )


def _minutes_entries(minutes: Minutes) -> list[Entry]:
    """One entry per paragraph, opening the minutes at it."""
    with translation.override("en"):
        title = f"Minutes of {minutes.meeting.display_name}"
    if minutes.agenda_item_id:
        title += f": {minutes.agenda_item.title}"  # type: ignore[union-attr]
    found = []
    size = 0
    for paragraph in paragraphs(minutes.body):
        size += len(paragraph.source)
        if size > MAX_BODY:
            break
        found.append(
            Entry(
                Kind.MINUTES,
                minutes.pk,
                title=title,
                body=paragraph.source,
                meeting_id=minutes.meeting_id,
                anchor=paragraph.anchor,
                date=minutes.meeting.date,
            )
        )
    return found


def _decision_entries(decision: Decision) -> list[Entry]:
    codes = [link.commitment_code for link in decision.commitment_links.all()]
    return [
        Entry(
            Kind.DECISION,
            decision.pk,
            title=decision.text[:200],
            body=_clip(joined([decision.text, *codes])),
            # A procedure's outcome has no meeting: its own page.
            url=""
            if decision.meeting_id
            else reverse("procedure-detail", args=[decision.procedure_id]),
            meeting_id=decision.meeting_id,
            anchor=f"decision-{decision.pk}" if decision.meeting_id else "",
            date=decision.meeting.date
            if decision.meeting is not None
            else (decision.procedure.closed_on if decision.procedure is not None else None),
            instruments=_instruments_of(codes),
        )
    ]


def _action_entries(action: ActionPoint) -> list[Entry]:
    """The action and the progress written on it since."""
    return [
        Entry(
            Kind.ACTION_POINT,
            action.pk,
            title=action.text[:200],
            body=_clip(joined([action.text, *(u.text for u in action.updates.all())])),
            meeting_id=action.meeting_id,
            anchor=f"action-point-{action.pk}",
            date=action.due_date or action.meeting.date,
            partners=sorted(o.acronym for o in action.owners.all()),
        )
    ]


def _latest_text(document: Document) -> str:
    versions = sorted(document.versions.all(), key=lambda v: v.number)
    if not versions:
        return ""
    text = DocumentText.objects.filter(version=versions[-1]).values_list("text", flat=True)
    return next(iter(text), "")


def _document_entries(document: Document) -> list[Entry]:
    return [
        Entry(
            Kind.DOCUMENT,
            document.pk,
            title=document.title,
            body=_clip(_latest_text(document)),
            meeting_id=document.meeting_id,
            anchor=f"document-{document.pk}",
            date=document.meeting.date,
            partners=[document.meeting.host.acronym] if document.meeting.host else [],
        )
    ]

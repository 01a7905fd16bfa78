"""The briefing pack for a meeting: one context, read through the apps' selectors as the
given reader, rendered to HTML (and from the same HTML to PDF) or to DOCX.

The pack holds only what the reader may see, and carries on every page the highest
classification among the records it includes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone

from accord.core.models import Classification, highest_classification
from accord.meetings.calls import BoardRow, call_board, meeting_calls, visible_documents
from accord.meetings.minutes_selectors import meeting_minutes
from accord.meetings.models import ActionPoint, Meeting, Participant, ParticipantRole
from accord.meetings.selectors import (
    AgendaEntry,
    MeetingPage,
    carried_forward,
    meeting_action_points,
    meeting_page,
)
from accord.reports.models import AgendaCommitment
from accord.reports.press import title_on

if TYPE_CHECKING:
    from accord.access.permissions import Actor


@dataclass
class Chart:
    title: str
    svg: str  # an <svg> document, rendered server-side
    classification: str = Classification.PUBLIC


@dataclass
class ItemSection:
    """One agenda item with what the other apps link to it."""

    entry: AgendaEntry
    codes: list[str] = field(default_factory=list)  # the commitments it discusses
    commitments: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class FollowUpRow:
    action_point: ActionPoint
    meeting_name: str
    owners: str
    overdue: bool
    last_update: str


@dataclass
class PersonRow:
    name: str
    title: str
    organisation: str
    role: str


@dataclass
class CallSection:
    """A call for contributions: what was asked, and each partner's answer (documents as
    the reader may see them)."""

    message: str
    due: dt.date
    rows: list[BoardRow]

    @property
    def waiting(self) -> list[str]:
        return [row.partner.acronym for row in self.rows if not row.answered]


@dataclass
class Briefing:
    meeting: Meeting
    page: MeetingPage
    reader: str
    classification: Classification
    co_chairs: list[str]
    participants: list[PersonRow]
    follow_up: list[FollowUpRow]
    items: list[ItemSection]
    documents: list[Any]
    topics: list[str]
    generated_on: dt.date
    host: str = ""
    notes: list[str] = field(default_factory=list)
    minutes: Any = None  # the minutes as this reader may read them, if any
    calls: list[CallSection] = field(default_factory=list)  # the partners' contributions
    radar: Any = None  # the follow-up radar (accord.reports.radar), with commitments installed

    @property
    def classification_label(self) -> str:
        return str(self.classification.label).upper()


# Each installed app that links records to agenda items may add them to a section:
# ``extend(user, sections, briefing_notes) -> list[str]`` of classifications included.
SectionExtender = Callable[["Actor", list[ItemSection], list[str]], list[str]]
EXTENDERS: dict[str, str] = {
    "accord.commitments": "accord.reports.links.add_commitments",
    "accord.evidence": "accord.reports.links.add_indicators",
}


def _participant_rows(participants: list[Participant], on: dt.date) -> list[PersonRow]:
    rows = []
    for participant in participants:
        organisation = participant.organisation
        acronym = ""
        if organisation is not None:
            name = organisation.name_on(on)
            acronym = name.acronym if name else organisation.acronym
        person = participant.person
        rows.append(
            PersonRow(
                name=person.full_name if person else "",
                title=title_on(person, on, organisation) if person else "",
                organisation=acronym,
                role=str(participant.get_role_display()),
            )
        )
    return rows


def _follow_up(
    user: Actor, page: MeetingPage, today: dt.date
) -> tuple[list[FollowUpRow], list[str]]:
    """The previous meeting's action points (all statuses) and any earlier one still open,
    overdue first, then by due date."""
    # The printed pack lists the whole follow-up, not the page's first screen of it.
    carried = carried_forward(user=user, meeting=page.meeting)
    points: dict[int, ActionPoint] = {ap.pk: ap for ap in carried}
    if page.previous is not None:
        for ap in meeting_action_points(user=user, meeting=page.previous):
            points.setdefault(ap.pk, ap)
    rows = []
    for ap in points.values():
        updates = list(ap.updates.all())
        rows.append(
            FollowUpRow(
                action_point=ap,
                meeting_name=ap.meeting.display_name,
                owners=", ".join(owner.acronym for owner in ap.owners.all()),
                overdue=ap.is_overdue(today),
                last_update=f"{updates[-1].on.isoformat()}: {updates[-1].text}" if updates else "",
            )
        )
    rows.sort(
        key=lambda row: (
            not row.overdue,
            row.action_point.due_date or dt.date.max,
            row.action_point.pk,
        )
    )
    return rows, [row.action_point.classification for row in rows]


def _host(meeting: Meeting) -> str:
    """The host under its name on the meeting date, flagged when the record is unsure."""
    if meeting.host is None:
        return ""
    name = meeting.host.name_on(meeting.date)
    acronym = name.acronym if name else meeting.host.acronym
    return f"{acronym} (uncertain)" if meeting.is_uncertain("host") else acronym


def _flatten(entries: list[AgendaEntry]) -> list[AgendaEntry]:
    flat = []
    for entry in entries:
        flat.append(entry)
        flat.extend(_flatten(entry.children))
    return flat


def briefing_context(*, user: Actor, key: str, today: dt.date | None = None) -> Briefing:
    """Everything the pack shows, as ``user`` may see it."""
    today = today or timezone.localdate()
    page = meeting_page(user=user, key=key)
    meeting = page.meeting
    classifications: list[str] = [meeting.classification]
    participants = _participant_rows(page.participants, meeting.date)
    for participant in page.participants:
        if participant.person is not None:
            classifications.append(participant.person.classification)
    co_chairs = [
        f"{row.name} ({row.organisation})" if row.organisation else row.name
        for row, participant in zip(participants, page.participants, strict=True)
        if participant.role == ParticipantRole.CO_CHAIR
    ]
    follow_up, follow_classes = _follow_up(user, page, today)
    classifications += follow_classes
    classifications += [row["classification"] for row in page.action_points]
    classifications += [document.classification for document in page.documents]
    classifications += [decision.classification for decision in page.decisions]
    items = [ItemSection(entry=entry) for entry in _flatten(page.agenda)]
    codes: dict[int, list[str]] = defaultdict(list)
    for item_id, code in AgendaCommitment.objects.filter(
        agenda_item__in=[section.entry.item for section in items]
    ).values_list("agenda_item_id", "commitment_code"):
        codes[item_id].append(code)
    for section in items:
        section.codes = codes.get(section.entry.item.pk, [])
        # Without the commitments app, the codes themselves.
        section.commitments = [
            {"code": code, "title": code, "coverage": "", "progress": ""} for code in section.codes
        ]
    meeting_call_list = list(meeting_calls(user=user, meeting=meeting))
    visible = visible_documents(user=user, calls=meeting_call_list)
    calls = [
        CallSection(
            message=call.message,
            due=call.due,
            rows=call_board(user=user, call=call, visible=visible),
        )
        for call in meeting_call_list
    ]
    if calls:  # calls are read by members only
        classifications.append(Classification.MEMBERS)
    notes: list[str] = []
    from django.utils.module_loading import import_string

    for app, path in EXTENDERS.items():
        if apps.is_installed(app):
            extend: SectionExtender = import_string(path)
            classifications += extend(user, items, notes)
    radar = _radar(user, meeting, today)
    if radar is not None:
        classifications += radar.classifications
    return Briefing(
        meeting=meeting,
        page=page,
        reader=getattr(user, "username", "") or "public",
        classification=highest_classification(classifications),
        co_chairs=co_chairs,
        participants=participants,
        follow_up=follow_up,
        items=items,
        documents=page.documents,
        topics=[topic.name for topic in meeting.topics.all()],
        generated_on=today,
        host=_host(meeting),
        notes=notes,
        minutes=meeting_minutes(user=user, meeting=meeting),
        calls=calls,
        radar=radar,
    )


def _radar(user: Actor, meeting: Meeting, today: dt.date) -> Any:
    """The meeting's follow-up radar, when the apps it weighs are installed."""
    if not (apps.is_installed("accord.commitments") and apps.is_installed("accord.evidence")):
        return None
    from accord.reports.radar import meeting_radar

    return meeting_radar(user=user, key=meeting.key, today=today)


def briefing_html(briefing: Briefing, *, for_print: bool = False) -> str:
    return render_to_string("reports/briefing.html", {"briefing": briefing, "for_print": for_print})


def briefing_pdf(briefing: Briefing) -> bytes:
    from accord.reports.engines import html_to_pdf

    return html_to_pdf(briefing_html(briefing, for_print=True))


def briefing_docx(briefing: Briefing) -> bytes:
    from accord.reports.word import briefing_document

    return briefing_document(briefing)


def render_briefing(briefing: Briefing, fmt: str) -> tuple[bytes, str]:
    """The pack in ``fmt`` (html, pdf, docx) and its media type."""
    if fmt == "html":
        return briefing_html(briefing).encode(), "text/html; charset=utf-8"
    if fmt == "pdf":
        return briefing_pdf(briefing), "application/pdf"
    if fmt == "docx":
        return (
            briefing_docx(briefing),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    from accord.core.errors import Invalid

    raise Invalid(f"Unknown format {fmt!r}: use pdf, docx or html.")

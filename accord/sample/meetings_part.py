"""The meetings of the sample scenario: what was said at the real last Senior Officials
Meeting, a Heads of Unit/Division meeting and an expert meeting, and the next SOM.

The real series is never extended into the past: the one sample SOM is the next one,
planned a few weeks after the day the sample is loaded; the agenda, minutes, decisions
and documents added to the real last SOM are themselves sample records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile

from accord.core.models import Classification
from accord.meetings import agenda as agenda_services
from accord.meetings import minutes as minutes_services
from accord.meetings.decisions import decision_record
from accord.meetings.invitations import invitation_answer, invitation_send
from accord.meetings.models import (
    AgendaItem,
    DocumentKind,
    Meeting,
    MeetingStatus,
    MeetingTier,
    Participant,
)
from accord.meetings.participation import InvitationAnswer
from accord.meetings.planning import meeting_prepare_next
from accord.meetings.selectors import with_ordinal
from accord.meetings.services import document_upload, meeting_create
from accord.partners.models import Organisation
from accord.partners.selectors import memberships_on
from accord.sample.marking import mark, mark_all

if TYPE_CHECKING:
    from accord.core.readers import Actor

# How far ahead of the load day the next Senior Officials Meeting is planned.
NEXT_SOM_IN_DAYS = 28


@dataclass
class SampleMeetings:
    """The meetings the other parts of the scenario hang their records on."""

    last_som: Meeting
    next_som: Meeting
    heads_of_unit: Meeting
    expert: Meeting
    items: dict[str, AgendaItem] = field(default_factory=dict)


def _partner(acronym: str) -> Organisation:
    return Organisation.objects.get(acronym=acronym)


def last_real_som() -> Meeting:
    """The real series' latest held Senior Officials Meeting (never a sample one)."""
    return (
        with_ordinal(Meeting.objects.filter(tier__code="som", is_sample=False))
        .select_related("tier")
        .order_by("-date")
        .first()
    )


def held_som_content(*, meeting: Meeting, by: Actor) -> dict[str, AgendaItem]:
    """An agenda with sub-items, approved minutes and decisions on the real last SOM."""
    items: dict[str, AgendaItem] = {}
    plan = [
        ("opening", "Opening and adoption of the agenda", 15, True, []),
        (
            "review",
            "Review of the action points of the previous meeting",
            45,
            True,
            [("review-returns", "Return and reintegration", 20)],
        ),
        (
            "jvap",
            "Follow-up of the Joint Valletta Action Plan",
            60,
            False,
            [
                ("jvap-root", "Root causes of irregular migration", 20),
                ("jvap-legal", "Legal migration and mobility", 20),
            ],
        ),
        ("aob", "Any other business", 15, True, []),
    ]
    for key, title, minutes, standing, subs in plan:
        item = agenda_services.agenda_item_add(
            meeting=meeting, title=title, planned_minutes=minutes, standing=standing, by=by
        )
        items[key] = item
        for sub_key, sub_title, sub_minutes in subs:
            items[sub_key] = agenda_services.agenda_item_add(
                meeting=meeting,
                title=sub_title,
                planned_minutes=sub_minutes,
                parent=item.pk,
                standing=standing,
                by=by,
            )
    mark(*items.values())
    if meeting.agenda_published_at is None:
        agenda_services.agenda_publish(meeting=meeting, by=by)
    body = (
        "## Opening\n\nThe co-chairs opened the meeting and the agenda was adopted.\n\n"
        "## Review of the action points\n\nThe partners reported on the action points "
        "of the previous meeting; most are under way, some are late.\n\n"
        "## Joint Valletta Action Plan\n\nThe meeting took stock of the initiatives "
        "implementing the plan and of the gaps that remain on legal migration.\n"
    )
    written = minutes_services.minutes_save(meeting=meeting, body=body, by=by)
    approved = minutes_services.minutes_approve(minutes=written, confirm=[], by=by)
    mark(approved)
    decisions = [
        decision_record(
            meeting=meeting,
            text="The partners will report on their JVAP initiatives in the next reporting cycle.",
            agenda_item=items["jvap"],
            commitments=["JVAP-1", "JVAP-2"],
            classification=Classification.PUBLIC,
            by=by,
        ),
        decision_record(
            meeting=meeting,
            text="The secretariat prepares a note on the gaps in legal migration pathways.",
            agenda_item=items["jvap-legal"],
            commitments=["JVAP-2"],
            by=by,
        ),
        decision_record(
            meeting=meeting,
            text="The next Senior Officials Meeting takes place in Brussels.",
            agenda_item=items["aob"],
            by=by,
        ),
    ]
    mark(*decisions)
    return items


def other_meetings(*, today: dt.date, by: Actor) -> tuple[Meeting, Meeting]:
    """A Heads of Unit/Division meeting two months ago, and an expert meeting three weeks
    ago restricted to two partners (their real dates are not public: both are sample)."""
    heads = meeting_create(
        tier=MeetingTier.objects.get(code="heads-of-unit"),
        date=today - dt.timedelta(days=61),
        city="Brussels",
        status=MeetingStatus.HELD,
        classification=Classification.MEMBERS,
        summary="Heads of Unit/Division took stock of the reporting cycle and the JVAP gaps.",
        by=by,
    )
    expert = meeting_create(
        tier=MeetingTier.objects.get(code="expert"),
        date=today - dt.timedelta(days=21),
        virtual=True,
        title="Expert meeting on reintegration data",
        status=MeetingStatus.HELD,
        classification=Classification.RESTRICTED,
        restricted_to=[_partner("IOM"), _partner("DG HOME")],
        summary="IOM and DG HOME experts compared reintegration figures.",
        by=by,
    )
    mark(heads, expert)
    return heads, expert


def next_som(*, last: Meeting, today: dt.date, by: Actor) -> Meeting:
    """The next SOM, prepared from the last one as the secretariat would: its standing
    items copied, a draft agenda with sub-items, invitations sent and partly answered."""
    meeting = meeting_prepare_next(
        meeting=last, date=today + dt.timedelta(days=NEXT_SOM_IN_DAYS), by=by
    )
    mark(meeting)
    mark_all(AgendaItem.objects.filter(meeting=meeting))
    mark_all(Participant.objects.filter(meeting=meeting))
    jvap = agenda_services.agenda_item_add(
        meeting=meeting,
        title="Joint Valletta Action Plan: progress report",
        planned_minutes=50,
        by=by,
    )
    subs = [
        agenda_services.agenda_item_add(
            meeting=meeting, title=title, planned_minutes=minutes, parent=jvap.pk, by=by
        )
        for title, minutes in [
            ("Results of the reporting cycle", 20),
            ("Gaps and overlaps in coverage", 15),
            ("Indicator targets per route", 15),
        ]
    ]
    mark(jvap, *subs)
    answers = [
        InvitationAnswer.ATTENDING,
        InvitationAnswer.NOT_ATTENDING,
        InvitationAnswer.DELEGATE,
        InvitationAnswer.ATTENDING,
    ]
    framework = meeting.tier.framework
    members = (
        [
            m.organisation
            for m in memberships_on(framework, meeting.date).select_related("organisation")
        ]
        if framework is not None
        else []
    )
    for index, organisation in enumerate(sorted(members, key=lambda o: o.acronym)):
        slug = organisation.acronym.lower().replace(" ", "-")
        invitations = invitation_send(
            meeting=meeting,
            organisation=organisation,
            emails=[f"delegate.{slug}@sample.invalid"],
            base_url="http://127.0.0.1:8000",
            by=by,
        )
        mark(*invitations)
        if index < len(answers):
            for invitation in invitations:
                invitation_answer(
                    invitation=invitation,
                    answer=answers[index],
                    delegate_name="A. Delegate"
                    if answers[index] == InvitationAnswer.DELEGATE
                    else "",
                    signed=True,
                )
    return meeting


def documents(*, meetings: SampleMeetings, by: Actor) -> int:
    """Documents of each classification: public, members, restricted to two partners."""
    plan = [
        (meetings.last_som, "Annotated agenda", DocumentKind.AGENDA, Classification.PUBLIC, ()),
        (
            meetings.last_som,
            "JVAP progress note",
            DocumentKind.BACKGROUND_NOTE,
            Classification.MEMBERS,
            (),
        ),
        (
            meetings.next_som,
            "Draft agenda of the next meeting",
            DocumentKind.AGENDA,
            Classification.MEMBERS,
            (),
        ),
        (
            meetings.expert,
            "Reintegration figures (restricted)",
            DocumentKind.BACKGROUND_NOTE,
            Classification.RESTRICTED,
            ("IOM", "DG HOME"),
        ),
    ]
    made = []
    for meeting, title, kind, classification, partners in plan:
        text = f"SAMPLE DOCUMENT: not part of the record.\n\n{title}\n{meeting}\n"
        made.append(
            document_upload(
                meeting=meeting,
                title=f"{title} (sample)",
                kind=kind,
                upload=ContentFile(text.encode(), name=f"{title.lower().replace(' ', '-')}.txt"),
                classification=classification,
                restricted_to=[_partner(a) for a in partners],
                by=by,
            )
        )
    mark(*made)
    return len(made)

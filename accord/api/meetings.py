"""Meetings, their agendas and decisions, and the action points they raise."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import BaseModel

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.params import Year
from accord.meetings import selectors, services
from accord.meetings.models import ActionPointStatus, Meeting
from accord.partners.models import Organisation
from accord.partners.selectors import organisation_get

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    key: str
    id: int
    tier: str
    ordinal: int
    title: str
    date: str | None
    date_precision: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    city: str
    virtual: bool
    venue: str
    host: str | None
    co_chairs: list[str]
    status: str
    classification: str
    restricted_to: list[str]
    agenda_published: bool
    version: int
    topics: list[str]
    uncertain: list[str]
    url: str


def _co_chairs(meeting: Meeting) -> Any:
    """Prefetched by the selectors as ``co_chair_list``; read here otherwise."""
    if hasattr(meeting, "co_chair_list"):
        return meeting.co_chair_list
    return meeting.participants.filter(role="co_chair").select_related("person")


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "key": meeting.key,
        "id": meeting.pk,
        "tier": meeting.tier.code,
        "ordinal": meeting.ordinal_number,
        "title": meeting.display_name,
        "date": meeting.date_iso,
        "date_precision": meeting.date_precision,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "city": meeting.city,
        "virtual": meeting.virtual,
        "venue": meeting.venue,
        # The one naming rule: the host as it was named on the meeting's date.
        "host": meeting.host.acronym_on(meeting.named_on) if meeting.host else None,
        "co_chairs": [p.person.full_name for p in _co_chairs(meeting) if p.person],
        "status": meeting.status,
        "classification": meeting.classification,
        "restricted_to": sorted(o.acronym for o in meeting.restricted_to.all())
        if meeting.classification == Classification.RESTRICTED
        else [],
        "agenda_published": meeting.agenda_published_at is not None,
        "version": meeting.version,
        "topics": [topic.name for topic in meeting.topics.all()],
        "uncertain": meeting.uncertain_fields,
        "url": reverse("meeting-detail", args=[meeting.key]),
    }


# The register answers up to a page of these at a time from plain dicts: plain pydantic
# models validate them many times faster than ninja's Schema, which also reads objects.
class UpdateOut(BaseModel):
    on: dt.date
    text: str
    status: str | None
    author: str | None


class ActionPointOut(BaseModel):
    id: int
    meeting: str
    text: str
    owners: list[str]
    assignee: str | None
    due_date: dt.date | None
    status: str
    classification: str
    version: int
    updates: list[UpdateOut]


class MeetingFilters(Schema):
    tier: str | None = None
    year: Year | None = None
    status: str | None = None


@router.get("/meetings", response=list[MeetingOut], summary="List meetings")
@paginate(Page)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> list[dict[str, Any]]:
    """Meetings this reader may see, by tier and date; each named by its key (``som-3``)."""
    return [
        meeting_out(meeting)
        for meeting in selectors.meeting_list(
            user=request.user, tier=filters.tier, year=filters.year, status=filters.status
        )
    ]


class AgendaItemOut(Schema):
    id: int
    number: str
    parent: int | None
    title: str
    description: str
    planned_minutes: int | None
    topics: list[str]


class MeetingDecisionOut(Schema):
    id: int
    number: int
    text: str
    agenda_item: int | None
    commitments: list[str] = []


class ParticipantOut(Schema):
    person: str | None
    organisation: str | None
    role: str
    attended: bool | None
    override_reason: str


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    language: str
    classification: str
    agenda_item: int | None
    versions: list[int]


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    agenda_warnings: list[str]
    follow_up: list[ActionPointOut] = Field(
        description="The first page of the action points carried forward; "
        "`follow_up_next` reads the rest."
    )
    follow_up_count: int
    follow_up_next: str | None
    decisions: list[MeetingDecisionOut]
    action_points: list[ActionPointOut]
    participants: list[ParticipantOut]
    documents: list[DocumentOut]
    events: list[str]


def _flat_agenda(entries: list[selectors.AgendaEntry]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for entry in entries:
        item = entry.item
        rows.append(
            {
                "id": item.pk,
                "number": entry.number,
                "parent": item.parent_id,
                "title": item.title,
                "description": item.description,
                "planned_minutes": item.planned_minutes,
                "topics": [topic.name for topic in item.topics.all()],
            }
        )
        rows.extend(_flat_agenda(entry.children))
    return rows


@router.get("/meetings/{key}", response=MeetingDetailOut, summary="One meeting")
def meeting_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    """By key (``som-3``) or id: with its agenda, the action points carried forward from
    the tier's earlier meetings, decisions, action points, participants and documents."""
    page = selectors.meeting_page(user=request.user, key=key)
    return {
        **meeting_out(page.meeting),
        "agenda": _flat_agenda(page.agenda),
        "agenda_warnings": page.agenda_warnings,
        "follow_up": page.follow_up,
        "follow_up_count": page.follow_up_count,
        "follow_up_next": (
            f"/api/v1/meetings/{page.meeting.key}/follow-up?offset={page.follow_up_next}"
            f"&limit={page.follow_up_limit}"
            if page.follow_up_next is not None
            else None
        ),
        "decisions": [
            {
                "id": d.pk,
                "number": d.position,
                "text": d.text,
                "agenda_item": d.agenda_item_id,
                "commitments": [link.commitment_code for link in d.commitment_links.all()],
            }
            for d in page.decisions
        ],
        "action_points": page.action_points,
        "participants": [
            {
                "person": p.person.full_name if p.person else None,
                "organisation": p.organisation.acronym_on(page.meeting.named_on)
                if p.organisation
                else None,
                "role": p.role,
                "attended": p.attended,
                "override_reason": p.override_reason,
            }
            for p in page.participants
        ],
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "kind": d.kind,
                "language": d.language,
                "classification": d.classification,
                "agenda_item": d.agenda_item_id,
                "versions": [v.number for v in d.versions.all()],
            }
            for d in page.documents
        ],
        "events": [event.text for event in page.events],
    }


@router.get(
    "/meetings/{key}/follow-up",
    response=list[ActionPointOut],
    summary="A meeting's follow-up",
)
@paginate(Page)
def meeting_follow_up(request: HttpRequest, key: str) -> selectors.ActionPointRows:
    """The action points carried forward to the meeting: those of the tier's earlier
    meetings still open or in progress, in the order of the meetings that raised them."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    return selectors.ActionPointRows(
        user=request.user, queryset=selectors.carried_forward(user=request.user, meeting=meeting)
    )


class ActionPointFilters(Schema):
    owner: str | None = None
    status: str | None = None
    tier: str | None = None
    overdue: bool = False
    due_before: dt.date | None = None


@router.get("/action-points", response=list[ActionPointOut], summary="The action register")
@paginate(Page)
def action_point_list(
    request: HttpRequest, filters: Query[ActionPointFilters]
) -> selectors.ActionPointRows:
    """Action points across all meetings, soonest due first. ``owner`` is an acronym
    (current or former), ``status`` one or more statuses separated by commas,
    ``overdue=true`` those still open past their due date."""
    return selectors.ActionPointRows(
        user=request.user,
        queryset=selectors.action_point_register(
            user=request.user,
            owner=filters.owner,
            status=filters.status,
            tier=filters.tier,
            overdue=filters.overdue,
            due_before=filters.due_before,
        ),
    )


@router.get("/action-points/{ap_id}", response=ActionPointOut, summary="One action point")
def action_point_detail(request: HttpRequest, ap_id: int) -> dict[str, Any]:
    return selectors.action_point_row_get(user=request.user, pk=ap_id)


def _owners(acronyms: list[str]) -> list[Organisation]:
    return [organisation_get(acronym) for acronym in acronyms]


class ActionPointIn(Schema):
    text: str
    owners: list[str]
    assignee: str | None = None
    due_date: dt.date | None = None
    status: str = ActionPointStatus.OPEN
    # Left out: the service's one default.
    classification: str | None = None
    restricted_to: list[str] = []
    raised_by_decision: int | None = None
    raised_by_item: int | None = None


@router.post(
    "/meetings/{key}/action-points",
    response={201: ActionPointOut},
    auth=authenticated,
    summary="Record an action point (secretariat)",
)
def action_point_create(request: HttpRequest, key: str, payload: ActionPointIn) -> Status:
    meeting = selectors.meeting_get(user=request.user, key=key)
    decision = (
        meeting.decisions.filter(pk=payload.raised_by_decision).first()
        if payload.raised_by_decision
        else None
    )
    item = (
        meeting.agenda_items.filter(pk=payload.raised_by_item).first()
        if payload.raised_by_item
        else None
    )
    if payload.raised_by_decision and decision is None:
        raise Invalid(f"Meeting {key} has no decision {payload.raised_by_decision}.")
    if payload.raised_by_item and item is None:
        raise Invalid(f"Meeting {key} has no agenda item {payload.raised_by_item}.")
    action_point = services.action_point_create(
        meeting=meeting,
        text=payload.text,
        owners=_owners(payload.owners),
        assignee=selectors.assignee_get(user=request.user, name=payload.assignee),
        due_date=payload.due_date,
        status=payload.status,
        classification=payload.classification,
        restricted_to=_owners(payload.restricted_to),
        raised_by_decision=decision,
        raised_by_item=item,
        by=request.user,
    )
    return Status(201, selectors.action_point_row_get(user=request.user, pk=action_point.pk))


class ActionPointPatch(Schema):
    version: int
    text: str | None = None
    owners: list[str] | None = None
    assignee: str | None = None
    due_date: dt.date | None = None
    status: str | None = None


@router.patch(
    "/action-points/{ap_id}",
    response=ActionPointOut,
    auth=authenticated,
    summary="Change an action point",
)
def action_point_patch(
    request: HttpRequest, ap_id: int, payload: ActionPointPatch
) -> dict[str, Any]:
    """Send the fields to change and the ``version`` you read; a stale version answers 409
    and changes nothing. Focal points of an owner may change ``status`` and ``assignee``."""
    action_point = selectors.action_point_get(user=request.user, pk=ap_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    for required in ("text", "status", "owners"):
        if required in changes and changes[required] is None:
            raise Invalid(f"{required} cannot be empty.")
    if "owners" in changes:
        changes["owners"] = _owners(changes["owners"])
    if "assignee" in changes:
        changes["assignee"] = selectors.assignee_get(user=request.user, name=changes["assignee"])
    services.action_point_update(
        action_point=action_point, data=changes, version=version, by=request.user
    )
    return selectors.action_point_row_get(user=request.user, pk=ap_id)


class ProgressIn(Schema):
    text: str
    on: dt.date | None = None
    status: str = ""


@router.post(
    "/action-points/{ap_id}/updates",
    response={201: ActionPointOut},
    auth=authenticated,
    summary="Record progress on an action point",
)
def action_point_progress(request: HttpRequest, ap_id: int, payload: ProgressIn) -> Status:
    """Dated progress, by a focal point of one of the owners or the secretariat."""
    action_point = selectors.action_point_to_follow_up(user=request.user, pk=ap_id)
    services.action_point_progress(
        action_point=action_point,
        text=payload.text,
        on=payload.on,
        status=payload.status,
        by=request.user,
    )
    return Status(201, selectors.action_point_row_of(action_point, user=request.user))

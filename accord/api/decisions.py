"""Decisions of meetings, their links, and the register across meetings."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.errors import Invalid
from accord.core.params import Year
from accord.meetings import decisions, selectors
from accord.meetings.models import AgendaItem, Meeting

router = Router(tags=["decisions"])


class DecisionOut(Schema):
    id: int
    meeting: str | None
    procedure: int | None
    taken_on: str | None
    number: int
    text: str
    agenda_item: int | None
    commitments: list[str]
    initiatives: list[int]
    action_points: list[int]
    classification: str
    version: int


def _item(meeting: Meeting, pk: int | None) -> AgendaItem | None:
    if pk is None:
        return None
    item = meeting.agenda_items.filter(pk=pk).first()
    if item is None:
        raise Invalid(
            f"Meeting {meeting.key} has no agenda item {pk}.", details={"agenda_item": [pk]}
        )
    return item


def _out(request: HttpRequest, pk: int) -> dict[str, Any]:
    return decisions.decision_out(decisions.decision_get(user=request.user, pk=pk))


class DecisionIn(Schema):
    text: str
    agenda_item: int | None = None
    commitments: list[str] = []
    initiatives: list[int] = []
    action_points: list[int] = []
    classification: str | None = None


@router.post(
    "/meetings/{key}/decisions",
    response={201: DecisionOut},
    auth=authenticated,
    summary="Record a decision (secretariat)",
)
def decision_create(request: HttpRequest, key: str, payload: DecisionIn) -> Status:
    """Numbered after the meeting's last; ``commitments`` by code (an unknown code answers
    422), ``initiatives`` and ``action_points`` by id; classified as the meeting unless
    ``classification`` says otherwise."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    decision = decisions.decision_record(
        meeting=meeting,
        text=payload.text,
        agenda_item=_item(meeting, payload.agenda_item),
        commitments=payload.commitments,
        initiatives=payload.initiatives,
        action_points=payload.action_points,
        classification=payload.classification,
        by=request.user,
    )
    return Status(201, _out(request, decision.pk))


class DecisionFilters(Schema):
    commitment: str | None = None
    meeting: str | None = None
    tier: str | None = None
    year: Year | None = None
    partner: str | None = None


@router.get("/decisions", response=list[DecisionOut], summary="The decisions register")
@paginate(Page)
def decision_list(request: HttpRequest, filters: Query[DecisionFilters]) -> list[dict[str, Any]]:
    """Decisions across meetings, newest meeting first; ``commitment`` a code, ``meeting`` a
    key (``som-3``), ``partner`` an acronym (the owners of the action points carrying a
    decision out)."""
    return [
        decisions.decision_out(decision)
        for decision in decisions.decision_register(
            user=request.user,
            commitment=filters.commitment,
            meeting=filters.meeting,
            tier=filters.tier,
            year=filters.year,
            partner=filters.partner,
        )
    ]


@router.get("/decisions/{decision_id}", response=DecisionOut, summary="One decision")
def decision_detail(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return _out(request, decision_id)


class DecisionPatch(Schema):
    version: int
    text: str | None = None
    agenda_item: int | None = None
    commitments: list[str] | None = None
    initiatives: list[int] | None = None
    action_points: list[int] | None = None
    classification: str | None = None


@router.patch(
    "/decisions/{decision_id}",
    response=DecisionOut,
    auth=authenticated,
    summary="Change a decision (secretariat)",
)
def decision_patch(
    request: HttpRequest, decision_id: int, payload: DecisionPatch
) -> dict[str, Any]:
    """The fields to change and the ``version`` read; 409 when stale, 422 for an unknown
    commitment code. Lists replace the links they name."""
    decision = decisions.decision_get(user=request.user, pk=decision_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    for required in ("text", "classification", "commitments", "initiatives", "action_points"):
        if required in changes and changes[required] is None:
            raise Invalid(f"{required} cannot be empty.", details={required: ["null"]})
    if "agenda_item" in changes and decision.meeting is not None:
        changes["agenda_item"] = _item(decision.meeting, changes["agenda_item"])
    decisions.decision_update(decision=decision, data=changes, version=version, by=request.user)
    return _out(request, decision_id)

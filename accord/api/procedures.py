"""Written and silence procedures through the API: open one (secretariat), answer it (a
partner's focal point or member), read its state, answers and trail."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.errors import Invalid, NotFound
from accord.core.params import RecordId
from accord.meetings import procedures
from accord.partners.models import Organisation
from accord.partners.selectors import organisation_get

router = Router(tags=["procedures"])


class AnswerOut(Schema):
    partner: str
    answer: str | None
    reason: str
    answered_at: dt.datetime | None


class ProcedureTrailOut(Schema):
    partner: str
    answer: str
    reason: str
    answered_at: dt.datetime
    by: str | None
    replaced_at: dt.datetime | None


class ProcedureOut(Schema):
    id: int
    kind: str
    text: str
    closes: dt.date
    state: str
    outcome: str | None
    classification: str
    partners: list[str]
    answers: list[AnswerOut]
    trail: list[ProcedureTrailOut]
    decision: int | None
    closed_at: dt.datetime | None
    version: int


class ProcedureIn(Schema):
    kind: Literal["written", "silence"]
    text: str
    closes: dt.date
    partners: list[str] = []
    classification: Literal["public", "members", "restricted"] = "members"
    restricted_to: list[str] = []


def partners_named(acronyms: list[str], field: str) -> list[Organisation]:
    """The partners of ``acronyms``; an unknown one answers 422 naming it."""
    found = []
    for acronym in dict.fromkeys(a.strip() for a in acronyms if a.strip()):
        try:
            found.append(organisation_get(acronym))
        except NotFound as error:
            raise Invalid(
                f"No partner has the acronym {acronym!r}.", details={field: [acronym]}
            ) from error
    return found


def _out(request: HttpRequest, pk: int) -> dict[str, Any]:
    return procedures.procedure_out(procedures.procedure_get(user=request.user, pk=pk))


@router.post(
    "/procedures",
    response={201: ProcedureOut},
    auth=authenticated,
    summary="Open a written or silence procedure (secretariat)",
)
def procedure_create(request: HttpRequest, payload: ProcedureIn) -> Status:
    """The draft decision ``text`` put to ``partners`` (acronyms; none: every member today)
    until the end of ``closes``."""
    procedure = procedures.procedure_open(
        kind=payload.kind,
        text=payload.text,
        closes=payload.closes,
        partners=partners_named(payload.partners, "partners"),
        classification=payload.classification,
        restricted_to=partners_named(payload.restricted_to, "restricted_to"),
        by=request.user,
    )
    return Status(201, _out(request, procedure.pk))


class ProcedureFilters(Schema):
    state: Literal["open", "adopted", "broken"] | None = None


@router.get("/procedures", response=list[ProcedureOut], summary="Written and silence procedures")
@paginate(Page)
def procedure_list(request: HttpRequest, filters: Query[ProcedureFilters]) -> list[dict]:
    """The procedures this reader may see, the latest deadline first."""
    return [
        procedures.procedure_out(procedure)
        for procedure in procedures.procedure_list(user=request.user, state=filters.state)
    ]


@router.get("/procedures/{procedure_id}", response=ProcedureOut, summary="One procedure")
def procedure_detail(request: HttpRequest, procedure_id: RecordId) -> dict[str, Any]:
    """Its state, each partner's current answer, and the trail of every answer given."""
    return _out(request, procedure_id)


class ProcedureAnswerIn(Schema):
    answer: Literal["agree", "object"]
    reason: str = ""
    partner: str | None = None
    version: int | None = None


@router.post(
    "/procedures/{procedure_id}/answer",
    response=ProcedureOut,
    auth=authenticated,
    summary="Answer a procedure for a partner (its focal point or a member)",
)
def procedure_answer(
    request: HttpRequest, procedure_id: RecordId, payload: ProcedureAnswerIn
) -> dict:
    """Agree, or object with a ``reason``. ``partner`` (an acronym) when you answer for
    several partners asked. A later answer replaces the partner's earlier one while the
    procedure is open. ``version``: the procedure's version you read (409 when its deadline
    or text changed since)."""
    procedure = procedures.procedure_get(user=request.user, pk=procedure_id)
    named = partners_named([payload.partner or ""], "partner")
    partner = named[0] if named else None
    procedures.procedure_answer(
        procedure=procedure,
        answer=payload.answer,
        reason=payload.reason,
        partner=partner,
        version=payload.version,
        by=request.user,
    )
    return _out(request, procedure_id)


class ProcedurePatch(Schema):
    version: int
    closes: dt.date | None = None
    text: str | None = None


@router.patch(
    "/procedures/{procedure_id}",
    response=ProcedureOut,
    auth=authenticated,
    summary="Move a procedure's deadline (secretariat)",
)
def procedure_patch(request: HttpRequest, procedure_id: RecordId, payload: ProcedurePatch) -> dict:
    """``closes``, or ``text`` before anyone answered, with the ``version`` read (409 when
    stale)."""
    procedure = procedures.procedure_get(user=request.user, pk=procedure_id)
    procedures.procedure_update(
        procedure=procedure,
        closes=payload.closes,
        text=payload.text,
        version=payload.version,
        by=request.user,
    )
    return _out(request, procedure_id)

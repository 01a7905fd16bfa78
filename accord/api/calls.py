"""Calls for contributions to a meeting through the API: open one (secretariat), answer it
with a document or an agenda request (a partner's focal point or contributor), the board
of who has and has not answered, reminders and closing."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.api.procedures import partners_named
from accord.core.params import RecordId
from accord.meetings import calls, selectors
from accord.meetings.models import ContributionCall

router = Router(tags=["meetings"])


class BoardRowOut(Schema):
    partner: str
    answered: bool
    documents: list[int]
    agenda_requests: list[str]
    last_at: dt.datetime | None


class CallOut(Schema):
    id: int
    meeting: str
    message: str
    asks: str
    due: dt.date
    state: str
    reminders: int
    reminded_at: dt.datetime | None
    answered: list[str]
    waiting: list[str]
    board: list[BoardRowOut]
    version: int


class CallIn(Schema):
    message: str
    due: dt.date
    asks: Literal["documents", "agenda", "both"] = "both"
    partners: list[str] = []


class RemindedOut(Schema):
    reminded: list[str]


class CallVersionIn(Schema):
    version: int


def _call(request: HttpRequest, key: str, call_id: RecordId) -> ContributionCall:
    meeting = selectors.meeting_get(user=request.user, key=key)
    return calls.call_get(user=request.user, meeting=meeting, pk=call_id)


def _out(request: HttpRequest, key: str, call_id: RecordId) -> dict[str, Any]:
    return calls.call_out(user=request.user, call=_call(request, key, call_id))


@router.get(
    "/meetings/{key}/calls",
    response=list[CallOut],
    summary="A meeting's calls for contributions (members)",
)
@paginate(Page)
def call_list(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    meeting = selectors.meeting_get(user=request.user, key=key)
    found = list(calls.meeting_calls(user=request.user, meeting=meeting))
    visible = calls.visible_documents(user=request.user, calls=found)
    answer = []
    for call in found:
        call.meeting = meeting
        answer.append(calls.call_out(user=request.user, call=call, visible=visible))
    return answer


@router.post(
    "/meetings/{key}/calls",
    response={201: CallOut},
    auth=authenticated,
    summary="Call for contributions to a meeting (secretariat)",
)
def call_create(request: HttpRequest, key: str, payload: CallIn) -> Status:
    """Ask ``partners`` (acronyms; none: the framework's members on the meeting's date)
    for documents, agenda requests or both by the end of ``due``."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    call = calls.call_open(
        meeting=meeting,
        message=payload.message,
        due=payload.due,
        asks=payload.asks,
        partners=partners_named(payload.partners, "partners"),
        by=request.user,
    )
    return Status(201, _out(request, key, call.pk))


@router.get("/meetings/{key}/calls/{call_id}", response=CallOut, summary="A call and its board")
def call_detail(request: HttpRequest, key: str, call_id: RecordId) -> dict[str, Any]:
    """Who has answered and who has not; the documents as you may see them."""
    return _out(request, key, call_id)


@router.post(
    "/meetings/{key}/calls/{call_id}/contributions",
    response={201: CallOut},
    auth=authenticated,
    summary="Answer a call: a document or an agenda request (a partner's focal point or "
    "contributor)",
)
def call_contribute(
    request: HttpRequest,
    key: str,
    call_id: RecordId,
    file: File[UploadedFile | None] = None,
    title: Form[str] = "",
    kind: Form[str] = "background_note",
    language: Form[str] = "en",
    classification: Form[str] = "members",
    agenda_request: Form[str] = "",
    partner: Form[str] = "",
) -> Status:
    """Multipart: a ``file`` (a document of the meeting, ``members`` or ``restricted`` to
    your partner) and/or an ``agenda_request``; ``partner`` (an acronym) when you answer
    for several partners asked."""
    call = _call(request, key, call_id)
    calls.contribution_submit(
        call=call,
        partner=next(iter(partners_named([partner], "partner")), None),
        title=title,
        upload=file,
        kind=kind,
        language=language,
        classification=classification,
        agenda_request=agenda_request,
        by=request.user,
    )
    return Status(201, _out(request, key, call_id))


@router.post(
    "/meetings/{key}/calls/{call_id}/remind",
    response=RemindedOut,
    auth=authenticated,
    summary="Remind the partners who have not answered (secretariat)",
)
def call_remind(request: HttpRequest, key: str, call_id: RecordId) -> dict[str, Any]:
    reminded = calls.call_remind(call=_call(request, key, call_id), by=request.user)
    return {"reminded": [partner.acronym for partner in reminded]}


@router.post(
    "/meetings/{key}/calls/{call_id}/close",
    response=CallOut,
    auth=authenticated,
    summary="Close a call (secretariat)",
)
def call_close(request: HttpRequest, key: str, call_id: RecordId, payload: CallVersionIn) -> dict:
    """With the ``version`` read: 409 when the call changed since."""
    calls.call_close(call=_call(request, key, call_id), version=payload.version, by=request.user)
    return _out(request, key, call_id)

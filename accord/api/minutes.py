"""The minutes of a meeting: text, revisions, the review round, approval, corrections."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.errors import Conflict
from accord.core.params import MAX_INTEGER
from accord.meetings import minutes as review
from accord.meetings import minutes_selectors, selectors
from accord.meetings.models import CommentKind, Minutes, MinutesComment

router = Router(tags=["minutes"])


class MinutesOut(Schema):
    text: str
    html: str
    status: str
    version: int
    revision: int


def minutes_out(minutes: Minutes) -> dict[str, Any]:
    numbers = minutes.revisions.order_by("-number").values_list("number", flat=True)
    return {
        "text": minutes.body,
        "html": minutes.body_html,
        "status": minutes.status,
        "version": minutes.version,
        "revision": numbers.first() or 0,
    }


def _minutes(request: HttpRequest, key: str) -> Minutes:
    meeting = selectors.meeting_get(user=request.user, key=key)
    return minutes_selectors.meeting_minutes_or_404(user=request.user, meeting=meeting)


@router.get("/meetings/{key}/minutes", response=MinutesOut, summary="The minutes of a meeting")
def minutes_get(request: HttpRequest, key: str) -> dict[str, Any]:
    """Drafts are read by the secretariat, circulated minutes by the members too, approved
    ones by whoever reads the meeting; otherwise 404."""
    return minutes_out(_minutes(request, key))


class MinutesIn(Schema):
    text: str
    version: int | None = None


@router.put(
    "/meetings/{key}/minutes",
    response=MinutesOut,
    auth=authenticated,
    summary="Write the minutes (secretariat)",
)
def minutes_put(request: HttpRequest, key: str, payload: MinutesIn) -> dict[str, Any]:
    """The first PUT (without ``version``) creates them; later ones send the ``version``
    read: 409 when stale, 409 once approved (record a correction instead). The same text
    again makes no revision."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    existing = minutes_selectors.meeting_minutes(user=request.user, meeting=meeting)
    if existing is not None and payload.version is None:
        raise Conflict(
            f"The minutes of {meeting.key} exist (version {existing.version}): send the "
            "version you read.",
            details={"current_version": existing.version},
        )
    minutes = review.minutes_save(
        meeting=meeting, body=payload.text, version=payload.version, by=request.user
    )
    return minutes_out(minutes)


class CirculateIn(Schema):
    deadline: dt.date | None = None


@router.post(
    "/meetings/{key}/minutes/circulate",
    response=MinutesOut,
    auth=authenticated,
    summary="Circulate the minutes (secretariat)",
)
def minutes_circulate(request: HttpRequest, key: str, payload: CirculateIn) -> dict[str, Any]:
    """To the participants and the members, with an optional ``deadline`` for comments."""
    minutes = review.minutes_circulate(
        minutes=_minutes(request, key), deadline=payload.deadline, by=request.user
    )
    return minutes_out(minutes)


class ApproveIn(Schema):
    confirm: list[int] | None = Field(
        None,
        description="The ids of the proposed actions to confirm (all when left out); the "
        "others are dropped.",
    )


@router.post(
    "/meetings/{key}/minutes/approve",
    response=MinutesOut,
    auth=authenticated,
    summary="Approve the minutes (secretariat)",
)
def minutes_approve(request: HttpRequest, key: str, payload: ApproveIn) -> dict[str, Any]:
    """From draft or circulated; each ``ACTION`` line confirmed becomes an action point."""
    minutes = review.minutes_approve(
        minutes=_minutes(request, key), confirm=payload.confirm, by=request.user
    )
    return minutes_out(minutes)


class CorrectIn(Schema):
    text: str
    reason: str
    version: int | None = None


@router.post(
    "/meetings/{key}/minutes/correct",
    response=MinutesOut,
    auth=authenticated,
    summary="Correct approved minutes (secretariat)",
)
def minutes_correct(request: HttpRequest, key: str, payload: CorrectIn) -> dict[str, Any]:
    minutes = review.minutes_correct(
        minutes=_minutes(request, key),
        body=payload.text,
        reason=payload.reason,
        version=payload.version,
        by=request.user,
    )
    return minutes_out(minutes)


class RevisionOut(Schema):
    number: int
    at: dt.datetime
    author: str | None
    reason: str
    kind: str


@router.get(
    "/meetings/{key}/minutes/revisions",
    response=list[RevisionOut],
    summary="The revisions of the minutes",
)
@paginate(Page)
def minutes_revisions(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    return [
        {
            "number": revision.number,
            "at": revision.created_at,
            "author": revision.author.get_username() if revision.author else None,
            "reason": revision.reason,
            "kind": revision.kind,
        }
        for revision in minutes_selectors.revisions(_minutes(request, key))
    ]


class DiffQuery(Schema):
    from_: int = Field(..., alias="from", ge=1, le=MAX_INTEGER)
    to: int = Field(..., ge=1, le=MAX_INTEGER)


class DiffOut(Schema):
    from_: int = Field(..., alias="from")
    to: int
    diff: list[str]


@router.get(
    "/meetings/{key}/minutes/diff",
    response=DiffOut,
    by_alias=True,
    summary="The changes between two revisions",
)
def minutes_diff(request: HttpRequest, key: str, query: Query[DiffQuery]) -> dict[str, Any]:
    """A unified diff of the Markdown from revision ``from`` to revision ``to``."""
    minutes = _minutes(request, key)
    lines = minutes_selectors.diff(minutes=minutes, old=query.from_, new=query.to)
    return {"from": query.from_, "to": query.to, "diff": lines}


class CommentOut(Schema):
    id: int
    kind: str
    revision: int
    paragraph: str
    paragraph_text: str
    text: str
    proposed_text: str
    status: str
    reason: str
    author: str | None
    at: dt.datetime


def comment_out(comment: MinutesComment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "kind": comment.kind,
        "revision": comment.revision,
        "paragraph": comment.paragraph,
        "paragraph_text": comment.paragraph_text,
        "text": comment.text,
        "proposed_text": comment.proposed_text,
        "status": comment.status,
        "reason": comment.resolution,
        "author": comment.author.get_username() if comment.author else None,
        "at": comment.created_at,
    }


@router.get(
    "/meetings/{key}/minutes/comments",
    response=list[CommentOut],
    summary="Comments and proposed amendments",
)
@paginate(Page)
def minutes_comments(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    minutes = _minutes(request, key)
    return [comment_out(c) for c in minutes_selectors.comments(user=request.user, minutes=minutes)]


class CommentIn(Schema):
    text: str
    kind: str = CommentKind.COMMENT
    paragraph: str = Field("", description="The anchor of a paragraph (p-1a2b3c4d).")
    proposed_text: str = ""


@router.post(
    "/meetings/{key}/minutes/comments",
    response={201: CommentOut},
    auth=authenticated,
    summary="Comment or propose an amendment (members, while circulated)",
)
def minutes_comment_add(request: HttpRequest, key: str, payload: CommentIn) -> Status:
    comment = review.minutes_comment_add(
        minutes=_minutes(request, key),
        text=payload.text,
        kind=payload.kind,
        paragraph=payload.paragraph,
        proposed_text=payload.proposed_text,
        by=request.user,
    )
    return Status(201, comment_out(comment))


class ResolveIn(Schema):
    accept: bool
    reason: str = ""


@router.post(
    "/meetings/{key}/minutes/comments/{comment_id}/resolve",
    response=CommentOut,
    auth=authenticated,
    summary="Accept or decline an amendment (secretariat)",
)
def minutes_amendment_resolve(
    request: HttpRequest, key: str, comment_id: int, payload: ResolveIn
) -> dict[str, Any]:
    """Accepting replaces the paragraph (a new revision); declining needs a ``reason``."""
    minutes = _minutes(request, key)
    comment = review.amendment_resolve(
        comment=review.comment_get(minutes=minutes, pk=comment_id),
        accept=payload.accept,
        reason=payload.reason,
        by=request.user,
    )
    return comment_out(comment)

"""The trail of a commitment, its progress roll-up, and the follow-up radar of a meeting."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from accord.commitments.rollup import commitment_rollup
from accord.commitments.tree import commitment_resolve
from accord.core.params import PAGE_SIZE, Limit, Offset
from accord.reports.radar import meeting_radar
from accord.reports.trail import commitment_trail, page_of

router = Router(tags=["trail"])


class TrailItemOut(Schema):
    date: str | None
    kind: str
    title: str
    url: str
    tie: str
    state: str


class TrailOut(Schema):
    code: str
    title: str
    count: int
    items: list[TrailItemOut]


class PageQuery(Schema):
    limit: Limit = PAGE_SIZE
    offset: Offset = 0


@router.get("/commitments/{code}/trail", response=TrailOut, summary="The trail of a commitment")
def trail(request: HttpRequest, code: str, page: Query[PageQuery]) -> dict[str, Any]:
    """One dated timeline of what the reader may see tied to the commitment: the meetings
    and agenda items that discussed it, the decisions citing it and the action points
    raised from them (with their state), the initiatives implementing it with their
    verified progress per cycle, and the indicators evidencing it with their latest
    value and progress status. ``tie`` says how each item is tied. Paged by ``limit``
    and ``offset``; ``count`` is the length of the whole trail."""
    found = commitment_trail(user=request.user, code=code)
    return {
        "code": found.code,
        "title": found.title,
        "count": len(found.items),
        "items": [
            item.as_dict() for item in page_of(found.items, limit=page.limit, offset=page.offset)
        ],
    }


class RollupPartOut(Schema):
    part: str | None  # a part's code; null for the initiatives linked directly
    progress: float
    weight: float


class RollupOut(Schema):
    code: str
    weighting: str
    progress: float | None
    method: str
    parts: list[RollupPartOut]


@router.get(
    "/commitments/{code}/progress",
    response=RollupOut,
    summary="A commitment's progress and how it was computed",
)
def progress(request: HttpRequest, code: str) -> dict[str, object]:
    """The progress rolled up over the initiatives the reader may see: ``weighting``
    plain (each part once, each direct initiative once) or funding (each part by its
    EUR funding), and each part with its progress and weight."""
    commitment, _former = commitment_resolve(code)
    return commitment_rollup(commitment, user=request.user).as_dict()


class ReasonOut(Schema):
    kind: str
    count: int
    points: int
    text: str


class RadarRowOut(Schema):
    code: str
    title: str
    score: int
    reasons: list[ReasonOut]


class RadarOut(Schema):
    meeting: str
    today: str
    considered: int
    count: int
    items: list[RadarRowOut]


@router.get("/meetings/{key}/radar", response=RadarOut, summary="The follow-up radar of a meeting")
def radar(request: HttpRequest, key: str, page: Query[PageQuery]) -> dict[str, Any]:
    """The commitments of the meeting at risk, ranked (the rule: ``docs/radar.md``), each
    with its reasons and their points; over what the reader may see. Paged."""
    found = meeting_radar(user=request.user, key=key)
    rows = found.rows[page.offset : page.offset + page.limit]
    return {
        "meeting": found.meeting.key,
        "today": found.today.isoformat(),
        "considered": found.considered,
        "count": len(found.rows),
        "items": [row.as_dict() for row in rows],
    }

"""A meeting's agenda through the API: items and sub-items, their order, publication."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from accord.api.base import authenticated
from accord.meetings import agenda, selectors

router = Router(tags=["meetings"])


class AgendaOut(Schema):
    meeting: str
    published: bool
    total_minutes: int
    warnings: list[str]
    items: list[dict[str, Any]]


def agenda_out(request: HttpRequest, key: str) -> dict[str, Any]:
    page = selectors.meeting_page(user=request.user, key=key)

    def rows(entries: list[selectors.AgendaEntry]) -> list[dict[str, Any]]:
        return [
            {
                "id": entry.item.pk,
                "number": entry.number,
                "title": entry.item.title,
                "minutes": entry.item.planned_minutes,
                "standing": entry.item.standing,
                "sub_items": rows(entry.children),
            }
            for entry in entries
        ]

    return {
        "meeting": page.meeting.key,
        "published": page.meeting.agenda_published_at is not None,
        "total_minutes": page.agenda_minutes,
        "warnings": page.agenda_warnings,
        "items": rows(page.agenda),
    }


@router.get("/meetings/{key}/agenda", response=AgendaOut, summary="A meeting's agenda")
def agenda_get(request: HttpRequest, key: str) -> dict[str, Any]:
    """Items with their sub-items, the total planned time and the warnings; a draft agenda
    (not yet published) is the secretariat's and answers no items to others."""
    return agenda_out(request, key)


class AgendaItemIn(Schema):
    title: str
    minutes: int | None = None
    parent: int | None = None
    standing: bool = False
    description: str = ""


@router.post(
    "/meetings/{key}/agenda",
    response={201: AgendaOut},
    auth=authenticated,
    summary="Add an agenda item or sub-item (secretariat)",
)
def agenda_item_add(request: HttpRequest, key: str, payload: AgendaItemIn) -> Status:
    """``parent``: the id of a top-level item, for a sub-item. Answers the whole agenda,
    with a warning when sub-items plan longer than their item or the meeting's slot."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    agenda.agenda_item_add(
        meeting=meeting,
        title=payload.title,
        planned_minutes=payload.minutes,
        parent=payload.parent,
        standing=payload.standing,
        description=payload.description,
        by=request.user,
    )
    return Status(201, agenda_out(request, meeting.key))


class AgendaOrderIn(Schema):
    order: list[int]
    parent: int | None = None


@router.post(
    "/meetings/{key}/agenda/order",
    response=AgendaOut,
    auth=authenticated,
    summary="Reorder the agenda (secretariat)",
)
def agenda_reorder(request: HttpRequest, key: str, payload: AgendaOrderIn) -> dict[str, Any]:
    """The ids of the items at one level (the top level, or the sub-items of ``parent``),
    each once, in their new order."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    agenda.agenda_reorder(
        meeting=meeting, order=payload.order, parent=payload.parent, by=request.user
    )
    return agenda_out(request, meeting.key)


@router.post(
    "/meetings/{key}/agenda/publish",
    response=AgendaOut,
    auth=authenticated,
    summary="Publish the draft agenda (secretariat)",
)
def agenda_publish(request: HttpRequest, key: str) -> dict[str, Any]:
    meeting = selectors.meeting_get(user=request.user, key=key)
    agenda.agenda_publish(meeting=meeting, by=request.user)
    return agenda_out(request, meeting.key)

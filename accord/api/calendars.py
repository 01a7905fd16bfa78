"""The user's private calendar feed: its secret URL, and a new one that revokes it."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from accord.api.base import authenticated
from accord.meetings import calendar_feeds

router = Router(tags=["access"])


class CalendarOut(Schema):
    url: str


@router.get("/me/calendar", response=CalendarOut, auth=authenticated, summary="My private calendar")
def my_calendar(request: HttpRequest) -> dict[str, Any]:
    """The secret URL of your calendar feed (iCalendar): the meetings and action points you
    may see, for a calendar app that cannot sign in. Keep it to yourself."""
    return {"url": calendar_feeds.calendar_url(request.user, request.build_absolute_uri("/"))}


@router.post(
    "/me/calendar/renew",
    response=CalendarOut,
    auth=authenticated,
    summary="A new private calendar URL (the old one stops working)",
)
def my_calendar_renew(request: HttpRequest) -> dict[str, Any]:
    calendar_feeds.calendar_feed_renew(user=request.user, by=request.user)
    return {"url": calendar_feeds.calendar_url(request.user, request.build_absolute_uri("/"))}

"""Private calendar feeds: each user's secret URL, read by a calendar app without signing
in, showing the meetings and action points that user may see.

The token in the URL is an HMAC of the user's feed nonce under the site's secret key;
the database keeps only its SHA-256 digest, to find the feed. A new nonce revokes the old
URL. The feed reads as its user through ``visible_to``: the same rule as every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Calendar

from accord.access.audit import audit_record
from accord.core.errors import NotFound
from accord.meetings.calendar import PRODID, action_point_todo, meeting_event
from accord.meetings.models import STILL_OPEN, ActionPoint, CalendarFeed, Meeting, Topic

if TYPE_CHECKING:
    from django.http import HttpRequest

SALT = "accord.meetings.calendar_feed"
#: How far back a private feed reaches: older meetings and closed action points are left out.
LOOKBACK = dt.timedelta(days=2 * 365)
MAX_MEETINGS = 1000
MAX_ACTION_POINTS = 2000


def _token(feed: CalendarFeed) -> str:
    return salted_hmac(SALT, f"{feed.user_id}:{feed.nonce}", algorithm="sha256").hexdigest()[:40]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_feed_values(feed: CalendarFeed) -> None:
    feed.nonce = secrets.token_urlsafe(24)
    feed.digest = _digest(_token(feed))


def calendar_token(user: Any) -> str:
    """The token of ``user``'s private feed, made the first time it is asked for."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user)
        _new_feed_values(feed)
        feed.save()
    token = _token(feed)
    if feed.digest != _digest(token):  # the secret key changed: the new token is the live one
        feed.digest = _digest(token)
        feed.save(update_fields=["digest"])
    return token


def calendar_url(user: Any, base_url: str) -> str:
    path = reverse("private-calendar", args=[calendar_token(user)])
    return base_url.rstrip("/") + path


@transaction.atomic
def calendar_feed_renew(*, user: Any, by: Any = None) -> str:
    """A new token for ``user``'s feed: the old URL stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user)
    _new_feed_values(feed)
    feed.save()
    audit_record(actor=by if by is not None else user, verb="calendar.renewed", target=feed)
    return _token(feed)


def feed_user(token: str) -> Any:
    """The active user whose feed ``token`` opens; any other token names nothing (404)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(digest=_digest(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise NotFound("No calendar has this address.")
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return feed.user


def private_calendar(user: Any, *, base_url: str, today: dt.date | None = None) -> bytes:
    """The meetings (events with a reminder) and action points (tasks, related to their
    meeting) ``user`` may see, from two years back."""
    today = today or timezone.localdate()
    since = today - LOOKBACK
    meetings = list(
        Meeting.objects.visible_to(user)
        .with_ordinal()
        .filter(date__gte=since)
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.all()))
        .order_by("-date", "-pk")[:MAX_MEETINGS]
    )
    points = list(
        ActionPoint.objects.visible_to(user)
        .filter(meeting__in=Meeting.objects.visible_to(user))
        .filter(Q(status__in=STILL_OPEN) | Q(updated_at__date__gte=since))
        .prefetch_related("owners", Prefetch("meeting", queryset=Meeting.objects.with_ordinal()))
        .order_by("due_date", "pk")[:MAX_ACTION_POINTS]
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Accord: {user.get_username()}")
    for meeting in reversed(meetings):
        calendar.add_component(meeting_event(meeting, base_url=base_url, alarm=True))
    for point in points:
        calendar.add_component(action_point_todo(point, base_url=base_url))
    return calendar.to_ical()


def account_section(request: HttpRequest) -> str:
    """The account page's section: the private feed's URL and a button for a new one."""
    return render_to_string(
        "meetings/account_calendar.html",
        {"calendar_url": calendar_url(request.user, request.build_absolute_uri("/"))},
        request=request,
    )

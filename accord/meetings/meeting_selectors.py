"""Reads of meetings and tiers: ordinals, a meeting by its key, the list of meetings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from accord.core.errors import NotFound
from accord.core.params import MAX_OFFSET, whole_number
from accord.core.selectors import get_visible
from accord.meetings.models import (
    Meeting,
    MeetingTier,
    Participant,
    ParticipantRole,
    earlier_in_tier,
    ordinal_expression,
)

if TYPE_CHECKING:
    from accord.access.permissions import Actor


# --- ordinals ---------------------------------------------------------------------------


def with_ordinal(queryset: QuerySet) -> Any:
    """``queryset`` with each meeting's ordinal (see ``MeetingQuerySet.with_ordinal``)."""
    return queryset.annotate(ordinal=ordinal_expression())


def ordinal_of(meeting: Meeting) -> int:
    return Meeting.objects.filter(earlier_in_tier(meeting)).count() + 1


def meetings_in_order(queryset: QuerySet) -> QuerySet:
    """Meetings in the order their ordinals follow."""
    return queryset.order_by("date", "starts_at", "pk")


def co_chairs_prefetch() -> Prefetch:
    """A meeting's co-chairs as ``meeting.co_chair_list``, in one query for a whole list."""
    return Prefetch(
        "participants",
        queryset=Participant.objects.filter(role=ParticipantRole.CO_CHAIR)
        .select_related("person")
        .order_by("person__full_name", "pk"),
        to_attr="co_chair_list",
    )


def meeting_pk(key: str) -> int:
    """The id of the meeting named ``som-3`` (tier code and ordinal) or by its id."""
    key = key.strip()
    if (pk := whole_number(key)) is not None:
        return pk
    code, _sep, number = key.rpartition("-")
    ordinal = whole_number(number, minimum=1, maximum=MAX_OFFSET)
    if not code or ordinal is None:
        raise NotFound(f"{key!r} names no meeting: use the tier code and ordinal (som-3) or an id.")
    position = ordinal - 1
    found = list(
        meetings_in_order(Meeting.objects.filter(tier__code=code)).values_list("pk", flat=True)[
            position : position + 1
        ]
    )
    if not found:
        raise NotFound(f"No meeting is known as {key!r}.")
    return found[0]


def meeting_get(*, user: Actor, key: str) -> Meeting:
    """Fetch by key and check that ``user`` may read it (404 / PermissionDenied)."""
    try:
        return get_visible(
            with_ordinal(
                Meeting.objects.select_related("tier", "host").prefetch_related(
                    "host__names", "restricted_to", co_chairs_prefetch()
                )
            ),
            user=user,
            pk=meeting_pk(key),
        )
    except NotFound as error:
        raise NotFound(f"No meeting is known as {key!r}.") from error


def meeting_list(
    *,
    user: Actor,
    tier: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet:
    queryset = with_ordinal(
        Meeting.objects.visible_to(user)
        .select_related("tier", "host")
        .prefetch_related("topics", "host__names", "restricted_to", co_chairs_prefetch())
    )
    if tier:
        if not MeetingTier.objects.filter(code=tier).exists():
            raise NotFound(f"No meeting tier has the code {tier!r}.")
        queryset = queryset.filter(tier__code=tier)
    if year:
        queryset = queryset.filter(date__year=year)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("tier_id", "date", "starts_at", "pk")


def tiers() -> QuerySet:
    return MeetingTier.objects.order_by("pk")


def tier_get(code: str) -> MeetingTier:
    tier = MeetingTier.objects.filter(code=code).first()
    if tier is None:
        raise NotFound(f"No meeting tier has the code {code!r}.")
    return tier

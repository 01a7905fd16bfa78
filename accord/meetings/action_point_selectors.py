"""Reads of action points: those carried forward to a meeting, the action register,
the actions of a user, and the plain rows the API pages through."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accord.access.selectors import access_for
from accord.core.errors import Invalid, NotFound
from accord.core.selectors import get_visible
from accord.meetings import action_point_statements as statements
from accord.meetings.models import (
    STILL_OPEN,
    ActionPoint,
    ActionPointStatus,
    ActionPointUpdate,
    Meeting,
    earlier_in_tier,
    ordinal_expression,
)
from accord.partners.models import Organisation, Person

if TYPE_CHECKING:
    from accord.access.permissions import Actor

from accord.meetings.meeting_selectors import tier_get, with_ordinal

# --- action points ----------------------------------------------------------------------


def action_points_with_history(queryset: QuerySet, *, user: Actor) -> Any:
    """With owners, updates, meeting and the assignee, who is left out (None) for a reader
    who may not see that person."""
    return queryset.prefetch_related(
        Prefetch("assignee", queryset=Person.objects.visible_to(user)),
        "owners",
        Prefetch(
            "updates",
            queryset=ActionPointUpdate.objects.select_related("author").order_by("on", "pk"),
        ),
        Prefetch("meeting", queryset=with_ordinal(Meeting.objects.select_related("tier"))),
    )


def carried_forward(*, user: Actor, meeting: Meeting) -> QuerySet:
    """Action points from the tier's earlier meetings that are still open or in progress:
    the follow-up section of ``meeting``'s agenda, computed, never copied."""
    earlier = Meeting.objects.filter(earlier_in_tier(meeting)).values("pk")
    queryset = ActionPoint.objects.visible_to(user).filter(
        meeting__in=earlier, status__in=STILL_OPEN
    )
    return action_points_with_history(queryset, user=user).order_by(
        "meeting__date", "due_date", "pk"
    )


def meeting_action_points(*, user: Actor, meeting: Meeting) -> QuerySet:
    queryset = ActionPoint.objects.visible_to(user).filter(meeting=meeting)
    return action_points_with_history(queryset, user=user).order_by("pk")


def assignee_get(*, user: Actor, name: str | None) -> Person | None:
    """The person named ``name`` among those ``user`` may see. A person hidden from the
    writer is refused exactly as an unknown name is, so the refusal reveals nothing."""
    if not name:
        return None
    person = Person.objects.visible_to(user).filter(full_name=name).order_by("pk").first()
    if person is None:
        raise Invalid(f"No person named {name!r} is on record.", details={"assignee": [name]})
    return person


def action_point_get(*, user: Actor, pk: int) -> ActionPoint:
    return get_visible(
        action_points_with_history(ActionPoint.objects.all(), user=user), user=user, pk=pk
    )


#: The action point whole; of its meeting, what dates it and numbers it in its tier.
_FOLLOW_UP_FIELDS = (
    *(field.name for field in ActionPoint._meta.concrete_fields),
    *(f"meeting__{name}" for name in ("tier", "date", "date_precision", "starts_at")),
    "meeting__tier__code",
)


def action_point_to_follow_up(*, user: Actor, pk: int) -> ActionPoint:
    """An action point to record progress on: with its meeting (its tier and ordinal) and
    its owners' ids and acronyms (``owner_rows``), what the permission predicate and the
    service read and what :func:`action_point_row_of` answers from; not its history."""
    queryset = (
        ActionPoint.objects.select_related("meeting__tier")
        .only(*_FOLLOW_UP_FIELDS)
        .annotate(meeting_ordinal=ordinal_expression("meeting__"))
    )
    action_point = get_visible(queryset, user=user, pk=pk)
    # Numbered in the same statement: the answer's meeting key needs no count of its own.
    action_point.meeting.ordinal = action_point.meeting_ordinal
    action_point.owner_rows = statements.owners_of(action_point.pk)
    return action_point


def action_point_row_get(*, user: Actor, pk: int) -> dict[str, Any]:
    """One action point as the API and the rows template show it, read as plain rows."""
    rows = _rows_of(ActionPoint.objects.visible_to(user).filter(pk=pk), user=user)
    if not rows:
        raise NotFound(f"No action point matches pk={pk!r}.")
    return rows[0]


def action_point_row_of(action_point: ActionPoint, *, user: Actor) -> dict[str, Any]:
    """The row of an action point read by :func:`action_point_to_follow_up` (and brought
    up to date by the service that wrote it): the row :func:`action_point_row_get` reads,
    with only the updates read again (and the assignee's visibility, when there is one)."""
    owners = action_point.owner_rows  # in order of acronym, as the rows are
    meeting = action_point.meeting
    values = {
        "pk": action_point.pk,
        "meeting__tier__code": meeting.tier.code,
        "meeting_ordinal": meeting.ordinal_number,
        "text": action_point.text,
        "assignee_id": action_point.assignee_id,
        "assignee__full_name": None,
        "due_date": action_point.due_date,
        "status": action_point.status,
        "version": action_point.version,
        "classification": action_point.classification,
        "is_sample": action_point.is_sample,
    }
    if action_point.assignee_id is not None:
        values["assignee__full_name"] = (
            Person.objects.visible_to(user)
            .filter(pk=action_point.assignee_id)
            .values_list("full_name", flat=True)
            .first()
        )
    return _row(
        values,
        owners=[acronym for _pk, acronym in owners],
        owner_ids=[pk for pk, _acronym in owners],
        seen=values["assignee__full_name"] is not None,
        updates=statements.progress_of(action_point.pk),
    )


def parse_statuses(value: str | None) -> list[str]:
    """``open,in_progress`` into a checked list of statuses (empty: any)."""
    if not value:
        return []
    statuses = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [s for s in statuses if s not in ActionPointStatus.values]
    if unknown:
        raise Invalid(
            f"Unknown status {', '.join(unknown)}; use one of "
            f"{', '.join(ActionPointStatus.values)}."
        )
    return statuses


def owner_acronyms(acronym: str) -> list[str]:
    """The current acronym of the organisation known by ``acronym`` now or formerly
    (``-`` for a space); 404 when none is."""
    forms = {acronym.strip(), acronym.strip().replace("-", " ")}
    condition = Q()
    for form in forms:
        condition |= Q(acronym__iexact=form) | Q(names__acronym__iexact=form)
    found = sorted(set(Organisation.objects.filter(condition).values_list("acronym", flat=True)))
    if not found:
        raise NotFound(f"No partner is known by the acronym {acronym!r}.")
    return found


def action_point_register(
    *,
    user: Actor,
    owner: str | None = None,
    status: str | None = None,
    tier: str | None = None,
    overdue: bool = False,
    due_before: dt.date | None = None,
    today: dt.date | None = None,
) -> QuerySet:
    """The action register across all meetings, filtered, soonest due first."""
    queryset = ActionPoint.objects.visible_to(user)
    if owner:
        # Joined on the (unique) acronym rather than filtered on ids: both planners then
        # start from the owner's few action points, not from every open one.
        queryset = queryset.filter(owners__acronym__in=owner_acronyms(owner))
    statuses = parse_statuses(status)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if tier:
        tier_get(tier)
        queryset = queryset.filter(meeting__tier__code=tier)
    if overdue:
        if not statuses:
            queryset = queryset.filter(status__in=STILL_OPEN)
        queryset = queryset.filter(due_date__lt=today or timezone.localdate())
    if due_before:
        queryset = queryset.filter(due_date__lt=due_before)
    return queryset.order_by("due_date", "pk")


def my_action_points(*, user: Actor, status: str | None = None) -> QuerySet:
    """Action points owned by one of the user's partners or assigned to the user's person
    (the person record bearing the user's e-mail address)."""
    access = access_for(user)
    if not access.is_authenticated:
        return ActionPoint.objects.none()
    condition = Q(owners__in=access.partner_ids)
    email = getattr(user, "email", "")
    if email:
        condition |= Q(assignee__email__iexact=email)
    queryset = ActionPoint.objects.visible_to(user).filter(
        pk__in=ActionPoint.objects.filter(condition).values("pk")
    )
    statuses = parse_statuses(status)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return action_points_with_history(queryset, user=user).order_by("due_date", "pk")


class ActionPointRows:
    """An action-point queryset that reads as plain rows, a page at a time.

    The API's paginator slices it and counts it; each slice is read with ``values()`` and
    two batch queries (owners, updates), however many rows the page has.
    """

    def __init__(self, queryset: QuerySet, *, user: Actor) -> None:
        self.queryset = queryset
        self.user = user

    def all(self) -> ActionPointRows:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return action_point_rows(self.queryset[page], user=self.user)

    def narrowed(self, condition: Q) -> ActionPointRows:
        """The rows that also meet ``condition`` (the API's keyset paging)."""
        return ActionPointRows(self.queryset.filter(condition), user=self.user)

    def reordered(self, ordering: list[str]) -> ActionPointRows:
        return ActionPointRows(self.queryset.order_by(*ordering), user=self.user)


def action_point_rows(queryset: QuerySet, *, user: Actor) -> list[dict[str, Any]]:
    """Plain rows, what the API serialises and the pages' action-point rows show; the
    assignee's name only for a reader who may see that person; ``owner_ids`` for the
    permission to record progress (``permissions.can_follow_up``).

    The page's ids are read first, sorted on the narrow index columns, then the rows of
    those ids: sorting whole rows (their texts, the assignee joined) to keep fifty cost
    three times as much at 50,000 action points."""
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return []
    return _rows_of(ActionPoint.objects.filter(pk__in=ids), user=user, order=ids)


def _rows_of(
    queryset: QuerySet, *, user: Actor, order: list[int] | None = None
) -> list[dict[str, Any]]:
    """The rows of the action points of ``queryset`` (in ``order``, by id when not given)."""
    found = {
        row["pk"]: row
        for row in queryset.annotate(meeting_ordinal=ordinal_expression("meeting__")).values(
            "pk",
            "meeting__tier__code",
            "meeting_ordinal",
            "text",
            "assignee_id",
            "assignee__full_name",
            "due_date",
            "status",
            "version",
            "classification",
            "is_sample",
        )
    }
    if not found:
        return []
    ids = order if order is not None else sorted(found)
    rows = [found[pk] for pk in ids]
    assignees = {row["assignee_id"] for row in rows if row["assignee_id"]}
    seen = (
        set(Person.objects.visible_to(user).filter(pk__in=assignees).values_list("pk", flat=True))
        if assignees
        else set()
    )
    owners: dict[int, list[str]] = defaultdict(list)
    owner_ids: dict[int, list[int]] = defaultdict(list)
    through = ActionPoint.owners.through
    for ap_id, organisation_id, acronym in (
        through.objects.filter(actionpoint_id__in=ids)
        .order_by("organisation__acronym")
        .values_list("actionpoint_id", "organisation_id", "organisation__acronym")
    ):
        owners[ap_id].append(acronym)
        owner_ids[ap_id].append(organisation_id)
    updates = _updates_of(ids)
    return [
        _row(
            row,
            owners=owners[row["pk"]],
            owner_ids=owner_ids[row["pk"]],
            seen=row["assignee_id"] in seen,
            updates=updates[row["pk"]],
        )
        for row in rows
    ]


def _updates_of(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The progress of these action points, in order of date then of recording."""
    updates: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for update in (
        ActionPointUpdate.objects.filter(action_point_id__in=ids)
        .order_by("on", "pk")
        .values("action_point_id", "on", "text", "status", "author__username")
    ):
        updates[update["action_point_id"]].append(
            {
                "on": update["on"],
                "text": update["text"],
                "status": update["status"] or None,
                "author": update["author__username"],
            }
        )
    return updates


def _row(
    values: dict[str, Any],
    *,
    owners: list[str],
    owner_ids: list[int],
    seen: bool,
    updates: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "id": values["pk"],
        "meeting": f"{values['meeting__tier__code']}-{values['meeting_ordinal']}",
        "text": values["text"],
        "owners": owners,
        "owner_ids": owner_ids,
        "assignee": values["assignee__full_name"] if seen else None,
        "due_date": values["due_date"],
        "status": values["status"],
        "classification": values["classification"],
        "version": values["version"],
        "sample": values["is_sample"],
        "updates": updates,
    }

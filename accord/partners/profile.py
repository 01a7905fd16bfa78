"""A partner's profile over time: its names, memberships, people and their positions,
the meetings it attended, its initiatives, its action points and its reporting in each
cycle. Other apps are read through their models only when they are installed, each as
the reader may see them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from accord.core.errors import Invalid
from accord.partners.models import Organisation, OrganisationName
from accord.partners.selectors import person_roles_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    Reader = AbstractBaseUser | AnonymousUser | None


def parse_on(value: str | None) -> dt.date | None:
    """``?on=2015-06-01``: a day, or nothing for today."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise Invalid(
            f"on={value!r} is not a date: give it as YYYY-MM-DD.", details={"on": ["invalid"]}
        ) from error


@dataclass
class ActionPointFigures:
    total: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    closed_with_due_date: int = 0
    closed_on_time: int = 0

    @property
    def share_closed_on_time(self) -> int | None:
        """Percent of the closed action points with a due date that were closed by it."""
        if not self.closed_with_due_date:
            return None
        return round(100 * self.closed_on_time / self.closed_with_due_date)


@dataclass
class Profile:
    organisation: Organisation
    on: dt.date
    name_then: OrganisationName | None
    people_roles: list[Any]
    meetings: list[tuple[Any, bool | None]] = field(default_factory=list)
    initiatives: list[Any] = field(default_factory=list)
    initiative_count: int = 0
    action_points: ActionPointFigures = field(default_factory=ActionPointFigures)
    reporting: list[tuple[Any, dict[str, int]]] = field(default_factory=list)

    @property
    def acronym_then(self) -> str:
        return self.name_then.acronym if self.name_then else self.organisation.acronym

    @property
    def full_name_then(self) -> str:
        return self.name_then.name if self.name_then else self.organisation.name

    @property
    def renamed_since(self) -> bool:
        return self.acronym_then != self.organisation.acronym


def _meetings(user: Reader, organisation: Organisation) -> list[tuple[Any, bool | None]]:
    """The meetings the partner took part in (its delegation or its people), with whether
    it attended when the roll call says."""
    from accord.meetings.models import Meeting, Participant

    rows = (
        Participant.objects.filter(organisation=organisation)
        .filter(meeting__in=Meeting.objects.visible_to(user))
        .values_list("meeting_id", "attended")
    )
    attended: dict[int, bool | None] = {}
    for meeting_id, came in rows:
        attended[meeting_id] = True if came or attended.get(meeting_id) else came
    meetings = Meeting.objects.with_ordinal().filter(pk__in=attended).order_by("-date", "pk")
    return [(meeting, attended[meeting.pk]) for meeting in meetings]


def _action_points(user: Reader, organisation: Organisation, today: dt.date) -> ActionPointFigures:
    from accord.meetings.models import STILL_OPEN, ActionPoint, ActionPointStatus, ActionPointUpdate

    owned = ActionPoint.objects.visible_to(user).filter(owners=organisation)
    figures = ActionPointFigures()
    done_ids = []
    for pk, status, due in owned.values_list("pk", "status", "due_date"):
        figures.total += 1
        if status in STILL_OPEN:
            figures.open += 1
            if due is not None and due < today:
                figures.overdue += 1
        elif status == ActionPointStatus.DONE:
            figures.closed += 1
            if due is not None:
                done_ids.append(pk)
    if done_ids:
        figures.closed_with_due_date = len(done_ids)
        # Closed when progress first set it done; on time when that was by its due date.
        closed_on: dict[int, dt.date] = {}
        for ap_id, on in (
            ActionPointUpdate.objects.filter(action_point_id__in=done_ids, status="done")
            .order_by("on")
            .values_list("action_point_id", "on")
        ):
            closed_on.setdefault(ap_id, on)
        dues = dict(ActionPoint.objects.filter(pk__in=done_ids).values_list("pk", "due_date"))
        figures.closed_on_time = sum(
            1 for pk in done_ids if pk in closed_on and closed_on[pk] <= dues[pk]
        )
    return figures


def _initiatives(user: Reader, organisation: Organisation) -> tuple[list[Any], int]:
    from accord.commitments.models import Initiative

    queryset = (
        Initiative.objects.visible_to(user)
        .filter(Q(partner=organisation) | Q(implementers=organisation))
        .distinct()
        .order_by("-pk")
    )
    return list(queryset[:20]), queryset.count()


def _reporting(user: Reader, organisation: Organisation) -> list[tuple[Any, dict[str, int]]]:
    """Per cycle, the partner's entries by state (of initiatives this reader may see)."""
    from accord.commitments.models import Cycle, CycleEntry, EntryState, Initiative

    visible = Initiative.objects.visible_to(user).filter(partner=organisation)
    counts: dict[int, Counter[str]] = {}
    for cycle_id, state in CycleEntry.objects.filter(initiative__in=visible).values_list(
        "cycle_id", "state"
    ):
        counts.setdefault(cycle_id, Counter())[str(EntryState(state).label)] += 1
    cycles = Cycle.objects.filter(pk__in=counts).order_by("-opens_on")
    return [(cycle, dict(counts[cycle.pk])) for cycle in cycles]


def partner_profile(*, user: Reader, organisation: Organisation, on: dt.date | None) -> Profile:
    today = timezone.localdate()
    day = on or today
    profile = Profile(
        organisation=organisation,
        on=day,
        name_then=organisation.name_on(day),
        people_roles=list(person_roles_visible(user=user, organisation=organisation)),
    )
    if apps.is_installed("accord.meetings"):
        profile.meetings = _meetings(user, organisation)
        profile.action_points = _action_points(user, organisation, today)
    if apps.is_installed("accord.commitments"):
        profile.initiatives, profile.initiative_count = _initiatives(user, organisation)
        profile.reporting = _reporting(user, organisation)
    return profile

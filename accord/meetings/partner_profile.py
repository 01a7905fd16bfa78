"""A partner's meetings and action points, for its profile page (``partners.profile``
reaches these by name when the meetings app is installed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.meetings.models import (
    STILL_OPEN,
    ActionPoint,
    ActionPointStatus,
    ActionPointUpdate,
    Meeting,
    Participant,
)
from accord.partners.models import Organisation

if TYPE_CHECKING:
    from accord.access.permissions import Actor as Reader


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


def partner_meetings(*, user: Reader, organisation: Organisation) -> list[tuple[Any, bool | None]]:
    """The meetings the partner took part in (its delegation or its people), with whether
    it attended when the roll call says."""
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


def partner_action_points(
    *, user: Reader, organisation: Organisation, today: dt.date
) -> ActionPointFigures:
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

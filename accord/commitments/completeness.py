"""Reads about one reporting cycle: who reports what, who is late, what changed by exception.

A partner is expected to report every initiative it leads that implements a commitment
of the cycle's instruments (every initiative it leads when the cycle names none), and
every initiative that already has an entry in the cycle. Cancelled initiatives are not
expected unless they have an entry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.commitments.models import (
    Cycle,
    CycleEntry,
    EntryException,
    EntryState,
    Initiative,
    InitiativeStatus,
)

ON_TIME = "on_time"
LATE = "late"
IN_PROGRESS = "in_progress"
TIMELINESS_LABELS = {ON_TIME: _("On time"), LATE: _("Late"), IN_PROGRESS: _("In progress")}


@dataclass
class PartnerCompleteness:
    partner: str
    expected: int = 0
    entered: int = 0
    submitted: int = 0
    verified: int = 0
    returned: int = 0
    late_entries: int = 0
    missing: list[int] = field(default_factory=list)
    deadline_passed: bool = False

    @property
    def timeliness(self) -> str:
        """Late when an entry came in after the deadline or the deadline passed without all
        of them; on time when every expected entry came in by it; else still in progress."""
        if self.late_entries or (self.deadline_passed and self.submitted < self.expected):
            return LATE
        if self.submitted >= self.expected:
            return ON_TIME
        return IN_PROGRESS

    @property
    def timeliness_label(self) -> str:
        return str(TIMELINESS_LABELS[self.timeliness])

    def as_dict(self) -> dict[str, object]:
        return {
            "partner": self.partner,
            "expected": self.expected,
            "entered": self.entered,
            "submitted": self.submitted,
            "verified": self.verified,
            "returned": self.returned,
            "late_entries": self.late_entries,
            "timeliness": self.timeliness,
        }


def expected_initiatives(cycle: Cycle) -> QuerySet[Initiative]:
    """The initiatives a partner should report in ``cycle`` (see the module's note)."""
    scope = Initiative.objects.filter(partner__isnull=False).exclude(
        status=InitiativeStatus.CANCELLED
    )
    instruments = list(cycle.instruments.values_list("pk", flat=True))
    if instruments:
        scope = scope.filter(commitments__instrument_id__in=instruments)
    return scope


def cycle_completeness(cycle: Cycle) -> list[PartnerCompleteness]:
    """Per partner: entries expected, entered, submitted, verified, and whether on time."""
    expected: dict[str, set[int]] = defaultdict(set)
    for acronym, pk in expected_initiatives(cycle).values_list("partner__acronym", "pk"):
        expected[acronym].add(pk)
    rows: dict[str, PartnerCompleteness] = {}
    passed = timezone.localdate() > cycle.closes_on

    def row(acronym: str) -> PartnerCompleteness:
        return rows.setdefault(acronym, PartnerCompleteness(acronym, deadline_passed=passed))

    entered: dict[str, set[int]] = defaultdict(set)
    entries = cycle.entries.values_list("initiative__partner__acronym", "initiative_id", "state")
    for acronym, initiative_id, state in entries.order_by():
        name = acronym or "—"
        entered[name].add(initiative_id)
        line = row(name)
        line.entered += 1
        if state in {EntryState.SUBMITTED, EntryState.VERIFIED}:
            line.submitted += 1
        if state == EntryState.VERIFIED:
            line.verified += 1
        if state == EntryState.RETURNED:
            line.returned += 1
    late = cycle.entries.filter(on_time=False).values_list("initiative__partner__acronym")
    for (acronym,) in late.order_by():
        row(acronym or "—").late_entries += 1
    for acronym in set(expected) | set(entered):
        line = row(acronym)
        wanted = expected.get(acronym, set()) | entered.get(acronym, set())
        line.expected = len(wanted)
        line.missing = sorted(expected.get(acronym, set()) - entered.get(acronym, set()))
    return sorted(rows.values(), key=lambda r: r.partner)


def cycle_exceptions(cycle: Cycle) -> QuerySet[EntryException]:
    """The changes made to the cycle's verified entries, newest first."""
    return (
        EntryException.objects.filter(entry__cycle=cycle)
        .select_related("entry__initiative__partner", "by")
        .order_by("-at", "-pk")
    )


def reporter_entries(*, partner_ids: frozenset[int], cycle: Cycle | None = None) -> QuerySet:
    """The entries of the partners a focal point or contributor reports for."""
    entries = CycleEntry.objects.filter(initiative__partner_id__in=partner_ids)
    if cycle is not None:
        entries = entries.filter(cycle=cycle)
    return entries.select_related("cycle", "initiative__partner").order_by(
        "-cycle__opens_on", "initiative__partner__acronym", "initiative_id"
    )

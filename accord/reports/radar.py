"""The follow-up radar of a meeting: the commitments at risk, ranked, each with its reasons.

The commitments of a meeting are those its agenda items name, its decisions cite and its
topics (and its agenda items' topics) are linked to, and those the decisions of the
tier's previous meeting cite: what is on the table and what is being followed up. Each
is weighed on what the reader may see (every record through its ``visible_to``); the
rule is written in ``docs/radar.md``:

========================================================  ======
reason                                                    points
========================================================  ======
an overdue action point raised by a decision citing it    3 each
no initiative implements it (or a part of it)             4
only initiatives behind schedule                          3
an indicator moving the wrong way (Open SDG method)       3 each
a reporting partner that has not submitted in an open      1 each
cycle
a decision citing it that raised no action point           2 each
========================================================  ======

The score is the sum; a commitment with a score of 0 is not at risk and is left out. The
ranking is by score (highest first), then by the number of different reasons, then by code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.commitments.models import (
    Commitment,
    Cycle,
    CycleEntry,
    CycleStatus,
    EntryState,
    Initiative,
    InitiativeStatus,
)
from accord.core.errors import NotFound
from accord.core.selectors import get_visible
from accord.evidence.models import Indicator
from accord.evidence.progress import progress_by_indicator
from accord.meetings.models import (
    STILL_OPEN,
    ActionPoint,
    AgendaItem,
    Decision,
    Meeting,
    TopicCommitment,
)
from accord.meetings.permissions import can_read_draft_agenda
from accord.meetings.selectors import meeting_pk
from accord.reports.models import AgendaCommitment
from accord.reports.trail import progress_summary

if TYPE_CHECKING:
    from accord.access.permissions import Actor

POINTS = {
    "overdue_action": 3,
    "no_initiative": 4,
    "behind_schedule": 3,
    "indicator_wrong_way": 3,
    "not_submitted": 1,
    "decision_without_action": 2,
}
# An initiative is behind schedule when its end date has passed before it was completed,
# or when its progress lags the share of its span already elapsed by more than this.
SCHEDULE_SLACK = 25
DONE = (InitiativeStatus.COMPLETED, InitiativeStatus.CANCELLED)


@dataclass
class Reason:
    kind: str
    count: int
    text: str

    @property
    def points(self) -> int:
        return POINTS[self.kind] * (
            1 if self.kind in ("no_initiative", "behind_schedule") else self.count
        )


@dataclass
class RadarRow:
    code: str
    title: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "score": self.score,
            "reasons": [
                {"kind": r.kind, "count": r.count, "points": r.points, "text": r.text}
                for r in self.reasons
            ],
        }


@dataclass
class Radar:
    meeting: Meeting
    today: dt.date
    rows: list[RadarRow]
    considered: int  # how many commitments were weighed


def rank(rows: list[RadarRow]) -> list[RadarRow]:
    """The rows at risk (score above 0), ranked by the rule of ``docs/radar.md``."""
    at_risk = [row for row in rows if row.score > 0]
    return sorted(at_risk, key=lambda row: (-row.score, -len(row.reasons), row.code))


def meeting_codes(user: Actor, meeting: Meeting) -> list[str]:
    """The commitment codes of a meeting (see the module's docstring), as ``user`` sees it."""
    codes: set[str] = set()
    items = AgendaItem.objects.filter(meeting=meeting)
    if can_read_draft_agenda(user, meeting):
        codes |= set(
            AgendaCommitment.objects.filter(agenda_item__in=items).values_list(
                "commitment_code", flat=True
            )
        )
        item_topics = AgendaItem.topics.through.objects.filter(agendaitem__in=items)
        codes |= set(
            TopicCommitment.objects.filter(topic_id__in=item_topics.values("topic_id")).values_list(
                "commitment_code", flat=True
            )
        )
    codes |= set(
        TopicCommitment.objects.filter(topic__meetings=meeting).values_list(
            "commitment_code", flat=True
        )
    )
    previous = (
        Meeting.objects.visible_to(user)
        .filter(tier_id=meeting.tier_id, date__lt=meeting.date)
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)[:1]
    )
    decisions = Decision.objects.visible_to(user).filter(
        Q(meeting=meeting) | Q(meeting_id__in=list(previous))
    )
    codes |= set(
        decisions.values_list("commitment_links__commitment_code", flat=True).exclude(
            commitment_links__commitment_code=None
        )
    )
    return sorted(codes)


def _behind(initiative: dict[str, Any], today: dt.date) -> bool:
    if initiative["status"] in DONE:
        return False
    if initiative["status"] == InitiativeStatus.SUSPENDED:
        return True
    start, end = initiative["start_on"], initiative["end_on"]
    if end is None:
        return False
    if end < today:
        return True
    if start is None or end <= start or today <= start:
        return False
    expected = 100 * (today - start).days / (end - start).days
    return initiative["progress"] < expected - SCHEDULE_SLACK


def _initiative_reasons(
    user: Actor, commitments: dict[str, Commitment], today: dt.date
) -> dict[str, list[Reason]]:
    """No initiative, only initiatives behind schedule, partners not submitted."""
    reasons: dict[str, list[Reason]] = defaultdict(list)
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    # The commitments of each weighed one's subtree, and which weighed ones each is under.
    condition = Q()
    for commitment in commitments.values():
        condition |= Q(path__startswith=commitment.path)
    under: dict[int, list[str]] = {}
    if commitments:
        for pk, path in Commitment.objects.filter(condition).values_list("pk", "path"):
            under[pk] = [code for code, c in commitments.items() if path.startswith(c.path)]
    rows: list[dict[str, Any]] = []
    if under:
        rows = list(
            Initiative.objects.visible_to(user)
            .filter(commitment_links__commitment_id__in=list(under))
            .values(
                "pk",
                "partner_id",
                "partner__acronym",
                "status",
                "start_on",
                "end_on",
                "progress",
                "commitment_links__commitment_id",
            )
        )
    for row in rows:
        for code in under.get(row["commitment_links__commitment_id"], []):
            by_code[code].append(row)
    # Open cycles of each instrument; the entries the reporting partners have in them.
    cycles: dict[int, list[int]] = defaultdict(list)
    for cycle_pk, instrument_pk in Cycle.objects.filter(status=CycleStatus.OPEN).values_list(
        "pk", "instruments"
    ):
        if instrument_pk is not None:
            cycles[instrument_pk].append(cycle_pk)
    submitted = set(
        CycleEntry.objects.filter(
            cycle_id__in={pk for pks in cycles.values() for pk in pks},
            initiative_id__in={row["pk"] for row in rows},
            state__in=(EntryState.SUBMITTED, EntryState.VERIFIED),
        ).values_list("cycle_id", "initiative_id")
    )
    for code, commitment in commitments.items():
        found = {row["pk"]: row for row in by_code.get(code, [])}
        if not found:
            reasons[code].append(
                Reason("no_initiative", 0, _("no initiative you may see implements it"))
            )
            continue
        behind = [row for row in found.values() if _behind(row, today)]
        if len(behind) == len(found):
            reasons[code].append(
                Reason(
                    "behind_schedule",
                    len(behind),
                    _("only initiatives behind schedule (%(count)s)") % {"count": len(behind)},
                )
            )
        open_cycles = cycles.get(commitment.instrument_id, [])
        late: set[str] = set()
        for row in found.values():
            if row["partner_id"] is None or row["status"] in DONE:
                continue
            if any((cycle, row["pk"]) not in submitted for cycle in open_cycles):
                late.add(row["partner__acronym"])
        if late:
            reasons[code].append(
                Reason(
                    "not_submitted",
                    len(late),
                    _("partners who have not submitted in the open cycle: %(partners)s")
                    % {"partners": ", ".join(sorted(late))},
                )
            )
    return reasons


def _decision_reasons(user: Actor, codes: list[str], today: dt.date) -> dict[str, list[Reason]]:
    """Overdue action points raised by decisions citing each code; decisions without one."""
    reasons: dict[str, list[Reason]] = defaultdict(list)
    visible_points = ActionPoint.objects.visible_to(user)
    decisions = (
        Decision.objects.visible_to(user)
        .filter(commitment_links__commitment_code__in=codes)
        .annotate(
            raised=Count(
                "action_points",
                filter=Q(action_points__in=visible_points),
                distinct=True,
            ),
            overdue=Count(
                "action_points",
                filter=Q(
                    action_points__in=visible_points,
                    action_points__status__in=STILL_OPEN,
                    action_points__due_date__lt=today,
                ),
                distinct=True,
            ),
        )
        .values_list("commitment_links__commitment_code", "raised", "overdue")
    )
    overdue: dict[str, int] = defaultdict(int)
    silent: dict[str, int] = defaultdict(int)
    for code, raised, late in decisions:
        overdue[code] += late
        if not raised:
            silent[code] += 1
    for code in codes:
        if overdue[code]:
            reasons[code].append(
                Reason(
                    "overdue_action",
                    overdue[code],
                    _("%(count)s overdue action points") % {"count": overdue[code]},
                )
            )
        if silent[code]:
            reasons[code].append(
                Reason(
                    "decision_without_action",
                    silent[code],
                    _("%(count)s decisions that raised no action") % {"count": silent[code]},
                )
            )
    return reasons


def _indicator_reasons(user: Actor, codes: list[str]) -> dict[str, list[Reason]]:
    reasons: dict[str, list[Reason]] = defaultdict(list)
    linked: dict[int, list[str]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for indicator in (
        Indicator.objects.visible_to(user)
        .filter(commitment_links__commitment_code__in=codes)
        .annotate(code_linked=F("commitment_links__commitment_code"))
    ):
        indicators[indicator.pk] = indicator
        linked[indicator.pk].append(indicator.code_linked)
    wrong: dict[str, list[str]] = defaultdict(list)
    progress = progress_by_indicator(indicators.values())
    for pk, indicator in indicators.items():
        status, _words = progress_summary(progress.get(pk, []))
        if status == "deterioration":
            for code in linked[pk]:
                wrong[code].append(indicator.code)
    for code, names in wrong.items():
        reasons[code].append(
            Reason(
                "indicator_wrong_way",
                len(names),
                _("indicators moving the wrong way: %(indicators)s")
                % {"indicators": ", ".join(sorted(names))},
            )
        )
    return reasons


def _meeting(user: Actor, key: str) -> Meeting:
    """The meeting named ``key`` as the reader may see it, with its ordinal (404 alike for
    a missing and a hidden one), without the page's prefetches."""
    try:
        return get_visible(Meeting.objects.with_ordinal(), user=user, pk=meeting_pk(key))
    except NotFound as error:
        raise NotFound(f"No meeting is known as {key!r}.") from error


def meeting_radar(*, user: Actor, key: str, today: dt.date | None = None) -> Radar:
    """The radar of the meeting ``key`` as ``user`` may see it (404 for a hidden one)."""
    today = today or timezone.localdate()
    meeting = _meeting(user, key)
    codes = meeting_codes(user, meeting)
    commitments = {c.code: c for c in Commitment.objects.filter(code__in=codes).order_by("code")}
    # Codes a decision cites that no commitment bears any more are left out.
    codes = list(commitments)
    rows = {code: RadarRow(code=code, title=c.title_text) for code, c in commitments.items()}
    for found in (
        _decision_reasons(user, codes, today),
        _initiative_reasons(user, commitments, today),
        _indicator_reasons(user, codes),
    ):
        for code, reasons in found.items():
            rows[code].reasons.extend(reasons)
    order = list(POINTS)
    for row in rows.values():
        row.reasons.sort(key=lambda reason: order.index(reason.kind))
    return Radar(meeting=meeting, today=today, rows=rank(list(rows.values())), considered=len(rows))

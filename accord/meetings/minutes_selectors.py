"""Reads about minutes: what a reader sees of a meeting's minutes (text, revisions,
corrections, comments, the actions written in them), diffs, the compiled minutes of a
tier. Who reads which status: :func:`accord.meetings.selectors.minutes_statuses_for`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from accord.access.selectors import access_for
from accord.core.errors import Invalid, NotFound
from accord.meetings import permissions
from accord.meetings.minutes_text import ActionLine, Paragraph, action_lines, paragraphs
from accord.meetings.models import (
    Meeting,
    MeetingTier,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesStatus,
    ProposedAction,
    RevisionKind,
)
from accord.meetings.selectors import meetings_in_order, minutes_statuses_for, with_ordinal

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def meeting_minutes(*, user: Actor, meeting: Meeting) -> Minutes | None:
    """The minutes of the whole meeting, when this reader may read them in their status."""
    minutes = (
        Minutes.objects.filter(
            meeting=meeting, agenda_item__isnull=True, status__in=minutes_statuses_for(user)
        )
        .select_related("approved_by")
        .first()
    )
    if minutes is not None:
        minutes.meeting = meeting  # with its ordinal
    return minutes


def meeting_minutes_or_404(*, user: Actor, meeting: Meeting) -> Minutes:
    minutes = meeting_minutes(user=user, meeting=meeting)
    if minutes is None:
        raise NotFound(
            _("%(meeting)s has no minutes that you may read.") % {"meeting": meeting.key}
        )
    return minutes


def revisions(minutes: Minutes) -> QuerySet:
    return (
        MinutesRevision.objects.filter(minutes=minutes).select_related("author").order_by("number")
    )


def corrections(minutes: Minutes) -> QuerySet:
    return revisions(minutes).filter(kind=RevisionKind.CORRECTION)


def comments(*, user: Actor, minutes: Minutes) -> QuerySet:
    """Comments and amendments are read by whoever reads circulated minutes: the members
    and the secretariat."""
    if not access_for(user).is_member and user is not None:
        return MinutesComment.objects.none()
    return (
        MinutesComment.objects.filter(minutes=minutes)
        .select_related("author", "resolved_by")
        .order_by("pk")
    )


def diff(*, minutes: Minutes, old: int, new: int) -> list[str]:
    """A unified diff of the Markdown between two revisions (404 when one is missing)."""
    if old < 1 or new < 1:
        raise Invalid(_("Revisions are numbered from 1."), details={"from": [old], "to": [new]})
    bodies = dict(
        MinutesRevision.objects.filter(minutes=minutes, number__in=[old, new]).values_list(
            "number", "body"
        )
    )
    missing = [str(n) for n in (old, new) if n not in bodies]
    if missing:
        raise NotFound(
            _("These minutes have no revision %(numbers)s.") % {"numbers": ", ".join(missing)}
        )
    return list(
        difflib.unified_diff(
            bodies[old].splitlines(),
            bodies[new].splitlines(),
            fromfile=f"revision {old}",
            tofile=f"revision {new}",
            lineterm="",
        )
    )


@dataclass
class MinutesPanel:
    """What the meeting page shows of the minutes, for one reader."""

    minutes: Minutes | None
    revision: int = 0
    corrections: list[MinutesRevision] = field(default_factory=list)
    comments: list[MinutesComment] = field(default_factory=list)
    proposals: list[ProposedAction] = field(default_factory=list)
    action_lines: list[ActionLine] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    can_edit: bool = False
    can_circulate: bool = False
    can_approve: bool = False
    can_correct: bool = False
    can_comment: bool = False
    can_resolve: bool = False

    @property
    def problems(self) -> list[ActionLine]:
        return [line for line in self.action_lines if line.problems]

    @property
    def open_amendments(self) -> list[MinutesComment]:
        return [c for c in self.comments if c.kind == "amendment" and c.status == "open"]


def minutes_panel(*, user: Actor, meeting: Meeting) -> MinutesPanel:
    minutes = meeting_minutes(user=user, meeting=meeting)
    if minutes is None:
        return MinutesPanel(minutes=None, can_edit=permissions.can_edit_minutes(user, None))
    numbers = list(minutes.revisions.order_by("number").values_list("number", flat=True))
    secretariat = permissions.can_write_minutes(user)
    return MinutesPanel(
        minutes=minutes,
        revision=numbers[-1] if numbers else 0,
        corrections=list(corrections(minutes)),
        comments=list(comments(user=user, minutes=minutes)),
        proposals=list(minutes.proposed_actions.select_related("action_point").order_by("pk"))
        if secretariat
        else [],
        action_lines=action_lines(minutes.body) if secretariat else [],
        paragraphs=paragraphs(minutes.body),
        can_edit=permissions.can_edit_minutes(user, minutes),
        can_circulate=permissions.can_circulate_minutes(user, minutes),
        can_approve=permissions.can_approve_minutes(user, minutes),
        can_correct=permissions.can_correct_minutes(user, minutes),
        can_comment=permissions.can_comment_minutes(user, minutes),
        can_resolve=secretariat and minutes.status != MinutesStatus.APPROVED,
    )


def tier_compiled_minutes(
    *, user: Actor, tier: MeetingTier
) -> list[tuple[Meeting, Minutes | None]]:
    """Every meeting of a tier this reader may see, in order, each with the approved text
    of its minutes (None while they are not approved)."""
    meetings = list(
        meetings_in_order(
            with_ordinal(Meeting.objects.visible_to(user).filter(tier=tier).select_related("tier"))
        ).prefetch_related(
            Prefetch(
                "minutes",
                queryset=Minutes.objects.filter(
                    agenda_item__isnull=True, status=MinutesStatus.APPROVED
                ).prefetch_related(
                    Prefetch(
                        "revisions",
                        queryset=MinutesRevision.objects.filter(
                            kind=RevisionKind.CORRECTION
                        ).order_by("number"),
                        to_attr="correction_list",
                    )
                ),
                to_attr="approved_minutes",
            )
        )
    )
    return [
        (meeting, meeting.approved_minutes[0] if meeting.approved_minutes else None)
        for meeting in meetings
    ]

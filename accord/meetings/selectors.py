"""Reads about meetings: ordinals, the meeting page, carried-forward action points, the
action register, minutes and their revisions.

Ordinals and meetings are read in ``meeting_selectors``, action points in
``action_point_selectors``; their functions are offered here too."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet

from accord.access.selectors import access_for
from accord.core.errors import NotFound
from accord.core.selectors import get_visible
from accord.meetings.action_point_selectors import (  # noqa: F401
    ActionPointRows,
    action_point_get,
    action_point_register,
    action_point_row_get,
    action_point_row_of,
    action_point_rows,
    action_point_to_follow_up,
    action_points_with_history,
    assignee_get,
    carried_forward,
    meeting_action_points,
    my_action_points,
    owner_acronyms,
    parse_statuses,
)
from accord.meetings.meeting_selectors import (  # noqa: F401
    co_chairs_prefetch,
    meeting_get,
    meeting_list,
    meeting_pk,
    meetings_in_order,
    ordinal_of,
    tier_get,
    tiers,
    with_ordinal,
)
from accord.meetings.models import (
    AgendaItem,
    Decision,
    Document,
    DocumentVersion,
    Meeting,
    MeetingTier,
    Minutes,
    MinutesRevision,
    MinutesStatus,
    Participant,
    ParticipantRole,
)
from accord.partners.models import Person

if TYPE_CHECKING:
    from accord.access.permissions import Actor


# --- agenda -----------------------------------------------------------------------------


@dataclass
class AgendaEntry:
    item: AgendaItem
    number: str
    children: list[AgendaEntry] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        """Planned minutes of this item, or of its sub-items when it has none of its own."""
        if self.item.planned_minutes is not None:
            return self.item.planned_minutes
        return sum(child.minutes for child in self.children)


def agenda_tree(items: Iterable[AgendaItem]) -> list[AgendaEntry]:
    """Items in order, each with its sub-items, numbered ``1``, ``1.1``, ``2``..."""
    children: dict[int | None, list[AgendaItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        children[item.parent_id].append(item)

    def build(parent: int | None, prefix: str) -> list[AgendaEntry]:
        entries = []
        for index, item in enumerate(children.get(parent, []), start=1):
            number = f"{prefix}{index}"
            entries.append(
                AgendaEntry(item=item, number=number, children=build(item.pk, f"{number}."))
            )
        return entries

    return build(None, "")


def agenda_warnings(meeting: Meeting, tree: list[AgendaEntry]) -> list[str]:
    """Sub-items planned longer than their item, an agenda longer than the meeting."""
    from accord.meetings.agenda import agenda_warnings as warnings

    return warnings(meeting, tree)


def agenda_items(meeting: Meeting) -> QuerySet:
    return AgendaItem.objects.filter(meeting=meeting).prefetch_related("topics")


# --- minutes ----------------------------------------------------------------------------


def minutes_statuses_for(user: Actor) -> list[str]:
    """Drafts are the secretariat's; circulated minutes are read by members too; approved
    minutes by whoever may read the meeting."""
    access = access_for(user)
    if access.is_secretariat:
        return list(MinutesStatus.values)
    if access.is_member:
        return [MinutesStatus.CIRCULATED, MinutesStatus.APPROVED]
    return [MinutesStatus.APPROVED]


def minutes_visible(*, user: Actor, meeting: Meeting) -> QuerySet:
    return Minutes.objects.filter(
        meeting=meeting, status__in=minutes_statuses_for(user)
    ).select_related("agenda_item")


def minutes_get(*, user: Actor, pk: int) -> Minutes:
    meeting_id = Minutes.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise NotFound(f"No minutes with id {pk}.")
    meeting = meeting_get(user=user, key=str(meeting_id))
    visible = minutes_visible(user=user, meeting=meeting).filter(pk=pk).first()
    if visible is None:
        raise PermissionDenied("These minutes are not yet circulated to you.")
    visible.meeting = meeting  # with its ordinal, for the page
    return visible


def minutes_revisions(minutes: Minutes) -> QuerySet:
    return (
        MinutesRevision.objects.filter(minutes=minutes).select_related("author").order_by("number")
    )


def minutes_diff(*, minutes: Minutes, old: int, new: int) -> list[str]:
    """A unified diff between two revisions of the same minutes."""
    bodies = dict(
        MinutesRevision.objects.filter(minutes=minutes, number__in=[old, new]).values_list(
            "number", "body"
        )
    )
    missing = [str(n) for n in (old, new) if n not in bodies]
    if missing:
        raise NotFound(f"These minutes have no revision {', '.join(missing)}.")
    return list(
        difflib.unified_diff(
            bodies[old].splitlines(),
            bodies[new].splitlines(),
            fromfile=f"revision {old}",
            tofile=f"revision {new}",
            lineterm="",
        )
    )


def tier_compiled_minutes(*, user: Actor, tier: MeetingTier) -> list[tuple[Meeting, list]]:
    """Every meeting of a tier in order, each with the minutes this reader may see."""
    meetings = list(
        with_ordinal(Meeting.objects.visible_to(user).filter(tier=tier).select_related("tier"))
        .order_by("date", "starts_at", "pk")
        .prefetch_related(
            Prefetch(
                "minutes",
                queryset=Minutes.objects.filter(
                    status__in=minutes_statuses_for(user)
                ).select_related("agenda_item"),
                to_attr="visible_minutes",
            )
        )
    )
    return [(meeting, meeting.visible_minutes) for meeting in meetings]


# --- the meeting page -------------------------------------------------------------------


# Co-chairs first, then who opened the meeting, then the delegations.
ROLE_ORDER: list[str] = [
    ParticipantRole.CO_CHAIR,
    ParticipantRole.OPENING_SPEAKER,
    ParticipantRole.DELEGATE,
]


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaEntry]
    agenda_warnings: list[str]
    follow_up: list[dict[str, Any]]  # plain rows (action_point_rows)
    participants: list[Participant]
    documents: list[Document]
    minutes: list[Minutes]
    decisions: list[Decision]
    action_points: list[dict[str, Any]]
    events: list[Any]
    previous: Meeting | None
    following: Meeting | None
    agenda_minutes: int = 0
    follow_up_count: int = 0
    follow_up_offset: int = 0
    follow_up_limit: int = 0

    @property
    def follow_up_next(self) -> int | None:
        """Where the follow-up's next page starts, None on its last page."""
        following = self.follow_up_offset + self.follow_up_limit
        return following if following < self.follow_up_count else None

    @property
    def follow_up_previous(self) -> int | None:
        if self.follow_up_offset <= 0:
            return None
        return max(0, self.follow_up_offset - self.follow_up_limit)

    @property
    def follow_up_last_shown(self) -> int:
        return self.follow_up_offset + len(self.follow_up)


#: Carried-forward action points shown at once: the meeting page of a tier's hundredth
#: meeting costs what its second does.
FOLLOW_UP_PAGE = 50


def meeting_participants(*, user: Actor, meeting: Meeting) -> QuerySet:
    """The participants of ``meeting``: delegations, and the people this reader may see
    (with their positions, for the documents that name them)."""
    return (
        Participant.objects.filter(meeting=meeting)
        .filter(Q(person__isnull=True) | Q(person__in=Person.objects.visible_to(user)))
        .select_related("person", "organisation")
        .prefetch_related("organisation__names", "person__roles")
    )


def meeting_page(
    *, user: Actor, key: str, follow_up_offset: int = 0, follow_up_limit: int = FOLLOW_UP_PAGE
) -> MeetingPage:
    """Everything the meeting page shows, in a number of queries that does not grow with
    the number of agenda items, participants or action points; the follow-up a page of
    ``follow_up_limit`` from ``follow_up_offset``, with its count."""
    from accord.meetings.permissions import can_read_draft_agenda

    meeting = meeting_get(user=user, key=key)
    # A draft agenda is the secretariat's until it is published.
    items = list(agenda_items(meeting)) if can_read_draft_agenda(user, meeting) else []
    tree = agenda_tree(items)
    # The meetings just before and after, found by position in the tier's index (as keys
    # are), so that only those two are numbered, not the whole tier.
    in_tier = meetings_in_order(Meeting.objects.filter(tier_id=meeting.tier_id))
    position = meeting.ordinal_number - 1
    around = list(in_tier.values_list("pk", flat=True)[max(position - 1, 0) : position + 2])
    neighbours = list(
        with_ordinal(Meeting.objects.visible_to(user).filter(pk__in=around))
        .select_related("tier")
        .filter(Q(ordinal=meeting.ordinal_number - 1) | Q(ordinal=meeting.ordinal_number + 1))
    )
    by_ordinal = {m.ordinal: m for m in neighbours}
    carried = carried_forward(user=user, meeting=meeting)
    return MeetingPage(
        meeting=meeting,
        agenda=tree,
        agenda_warnings=agenda_warnings(meeting, tree),
        follow_up=action_point_rows(
            carried[follow_up_offset : follow_up_offset + follow_up_limit], user=user
        ),
        follow_up_count=carried.count(),
        follow_up_offset=follow_up_offset,
        follow_up_limit=follow_up_limit,
        participants=sorted(
            meeting_participants(user=user, meeting=meeting).order_by(
                "organisation__acronym", "person__full_name"
            ),
            key=lambda p: ROLE_ORDER.index(p.role),
        ),
        documents=list(
            Document.objects.visible_to(user)
            .filter(meeting=meeting)
            .select_related("agenda_item")
            .prefetch_related(
                Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
            )
        ),
        minutes=list(minutes_visible(user=user, meeting=meeting)),
        decisions=list(
            Decision.objects.visible_to(user)
            .filter(meeting=meeting)
            .select_related("agenda_item")
            .prefetch_related("commitment_links", "initiative_links", "action_points")
            .order_by("position", "pk")
        ),
        action_points=action_point_rows(
            meeting_action_points(user=user, meeting=meeting), user=user
        ),
        events=list(meeting.events.select_related("membership__organisation")),
        previous=by_ordinal.get(meeting.ordinal_number - 1),
        following=by_ordinal.get(meeting.ordinal_number + 1),
        agenda_minutes=sum(entry.minutes for entry in tree),
    )


def document_get(*, user: Actor, pk: int) -> Document:
    return get_visible(Document.objects.all(), user=user, pk=pk)


def document_version_get(*, user: Actor, document_pk: int, number: int) -> DocumentVersion:
    document = get_visible(Document.objects.all(), user=user, pk=document_pk)
    version = DocumentVersion.objects.filter(document=document, number=number).first()
    if version is None:
        raise NotFound(f"Document {document_pk} has no version {number}.")
    return version


def person_meetings(*, user: Actor, person: Person) -> QuerySet:
    return with_ordinal(
        Meeting.objects.visible_to(user)
        .filter(participants__person=person)
        .distinct()
        .select_related("tier")
    ).order_by("date", "pk")


def person_get(*, user: Actor, pk: int) -> Person:
    return get_visible(Person.objects.all(), user=user, pk=pk)

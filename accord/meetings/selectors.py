"""Reads about meetings: ordinals, the meeting page, carried-forward action points, the
action register, minutes and their revisions."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accord.access.selectors import access_for
from accord.core.errors import Invalid, NotFound
from accord.core.params import MAX_OFFSET, whole_number
from accord.core.selectors import get_visible
from accord.meetings.models import (
    STILL_OPEN,
    ActionPoint,
    ActionPointStatus,
    ActionPointUpdate,
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
    earlier_in_tier,
    ordinal_expression,
)
from accord.partners.models import Organisation, Person

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


# --- action points ----------------------------------------------------------------------


def action_points_with_history(queryset: QuerySet, *, user: Actor) -> Any:
    """With owners, updates, meeting and the assignee, who is left out (None) for a reader
    who may not see that person."""
    return queryset.prefetch_related(
        Prefetch("assignee", queryset=Person.objects.visible_to(user)),
        "owners",
        Prefetch(
            "updates", queryset=ActionPointUpdate.objects.select_related("author").order_by("on")
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
    three batch queries (meeting keys, owners, updates), however many rows the page has.
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
    """Plain rows; the assignee's name only for a reader who may see that person."""
    rows = list(
        queryset.values(
            "pk",
            "meeting_id",
            "text",
            "assignee_id",
            "assignee__full_name",
            "due_date",
            "status",
            "version",
            "classification",
            "is_sample",
        )
    )
    if not rows:
        return []
    ids = [row["pk"] for row in rows]
    assignees = {row["assignee_id"] for row in rows if row["assignee_id"]}
    seen = (
        set(Person.objects.visible_to(user).filter(pk__in=assignees).values_list("pk", flat=True))
        if assignees
        else set()
    )
    keys = {
        pk: f"{code}-{ordinal}"
        for pk, code, ordinal in with_ordinal(
            Meeting.objects.filter(pk__in={row["meeting_id"] for row in rows}).order_by()
        ).values_list("pk", "tier__code", "ordinal")
    }
    owners: dict[int, list[str]] = defaultdict(list)
    through = ActionPoint.owners.through
    for ap_id, acronym in (
        through.objects.filter(actionpoint_id__in=ids)
        .order_by("organisation__acronym")
        .values_list("actionpoint_id", "organisation__acronym")
    ):
        owners[ap_id].append(acronym)
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
    return [
        {
            "id": row["pk"],
            "meeting": keys[row["meeting_id"]],
            "text": row["text"],
            "owners": owners[row["pk"]],
            "assignee": row["assignee__full_name"] if row["assignee_id"] in seen else None,
            "due_date": row["due_date"],
            "status": row["status"],
            "classification": row["classification"],
            "version": row["version"],
            "sample": row["is_sample"],
            "updates": updates[row["pk"]],
        }
        for row in rows
    ]


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
    follow_up: list[ActionPoint]
    participants: list[Participant]
    documents: list[Document]
    minutes: list[Minutes]
    decisions: list[Decision]
    action_points: list[ActionPoint]
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
        follow_up=list(carried[follow_up_offset : follow_up_offset + follow_up_limit]),
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
        action_points=list(meeting_action_points(user=user, meeting=meeting)),
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

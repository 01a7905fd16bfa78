"""What each role tries first, as links to its own work: the dashboard's "start here".

The secretariat prepares the next Senior Officials Meeting, verifies a submitted entry and
reads the radar; a focal point updates an overdue action point and fixes a returned
entry; a member reads the briefing pack and searches the record. A link is given only
where its page exists (the radar and search arrive with their apps); what has nothing
waiting says so instead of linking to an empty page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.models import RoleKind
from accord.access.selectors import access_for
from accord.commitments.models import CycleEntry, CycleStatus, EntryState
from accord.core.readers import Actor
from accord.meetings.models import STILL_OPEN, Meeting
from accord.meetings.selectors import my_action_points, with_ordinal

# URL names a page may be known by once its app has landed.
RADAR_ROUTES = ("meeting-radar", "radar")
SEARCH_ROUTES = ("search",)


@dataclass(frozen=True)
class Step:
    label: str
    url: str | None = None
    note: str = ""


def _first_route(names: tuple[str, ...], *args: object) -> str | None:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def _next_meeting(user: Actor, tier: str = "som") -> Meeting | None:
    return (
        with_ordinal(Meeting.objects.visible_to(user).filter(tier__code=tier))
        .select_related("tier")
        .filter(date__gte=timezone.localdate())
        .order_by("date")
        .first()
    )


def _entry(state: str, partner_ids: frozenset[int] | None = None) -> CycleEntry | None:
    entries = CycleEntry.objects.filter(cycle__status=CycleStatus.OPEN, state=state)
    if partner_ids is not None:
        entries = entries.filter(initiative__partner_id__in=partner_ids)
    return entries.select_related("cycle").order_by("cycle__closes_on", "pk").first()


def _entry_step(label: str, entry: CycleEntry | None, missing: str) -> Step:
    if entry is None:
        return Step(label, reverse("cycle-dashboard"), missing)
    return Step(label, reverse("initiative-detail", args=[entry.initiative_id]), entry.cycle.name)


def _secretariat(user: Actor) -> list[Step]:
    upcoming = _next_meeting(user)
    prepare = (
        Step(
            _("Prepare the next Senior Officials Meeting"),
            reverse("meeting-detail", args=[upcoming.key]),
            upcoming.date_display,
        )
        if upcoming is not None
        else Step(
            _("Prepare the next Senior Officials Meeting"),
            reverse("meeting-list"),
            _("none is planned yet"),
        )
    )
    radar = _first_route(RADAR_ROUTES, upcoming.key) if upcoming is not None else None
    third = (
        Step(_("Read the radar"), radar)
        if radar
        else Step(_("Read the action register, overdue points first"), reverse("action-register"))
    )
    return [
        prepare,
        _entry_step(
            _("Verify a submitted entry"), _entry(EntryState.SUBMITTED), _("nothing is submitted")
        ),
        third,
    ]


def _focal_point(user: Actor, partners: frozenset[int]) -> list[Step]:
    today = timezone.localdate()
    overdue = (
        my_action_points(user=user)
        .filter(status__in=STILL_OPEN, due_date__lt=today)
        .order_by("due_date", "pk")
        .first()
    )
    update = (
        Step(
            _("Update an overdue action point"),
            reverse("my-actions") + f"#action-point-{overdue.pk}",
            str(overdue)[:60],
        )
        if overdue is not None
        else Step(_("Update your action points"), reverse("my-actions"), _("none is overdue"))
    )
    returned = _entry(EntryState.RETURNED, partners)
    steps = [update]
    if returned is not None:
        steps.append(_entry_step(_("Fix a returned entry"), returned, ""))
    else:
        steps.append(
            _entry_step(
                _("Submit a draft entry"), _entry(EntryState.DRAFT, partners), _("nothing waits")
            )
        )
    steps.append(Step(_("Read your partners' commitments"), reverse("instrument-list")))
    return steps


def _contributor(user: Actor, partners: frozenset[int]) -> list[Step]:
    return [
        _entry_step(
            _("Complete a draft entry"), _entry(EntryState.DRAFT, partners), _("nothing waits")
        ),
        _entry_step(_("Fix a returned entry"), _entry(EntryState.RETURNED, partners), _("none")),
        Step(_("Read your partners' action points"), reverse("my-actions")),
    ]


def _member(user: Actor) -> list[Step]:
    upcoming = _next_meeting(user)
    briefing = (
        Step(
            _("Read the briefing pack of the next meeting"),
            reverse("meeting-briefing", kwargs={"key": upcoming.key, "fmt": "html"}),
            upcoming.display_name,
        )
        if upcoming is not None
        else Step(_("Read the meetings"), reverse("meeting-list"))
    )
    search = _first_route(SEARCH_ROUTES)
    return [
        briefing,
        Step(_("Search the record"), search)
        if search
        else Step(_("Read the decisions"), reverse("decision-register")),
        Step(_("Read the action register"), reverse("action-register")),
    ]


def start_here_for(user: Actor) -> list[Step]:
    """The first three steps for ``user``'s main role (none for an anonymous reader)."""
    access = access_for(user)
    if not access.is_authenticated:
        return []
    if access.is_secretariat:
        return _secretariat(user)
    focal = access.partners_with_role(RoleKind.FOCAL_POINT)
    if focal:
        return _focal_point(user, focal)
    contributing = access.partners_with_role(RoleKind.CONTRIBUTOR)
    if contributing:
        return _contributor(user, contributing)
    return _member(user)

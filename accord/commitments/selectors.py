"""Reads about instruments, commitments, initiatives, coverage and cycles.

Instruments and their trees are read in :mod:`accord.commitments.tree_selectors`,
coverage in :mod:`accord.commitments.coverage_selectors`; this module names them all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from accord.commitments.coverage_selectors import (  # noqa: F401
    CENT,
    Coverage,
    NodeCoverage,
    Overlap,
    coverage_statements,
    instrument_coverage,
    overlap_partners_statement,
)
from accord.commitments.models import (
    Commitment,
    Cycle,
    CycleEntry,
    CycleStatus,
    EntryState,
    Initiative,
    InitiativeCommitment,
    InitiativePlace,
    PlaceKind,
)
from accord.commitments.places import country_m49, is_country, place_name
from accord.commitments.tree_selectors import (  # noqa: F401
    Node,
    commitment_get,
    commitment_tree,
    instrument_get,
    instrument_list,
)
from accord.core.errors import Invalid, NotFound
from accord.core.params import whole_number
from accord.core.selectors import get_visible

if TYPE_CHECKING:
    from accord.access.permissions import Actor


# --- initiatives -------------------------------------------------------------------------


@dataclass
class InitiativeFilters:
    commitment: str | None = None
    country: str | None = None
    partner: str | None = None
    status: str | None = None
    kind: str | None = None
    cycle: str | None = None
    q: str | None = None


def _country_code(value: str) -> str:
    try:
        return country_m49(value)
    except ValueError:
        code = value.strip().zfill(3)
        if whole_number(code) is not None:
            return code
        raise Invalid(f"country: {value!r} is neither an M49 nor an ISO country code.") from None


def initiatives_filtered(*, user: Actor, filters: InitiativeFilters) -> QuerySet[Initiative]:
    queryset = Initiative.objects.visible_to(user)
    if filters.commitment:
        commitment = commitment_get(filters.commitment)
        queryset = queryset.filter(
            pk__in=InitiativeCommitment.objects.filter(
                commitment__path__startswith=commitment.path
            ).values("initiative_id")
        )
    if filters.country:
        queryset = queryset.filter(
            pk__in=InitiativePlace.objects.filter(code=_country_code(filters.country)).values(
                "initiative_id"
            )
        )
    if filters.partner:
        acronym = filters.partner.replace("-", " ")
        queryset = queryset.filter(
            Q(partner__acronym__iexact=acronym)
            | Q(
                pk__in=Initiative.implementers.through.objects.filter(
                    organisation__acronym__iexact=acronym
                ).values("initiative_id")
            )
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.cycle:
        queryset = queryset.filter(
            pk__in=CycleEntry.objects.filter(cycle__name=filters.cycle).values("initiative_id")
        )
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q) | Q(iati_identifier=filters.q))
    return queryset


def initiatives_listed(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """In list order (latest start first), each read with what a list row shows."""
    return (
        queryset.select_related("partner")
        .prefetch_related(
            "implementers",
            Prefetch("commitments", queryset=Commitment.objects.only("id", "code")),
            "places",
            "fundings__funder",
        )
        .order_by("-start_on", "-pk")
    )


def initiatives_page(queryset: QuerySet[Initiative], *, limit: int = 50, offset: int = 0) -> list:
    return list(initiatives_listed(queryset)[offset : offset + limit])


@dataclass
class Facet:
    name: str
    values: list[tuple[str, str, int]]  # (value, label, count)


# Up to this many, the initiatives a filter chose are read once by id, and the facets and
# the page are read from those ids instead of filtering again; past it, each reads the
# filtered set itself.
IDS_AT_ONCE = 5_000


@dataclass
class FacetedInitiatives:
    """The initiatives a filter chose: how many, their facets, and the queryset their
    pages are read from (the same initiatives, cheaper to read again)."""

    queryset: QuerySet[Initiative]
    total: int
    facets: list[Facet]


def initiatives_faceted(
    *, user: Actor, filters: InitiativeFilters, top: int = 30, at_once: int = IDS_AT_ONCE
) -> FacetedInitiatives:
    """The filtered initiatives with their counts per value of each facet."""
    queryset = _read_once(user, initiatives_filtered(user=user, filters=filters), at_once)
    total, columns = _column_facets(queryset, top)
    return FacetedInitiatives(queryset, total, [*_link_facets(queryset, top), *columns])


def _read_once(user: Actor, queryset: QuerySet[Initiative], at_once: int) -> QuerySet[Initiative]:
    """The same initiatives by id when there are ``at_once`` or fewer, still read through
    ``visible_to``; the filtered queryset itself otherwise."""
    if at_once <= 0:
        return queryset
    ids = list(queryset.order_by().values_list("pk", flat=True)[: at_once + 1])
    if len(ids) > at_once:
        return queryset
    if not ids:
        return Initiative.objects.none()
    among: Any = ids
    if connection.vendor == "sqlite":  # one parameter: SQLite bounds a statement's number
        among = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    return Initiative.objects.visible_to(user).filter(pk__in=among)


def _column_facets(queryset: QuerySet[Initiative], top: int) -> tuple[int, list[Facet]]:
    """How many, and the partner, status and kind facets, from one GROUP BY over the
    three columns. Partners come ordered by acronym in the database's collation, so that
    the stable sort by count leaves ties in the order an ORDER BY would give."""
    from accord.commitments.models import InitiativeKind, InitiativeStatus

    rows = (
        queryset.order_by()
        .values_list("status", "kind", "partner__acronym")
        .annotate(n=Count("pk"))
        .order_by("partner__acronym")
    )
    statuses: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    partners: dict[str, int] = defaultdict(int)
    total = 0
    for status, kind, acronym, n in rows:
        total += n
        statuses[status] += n
        kinds[kind] += n
        if acronym is not None:
            partners[acronym] += n
    top_partners = sorted(partners.items(), key=lambda item: -item[1])[:top]
    status_labels = dict(InitiativeStatus.choices)
    kind_labels = dict(InitiativeKind.choices)
    return total, [
        Facet("partner", [(p, p, n) for p, n in top_partners]),
        Facet(
            "status",
            [(s, str(status_labels.get(s, s)), n) for s, n in sorted(statuses.items())],
        ),
        Facet("kind", [(k, str(kind_labels.get(k, k)), n) for k, n in sorted(kinds.items())]),
    ]


def _link_facets(queryset: QuerySet[Initiative], top: int) -> list[Facet]:
    ids = queryset.values("pk")
    country_counts = (
        InitiativePlace.objects.filter(initiative_id__in=ids, kind=PlaceKind.COUNTRY)
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by("-n", "code")[:top]
    )
    code: Any = F("commitment__code")
    if connection.vendor == "sqlite":
        # Read per link rather than joined: joined, SQLite without statistics walks every
        # commitment and looks each chosen initiative up in it (10x slower unfiltered).
        code = Subquery(
            Commitment.objects.filter(pk=OuterRef("commitment_id")).order_by().values("code")
        )
    commitment_counts = (
        InitiativeCommitment.objects.filter(initiative_id__in=ids)
        .annotate(code=code)
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by("-n", "code")[:top]
    )
    return [
        Facet("commitment", [(c, c, n) for c, n in commitment_counts]),
        Facet(
            "country",
            [(c, place_name(c), n) for c, n in country_counts if is_country(c)],
        ),
    ]


def initiative_get(*, user: Actor, pk: int) -> Initiative:
    return get_visible(
        Initiative.objects.select_related("partner").prefetch_related(
            "implementers",
            "commitments__instrument",
            "places",
            "fundings__funder",
            "milestones",
            Prefetch("cycle_entries", queryset=CycleEntry.objects.select_related("cycle")),
        ),
        user=user,
        pk=pk,
    )


def commitment_initiatives(*, user: Actor, commitment: Commitment) -> QuerySet[Initiative]:
    return (
        initiatives_filtered(user=user, filters=InitiativeFilters(commitment=commitment.code))
        .select_related("partner")
        .prefetch_related("places")
        .order_by("-start_on", "-pk")
    )


# --- cycles --------------------------------------------------------------------------


def cycle_get(name: str) -> Cycle:
    cycle = Cycle.objects.filter(name=name).first()
    if cycle is None:
        raise NotFound(f"No reporting cycle is named {name!r}.")
    return cycle


def cycle_entries(cycle: Cycle) -> QuerySet[CycleEntry]:
    return cycle.entries.select_related("initiative__partner", "changed_by").order_by(
        "initiative__partner__acronym", "initiative_id"
    )


@dataclass
class PartnerProgress:
    partner: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def cycle_dashboard(cycle: Cycle) -> dict[str, Any]:
    """Who has submitted what, and what waits for the secretariat's verification."""
    rows = (
        cycle.entries.values_list("initiative__partner__acronym", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_partner: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(EntryState, 0))
    for acronym, state, count in rows:
        by_partner[acronym or "—"][state] = count
    return {
        "partners": [PartnerProgress(p, counts) for p, counts in sorted(by_partner.items())],
        "waiting": list(cycle_entries(cycle).filter(state=EntryState.SUBMITTED)),
    }


@dataclass
class Comparison:
    initiative: Initiative
    before: CycleEntry | None
    after: CycleEntry | None

    @property
    def changed(self) -> bool:
        if self.before is None or self.after is None:
            return True
        return (self.before.state, self.before.progress, self.before.status) != (
            self.after.state,
            self.after.progress,
            self.after.status,
        )


def cycle_compare(first: Cycle, second: Cycle) -> list[Comparison]:
    """Each initiative's entry in two cycles, side by side."""
    entries = CycleEntry.objects.filter(cycle__in=[first, second]).select_related(
        "initiative__partner"
    )
    pairs: dict[int, Comparison] = {}
    for entry in entries:
        row = pairs.setdefault(entry.initiative_id, Comparison(entry.initiative, None, None))
        if entry.cycle_id == first.pk:
            row.before = entry
        else:
            row.after = entry
    return sorted(pairs.values(), key=lambda c: c.initiative.pk)


def cycle_entries_waiting_for(*, user: Actor) -> QuerySet[CycleEntry]:
    """Entries of the open cycles that wait for this user's next step.

    The secretariat verifies submitted entries; focal points submit their partner's drafts
    and returned entries; contributors rework their partner's drafts and returned entries.
    """
    from accord.access.models import RoleKind
    from accord.access.selectors import access_for

    entries = CycleEntry.objects.filter(cycle__status=CycleStatus.OPEN).select_related(
        "cycle", "initiative"
    )
    access = access_for(user)
    waiting = Q(pk__in=[])
    if access.is_secretariat:
        waiting |= Q(state=EntryState.SUBMITTED)
    partners = access.partners_with_role(RoleKind.FOCAL_POINT, RoleKind.CONTRIBUTOR)
    if partners:
        waiting |= Q(
            state__in=[EntryState.DRAFT, EntryState.RETURNED], initiative__partner_id__in=partners
        )
    return entries.filter(waiting).order_by("cycle__closes_on", "initiative_id")

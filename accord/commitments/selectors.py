"""Reads about instruments, commitments, initiatives, coverage and cycles.

Coverage is computed in SQL over the instrument's whole tree in a fixed number of
statements (not one per commitment), then rolled up in Python over the small tree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from accord.commitments.models import (
    Commitment,
    Cycle,
    CycleEntry,
    CycleStatus,
    EntryState,
    Initiative,
    InitiativeCommitment,
    InitiativePlace,
    Instrument,
    PlaceKind,
    ProgressWeighting,
)
from accord.commitments.places import country_m49, is_country, place_name
from accord.core.errors import Invalid, NotFound
from accord.core.params import whole_number
from accord.core.selectors import get_visible

if TYPE_CHECKING:
    from accord.access.permissions import Actor

CENT = Decimal("0.01")


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.annotate(commitment_count=Count("commitments")).order_by(
        "adopted_on", "code"
    )


def instrument_get(code: str) -> Instrument:
    instrument = Instrument.objects.filter(code__iexact=code).first()
    if instrument is None:
        raise NotFound(f"No instrument has the code {code!r}.")
    return instrument


def commitment_get(code: str) -> Commitment:
    commitment = Commitment.objects.select_related("instrument", "parent").filter(code=code).first()
    if commitment is None:
        raise NotFound(f"No commitment has the code {code!r}.")
    return commitment


@dataclass
class Node:
    commitment: Commitment
    children: list[Node] = field(default_factory=list)
    coverage: NodeCoverage | None = None

    @property
    def code(self) -> str:
        return self.commitment.code

    def walk(self) -> list[Node]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


def commitment_tree(instrument: Instrument) -> list[Node]:
    """The instrument's commitments as a tree, children in their given order (one query)."""
    nodes = {
        c.pk: Node(c) for c in Commitment.objects.filter(instrument=instrument).order_by("path")
    }
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.commitment.parent_id or 0)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.commitment.position, n.code))
    roots.sort(key=lambda n: (n.commitment.position, n.code))
    return roots


# --- coverage ----------------------------------------------------------------------------


@dataclass
class NodeCoverage:
    initiatives: int = 0
    direct_initiatives: int = 0
    countries: int = 0
    partners: int = 0
    funding_eur: Decimal = Decimal(0)
    unconverted: dict[str, Decimal] = field(default_factory=dict)
    progress: float | None = None
    # How ``progress`` was computed: (what, its progress, its weight) per part.
    parts: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return self.initiatives == 0


@dataclass
class Overlap:
    commitment: str
    country: str
    partners: list[str]

    @property
    def country_name(self) -> str:
        return place_name(self.country)


@dataclass
class Coverage:
    instrument: Instrument
    tree: list[Node]
    gaps: list[Commitment]
    overlaps: list[Overlap]
    overlap_count: int
    weighting: str

    def by_code(self) -> dict[str, NodeCoverage]:
        return {
            node.code: node.coverage
            for root in self.tree
            for node in root.walk()
            if node.coverage is not None
        }


def _visible_sql(user: Actor, cycle: Cycle | None = None) -> tuple[str, tuple[Any, ...]]:
    """The ids of the initiatives counted: those ``user`` may read (of ``cycle``'s verified
    entries only, when a cycle is given)."""
    visible = Initiative.objects.visible_to(user)
    if cycle is not None:
        visible = visible.filter(
            cycle_entries__cycle=cycle, cycle_entries__state=EntryState.VERIFIED
        )
    sql, params = visible.order_by().values("id").query.sql_with_params()
    return sql, tuple(params)


def _progress_sql(cycle: Cycle | None) -> str:
    """An initiative's progress: today's, or the one verified in ``cycle``."""
    if cycle is None:
        return "i.progress"
    return (
        "COALESCE((SELECT ce.progress FROM commitments_cycleentry ce "
        f"WHERE ce.initiative_id = i.id AND ce.cycle_id = {int(cycle.pk)}), 0)"
    )


# A rate for the funding's value date (or, without one, the initiative's start): the
# latest published on or before it. No rate, no conversion.
EUR_AMOUNT_SQL = """
CASE WHEN f.currency = 'EUR' THEN f.amount ELSE f.amount / (
    SELECT r.per_eur FROM commitments_exchangerate r
    WHERE r.currency = f.currency AND r.date <= COALESCE(f.value_date, i.start_on)
    ORDER BY r.date DESC LIMIT 1) END
"""

# One statement computes every figure, so the instrument's links are read once: counts
# and sums per subtree over distinct initiatives, and the countries and partners of each
# commitment (small sets, united up the tree in Python). The instrument's tree is small:
# its (ancestor, descendant) pairs go in as a VALUES list, so the big tables are joined on
# indexed keys only.
COVERAGE_SQL = """
WITH vis AS ({visible}),
closure (ancestor, descendant) AS (VALUES {closure}),
links AS (
    SELECT l.initiative_id AS initiative, l.commitment_id AS commitment
    FROM commitments_initiativecommitment l
    WHERE l.commitment_id IN (SELECT descendant FROM closure)
      AND l.initiative_id IN (SELECT id FROM vis)
),
pairs AS (
    SELECT DISTINCT c.ancestor AS node, k.initiative AS initiative
    FROM closure c JOIN links k ON k.commitment = c.descendant
),
ifund AS (
    SELECT initiative, currency, CASE WHEN eur IS NULL THEN 1 ELSE 0 END AS unconverted,
           SUM(amount) AS amount, SUM(eur) AS eur
    FROM (
        SELECT f.initiative_id AS initiative, f.currency AS currency, f.amount AS amount,
               {eur} AS eur
        FROM commitments_funding f JOIN commitments_initiative i ON i.id = f.initiative_id
        WHERE f.amount IS NOT NULL AND f.initiative_id IN (SELECT initiative FROM links)
    ) x
    GROUP BY initiative, currency, CASE WHEN eur IS NULL THEN 1 ELSE 0 END
),
ieur AS (SELECT initiative, SUM(eur) AS eur FROM ifund GROUP BY initiative)
SELECT 'initiatives', node, '', COUNT(*), 0, 0, 0 FROM pairs GROUP BY node
UNION ALL
SELECT 'countries', k.commitment, pl.code, 0, 0, 0, 0
FROM links k JOIN commitments_initiativeplace pl ON pl.initiative_id = k.initiative
WHERE pl.kind = 'country' GROUP BY k.commitment, pl.code
UNION ALL
SELECT 'partners', k.commitment, CAST(t.organisation_id AS VARCHAR(20)), 0, 0, 0, 0
FROM links k JOIN {implementers} t ON t.initiative_id = k.initiative
GROUP BY k.commitment, t.organisation_id
UNION ALL
SELECT 'funding', p.node, x.currency, x.unconverted, SUM(x.amount), SUM(x.eur), 0
FROM pairs p JOIN ifund x ON x.initiative = p.initiative
GROUP BY p.node, x.currency, x.unconverted
UNION ALL
SELECT 'direct', k.commitment, '', COUNT(*), SUM({progress}), SUM(COALESCE(e.eur, 0)),
       SUM(COALESCE(e.eur, 0) * {progress})
FROM links k JOIN commitments_initiative i ON i.id = k.initiative
LEFT JOIN ieur e ON e.initiative = k.initiative
GROUP BY k.commitment
"""


def _closure(instrument: Instrument, subtree: Commitment | None = None) -> list[tuple[int, int]]:
    commitments = Commitment.objects.filter(instrument=instrument)
    if subtree is not None:
        commitments = commitments.filter(path__startswith=subtree.path)
    rows = list(commitments.values_list("pk", "path"))
    return [
        (ancestor, descendant)
        for ancestor, prefix in rows
        for descendant, path in rows
        if path.startswith(prefix)
    ]


def coverage_statements(
    instrument: Instrument,
    user: Actor,
    cycle: Cycle | None = None,
    subtree: Commitment | None = None,
) -> dict[str, tuple[str, tuple]]:
    """The SQL statements coverage runs, by name (the benchmark times the same ones);
    given a ``subtree``, its commitments only."""
    visible, visible_params = _visible_sql(user, cycle)
    closure = _closure(instrument, subtree) or [(0, 0)]
    values = ", ".join(["(CAST(%s AS BIGINT), CAST(%s AS BIGINT))"] * len(closure))
    implementers = Initiative.implementers.through._meta.db_table
    sql = COVERAGE_SQL.format(
        visible=visible,
        closure=values,
        eur=EUR_AMOUNT_SQL,
        implementers=implementers,
        progress=_progress_sql(cycle),
    )
    return {
        "coverage": (sql, (*visible_params, *(key for pair in closure for key in pair))),
        "overlaps": (
            "WITH vis AS (" + visible + ") "
            "SELECT c.code, pl.code, COUNT(DISTINCT i.partner_id) AS n "
            "FROM commitments_initiativecommitment l "
            "JOIN commitments_commitment c ON c.id = l.commitment_id "
            "JOIN commitments_initiative i ON i.id = l.initiative_id "
            "JOIN commitments_initiativeplace pl "
            "  ON pl.initiative_id = i.id AND pl.kind = 'country' "
            "WHERE c.instrument_id = %s AND i.partner_id IS NOT NULL "
            "  AND i.id IN (SELECT id FROM vis) "
            "GROUP BY c.code, pl.code HAVING COUNT(DISTINCT i.partner_id) > 1 "
            "ORDER BY n DESC, c.code, pl.code",
            (*visible_params, instrument.pk),
        ),
    }


def overlap_partners_statement(
    user: Actor, pairs: list[tuple[str, str]], cycle: Cycle | None = None
) -> tuple[str, tuple]:
    """The partners of the given (commitment code, country) overlaps, for those shown."""
    visible, visible_params = _visible_sql(user, cycle)
    values = ", ".join(["(CAST(%s AS VARCHAR(40)), CAST(%s AS VARCHAR(3)))"] * len(pairs))
    return (
        "WITH vis AS (" + visible + "), "
        f"shown (commitment, country) AS (VALUES {values}) "
        "SELECT DISTINCT s.commitment, s.country, o.acronym FROM shown s "
        "JOIN commitments_commitment c ON c.code = s.commitment "
        "JOIN commitments_initiativecommitment l ON l.commitment_id = c.id "
        "JOIN commitments_initiativeplace pl "
        "  ON pl.initiative_id = l.initiative_id AND pl.code = s.country "
        "JOIN commitments_initiative i ON i.id = l.initiative_id "
        "JOIN partners_organisation o ON o.id = i.partner_id "
        "WHERE i.id IN (SELECT id FROM vis) "
        "ORDER BY s.commitment, s.country, o.acronym",
        (*visible_params, *(key for pair in pairs for key in pair)),
    )


def _rows(statement: tuple[str, tuple]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchall()


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def instrument_coverage(
    instrument: Instrument,
    *,
    user: Actor,
    overlap_limit: int = 100,
    cycle: Cycle | None = None,
    subtree: Commitment | None = None,
) -> Coverage:
    """Per commitment, rolled up its subtree: initiatives, funding, countries, partners,
    progress; the gaps (commitments nothing implements) and possible overlaps.

    Given a ``cycle``, only the initiatives verified in it count, at their verified
    progress (the cycle's progress report), instead of every initiative as it is today.
    """
    tree = commitment_tree(instrument)
    nodes = {node.commitment.pk: node for root in tree for node in root.walk()}
    for node in nodes.values():
        node.coverage = NodeCoverage()
    statements = coverage_statements(instrument, user, cycle, subtree)

    def cov(pk: int) -> NodeCoverage:
        coverage = nodes[pk].coverage
        assert coverage is not None  # noqa: S101 - set just above for every node
        return coverage

    direct: dict[int, tuple[int, float, float, float]] = {}
    countries: dict[int, set[str]] = defaultdict(set)
    partners: dict[int, set[str]] = defaultdict(set)
    for kind, pk, currency, count, total, eur, weighted in _rows(statements["coverage"]):
        coverage = cov(pk)
        if kind == "initiatives":
            coverage.initiatives = count
        elif kind == "countries":
            countries[pk].add(currency)  # the third column holds the country code here
        elif kind == "partners":
            partners[pk].add(currency)  # ... and the organisation here
        elif kind == "funding" and count:  # count holds "unconverted" here
            coverage.unconverted[currency] = _decimal(total)
        elif kind == "funding":
            coverage.funding_eur += _decimal(eur)
        elif kind == "direct":
            direct[pk] = (count, float(total or 0), float(eur or 0), float(weighted or 0))
            coverage.direct_initiatives = count

    def unite(node: Node) -> tuple[set[str], set[str]]:
        places, who = set(countries[node.commitment.pk]), set(partners[node.commitment.pk])
        for child in node.children:
            child_places, child_who = unite(child)
            places |= child_places
            who |= child_who
        cov(node.commitment.pk).countries = len(places)
        cov(node.commitment.pk).partners = len(who)
        return places, who

    for root in tree:
        unite(root)
    weighting = instrument.progress_weighting

    def roll(node: Node) -> tuple[float, float] | None:
        """(progress, weight) of a subtree: its direct initiatives and its children."""
        parts: list[tuple[float, float]] = []
        shown: list[tuple[str, float, float]] = []
        count, progress_sum, eur_sum, weighted_sum = direct.get(node.commitment.pk, (0, 0, 0, 0))
        if count:
            if weighting == ProgressWeighting.FUNDING and eur_sum > 0:
                parts.append((weighted_sum / eur_sum, eur_sum))
                shown.append(("", weighted_sum / eur_sum, eur_sum))
            else:
                parts.extend([(progress_sum / count, 1.0)] * count)
                shown.append(("", progress_sum / count, float(count)))
        for child in node.children:
            rolled = roll(child)
            if rolled is not None:
                parts.append(rolled)
                shown.append((child.code, rolled[0], rolled[1]))
        cov(node.commitment.pk).parts = shown
        if not parts:
            return None
        if weighting == ProgressWeighting.FUNDING:
            total = sum(weight for _value, weight in parts)
            value = sum(v * w for v, w in parts) / total if total else 0.0
            weight = float(cov(node.commitment.pk).funding_eur) or total
        else:
            value = sum(v for v, _w in parts) / len(parts)
            weight = 1.0
        cov(node.commitment.pk).progress = round(value, 1)
        return value, weight

    for root in tree:
        roll(root)
    gaps = [node.commitment for node in nodes.values() if cov(node.commitment.pk).is_gap]
    overlap_rows = [] if subtree is not None else _rows(statements["overlaps"])
    pairs = [(code, country) for code, country, _count in overlap_rows]
    shown = pairs[:overlap_limit]
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    if shown:
        for code, country, acronym in _rows(overlap_partners_statement(user, shown, cycle)):
            grouped[(code, country)].append(acronym)
    overlaps = [Overlap(code, country, grouped[(code, country)]) for code, country in shown]
    return Coverage(
        instrument=instrument,
        tree=tree,
        gaps=gaps,
        overlaps=overlaps,
        overlap_count=len(pairs),
        weighting=weighting,
    )


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


def initiative_facets(queryset: QuerySet[Initiative], *, top: int = 30) -> list[Facet]:
    """Counts per value of each facet over the filtered initiatives."""
    from accord.commitments.models import InitiativeKind, InitiativeStatus

    ids = queryset.values("pk")
    statuses = dict(InitiativeStatus.choices)
    kinds = dict(InitiativeKind.choices)
    status_counts = queryset.order_by().values_list("status").annotate(n=Count("pk"))
    kind_counts = queryset.order_by().values_list("kind").annotate(n=Count("pk"))
    partner_counts = (
        queryset.order_by()
        .filter(partner__isnull=False)
        .values_list("partner__acronym")
        .annotate(n=Count("pk"))
        .order_by("-n", "partner__acronym")[:top]
    )
    country_counts = (
        InitiativePlace.objects.filter(initiative_id__in=ids, kind=PlaceKind.COUNTRY)
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by("-n", "code")[:top]
    )
    commitment_counts = (
        InitiativeCommitment.objects.filter(initiative_id__in=ids)
        .values_list("commitment__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "commitment__code")[:top]
    )
    return [
        Facet("commitment", [(c, c, n) for c, n in commitment_counts]),
        Facet(
            "country",
            [(c, place_name(c), n) for c, n in country_counts if is_country(c)],
        ),
        Facet("partner", [(p, p, n) for p, n in partner_counts]),
        Facet("status", [(s, str(statuses.get(s, s)), n) for s, n in status_counts]),
        Facet("kind", [(k, str(kinds.get(k, k)), n) for k, n in kind_counts]),
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

"""Coverage of an instrument's commitments: initiatives, funding, countries, partners and
progress per commitment, rolled up its subtree; the gaps and the possible overlaps.

Coverage is computed in SQL over the instrument's whole tree in a fixed number of
statements (not one per commitment), then rolled up in Python over the small tree. The
rows the statements read are kept until the commitment data change
(:mod:`accord.commitments.coverage_store`), so a reader after another pays the roll-up only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from accord.commitments.coverage_store import rows_of
from accord.commitments.models import (
    Commitment,
    Cycle,
    EntryState,
    Initiative,
    Instrument,
    ProgressWeighting,
)
from accord.commitments.places import place_name
from accord.commitments.tree_selectors import Node, commitment_tree

if TYPE_CHECKING:
    from accord.access.permissions import Actor

CENT = Decimal("0.01")


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
    if subtree is None:
        coverage_rows, overlap_rows = rows_of(statements["coverage"], statements["overlaps"])
    else:
        [coverage_rows], overlap_rows = rows_of(statements["coverage"]), []
    for kind, pk, currency, count, total, eur, weighted in coverage_rows:
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
    pairs = [(code, country) for code, country, _count in overlap_rows]
    shown = pairs[:overlap_limit]
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    if shown:
        [partner_rows] = rows_of(overlap_partners_statement(user, shown, cycle))
        for code, country, acronym in partner_rows:
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

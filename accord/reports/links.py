"""What the commitments and evidence apps add to a briefing pack's agenda items, when
they are installed: each commitment an item discusses with its coverage and progress,
and the indicators linked to it with their latest value and chart.

The apps are reached through their selectors, as the pack's reader, by module name, so
that this module stands (unused) in an installation without them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from accord.core.errors import NotFound
from accord.reports.briefing import Chart, ItemSection

if TYPE_CHECKING:
    from accord.access.permissions import Actor

# Charts per agenda item: the key indicators, not every one linked.
CHARTS_PER_ITEM = 2


def coverage_text(coverage: Any) -> str:
    if coverage is None:
        return ""
    if coverage.is_gap:
        return "Gap: no initiative reported"
    return ", ".join(
        _count(number, noun)
        for number, noun in (
            (coverage.initiatives, "initiative"),
            (coverage.countries, "country"),
            (coverage.partners, "partner"),
        )
    )


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"


def progress_text(coverage: Any) -> str:
    if coverage is None or coverage.progress is None:
        return "—"
    return f"{coverage.progress:.0f}%"


def add_commitments(user: Actor, items: list[ItemSection], notes: list[str]) -> list[str]:
    selectors = import_module("accord.commitments.selectors")
    by_instrument: dict[int, dict[str, Any]] = {}
    for section in items:
        rows = []
        for code in section.codes:
            try:
                commitment = selectors.commitment_get(code)
            except NotFound:
                rows.append(
                    {
                        "code": code,
                        "title": f"{code} (not in the record)",
                        "coverage": "",
                        "progress": "",
                    }
                )
                continue
            instrument = commitment.instrument_id
            if instrument not in by_instrument:
                coverage = selectors.instrument_coverage(commitment.instrument, user=user)
                by_instrument[instrument] = coverage.by_code()
            found = by_instrument[instrument].get(commitment.code)
            rows.append(
                {
                    "code": commitment.code,
                    "title": f"{commitment.code}: {commitment.title_text}",
                    "coverage": coverage_text(found),
                    "progress": progress_text(found),
                }
            )
        section.commitments = rows
    if by_instrument:
        notes.append("Coverage and progress count the initiatives this reader may see.")
    return []  # commitments are public texts; the initiatives counted were filtered


def _latest(observations: list[Any]) -> Any:
    return max(observations, key=lambda o: o.period_start, default=None)


def add_indicators(user: Actor, items: list[ItemSection], notes: list[str]) -> list[str]:
    selectors = import_module("accord.evidence.selectors")
    charts = import_module("accord.evidence.charts")
    classifications: list[str] = []
    for section in items:
        seen: set[int] = set()
        for code in section.codes:
            for indicator in selectors.indicators_for_commitment(code, user=user):
                if indicator.pk in seen:
                    continue
                seen.add(indicator.pk)
                chosen = selectors.observation_filter_parse(indicator, {}, default_totals=True)
                observations = list(selectors.observation_list(indicator, chosen))
                latest = _latest(observations)
                value = "no data"
                if latest is not None:
                    value = (
                        f"{latest.value:,g} {indicator.unit} ({latest.period_label}, "
                        f"{latest.place.name})"
                    )
                section.indicators.append(
                    {"title": f"{indicator.code}: {indicator.name}", "value": value}
                )
                classifications.append(indicator.classification)
                if observations and len(section.charts) < CHARTS_PER_ITEM:
                    svg = charts.chart_svg(charts.chart_spec(indicator, observations))
                    if svg:
                        section.charts.append(
                            Chart(
                                title=indicator.name,
                                svg=svg,
                                classification=indicator.classification,
                            )
                        )
    return classifications

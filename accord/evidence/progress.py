"""How far each indicator has come (progress per place against its target or the SDG
progress assessment's thresholds), and which places, years and disaggregations each
indicator has figures for (the reporting status)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models.functions import ExtractYear

from accord.evidence.metadata import expected_disaggregations
from accord.evidence.models import Indicator, IndicatorTarget, Observation, Place

if TYPE_CHECKING:
    from accord.access.permissions import Actor


# --- progress ------------------------------------------------------------------------


PROGRESS_LABELS = {
    "target_achieved": "Target achieved",
    "substantial": "Substantial progress / on track",
    "moderate": "Moderate progress",
    "negligible": "Negligible progress",
    "deterioration": "Deterioration",
}
# Open SDG (after Statistics Canada): with a target, the ratio of the actual compound
# annual growth rate to the one needed; without one, the actual rate itself.
RATIO_THRESHOLDS = {"substantial": 0.95, "moderate": 0.6, "negligible": 0.0}
RATE_THRESHOLDS = {"substantial": 0.01, "moderate": 0.005, "negligible": 0.0}
BASE_YEAR = 2015


@dataclass
class Progress:
    place: str
    status: str
    label: str
    base_year: int
    base_value: float
    current_year: int
    current_value: float
    actual_rate: float
    required_rate: float | None
    target_value: float | None = None
    target_year: int | None = None
    target_of_place: bool = False

    @property
    def actual_percent(self) -> str:
        return f"{self.actual_rate * 100:+.1f}%"

    @property
    def required_percent(self) -> str:
        return "" if self.required_rate is None else f"{self.required_rate * 100:+.1f}%"


def _cagr(first: float, last: float, years: int) -> float | None:
    if years <= 0 or first <= 0 or last <= 0:
        return None
    return float((last / first) ** (1 / years) - 1)


def progress_for_series(
    indicator: Indicator,
    place: str,
    series: dict[int, float],
    own_targets: list[tuple[int, float]] | None = None,
) -> Progress | None:
    """Progress of one yearly series (year -> value) by the Open SDG method.

    Base year: 2015, or the first year after it with data (the first year if all data
    are older). Current year: the latest with data. With a target:
    ratio = actual CAGR / CAGR needed from the base to reach the target in its year;
    >= 0.95 substantial, >= 0.6 moderate, >= 0 negligible, below 0 deterioration; a
    current value at or beyond the target is "target achieved". Without a target, the
    actual CAGR signed by the desired direction: > 1% substantial, > 0.5% moderate,
    > 0 negligible, else deterioration. Needs two years of positive values.

    The target is the place's own (``own_targets``, (year, value) pairs) if it has one,
    else the indicator's (see :mod:`accord.evidence.targets`).
    """
    from accord.evidence.targets import target_for

    years = sorted(series)
    if not years:
        return None
    goal = target_for(indicator, own_targets or [], years[-1])
    if len(series) < 2 or (goal is None and not indicator.direction):
        return None
    base_year = next((year for year in years if year >= BASE_YEAR), years[0])
    current_year = years[-1]
    if current_year <= base_year:
        base_year = years[0]
    base, current = series[base_year], series[current_year]
    actual = _cagr(base, current, current_year - base_year)
    if actual is None:
        return None
    down = indicator.direction == "down"
    required = None
    if goal is not None:
        target = goal.value
        down = target < base if not indicator.direction else down
        achieved = current <= target if down else current >= target
        required = _cagr(base, target, goal.year - base_year)
        if achieved:
            status = "target_achieved"
        elif required is None or required == 0:
            status = "deterioration" if (actual > 0) == down else "substantial"
        else:
            status = _grade(actual / required, RATIO_THRESHOLDS)
    else:
        signed = -actual if down else actual
        status = _grade(signed, RATE_THRESHOLDS, strict=True)
    return Progress(
        place=place,
        status=status,
        label=PROGRESS_LABELS[status],
        base_year=base_year,
        base_value=base,
        current_year=current_year,
        current_value=current,
        actual_rate=actual,
        required_rate=required,
        target_value=goal.value if goal else None,
        target_year=goal.year if goal else None,
        target_of_place=bool(goal and goal.place_specific),
    )


def _grade(measure: float, thresholds: dict[str, float], *, strict: bool = False) -> str:
    for status in ("substantial", "moderate", "negligible"):
        limit = thresholds[status]
        if measure > limit or (not strict and measure >= limit):
            return status
    return "deterioration"


def indicator_progress(indicator: Indicator) -> list[Progress]:
    """Progress per place, on the yearly totals, each against its place's target."""
    from accord.evidence.targets import targets_by_place

    series: dict[str, dict[int, float]] = defaultdict(dict)
    place_ids: dict[str, int] = {}
    rows = (
        Observation.objects.filter(
            indicator=indicator, disaggregation_key="", period_precision="year"
        )
        .order_by("place__name", "period_start")
        .values_list("place__name", "place_id", "period_start", "value")
    )
    for place, place_id, start, value in rows:
        series[place][start.year] = value
        place_ids[place] = place_id
    own = targets_by_place(indicator)
    results = []
    for place, values in series.items():
        progress = progress_for_series(indicator, place, values, own.get(place_ids[place]))
        if progress is not None:
            results.append(progress)
    return results


# --- reporting status ------------------------------------------------------------------


@dataclass
class CoverageRow:
    indicator: Indicator
    place: Place
    years: list[int]
    missing: dict[int, list[str]]

    @property
    def span(self) -> str:
        return _year_ranges(self.years)


def progress_by_indicator(indicators: Iterable[Indicator]) -> dict[int, list[Progress]]:
    """:func:`indicator_progress` of many indicators in two queries (their yearly totals,
    their places' targets), by indicator id."""
    chosen = {indicator.pk: indicator for indicator in indicators}
    if not chosen:
        return {}
    series: dict[tuple[int, str], dict[int, float]] = defaultdict(dict)
    place_ids: dict[tuple[int, str], int] = {}
    rows = (
        Observation.objects.filter(
            indicator_id__in=list(chosen), disaggregation_key="", period_precision="year"
        )
        .order_by("place__name", "period_start")
        .values_list("indicator_id", "place__name", "place_id", "period_start", "value")
    )
    for indicator_id, place, place_id, start, value in rows:
        series[(indicator_id, place)][start.year] = value
        place_ids[(indicator_id, place)] = place_id
    own: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for indicator_id, place_id, year, value in (
        IndicatorTarget.objects.filter(indicator_id__in=list(chosen))
        .order_by("year")
        .values_list("indicator_id", "place_id", "year", "value")
    ):
        own[(indicator_id, place_id)].append((year, value))
    results: dict[int, list[Progress]] = {pk: [] for pk in chosen}
    for (indicator_id, place), values in series.items():
        progress = progress_for_series(
            chosen[indicator_id],
            place,
            values,
            own.get((indicator_id, place_ids[(indicator_id, place)])),
        )
        if progress is not None:
            results[indicator_id].append(progress)
    return results


def _year_ranges(years: list[int]) -> str:
    """``2013-2016, 2019``: consecutive years as spans."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and spans[-1][1] == year - 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def reporting_status(*, user: Actor) -> list[dict[str, Any]]:
    """Which indicators have data for which places and years, and which disaggregations
    (seen elsewhere for the same indicator) are missing for a place and year."""
    indicators = list(Indicator.objects.visible_to(user).order_by("code"))
    rows = (
        Observation.objects.filter(indicator__in=indicators)
        .annotate(year=ExtractYear("period_start"))
        .order_by()
        .values_list("indicator_id", "place_id", "year", "disaggregation_key")
        .distinct()
    )
    found: dict[int, dict[int, dict[int, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for indicator_id, place_id, year, key in rows:
        found[indicator_id][place_id][year].add(key)
    places = Place.objects.in_bulk({p for by_place in found.values() for p in by_place})
    report = []
    for indicator in indicators:
        by_place = found.get(indicator.pk, {})
        every_key = {k for years in by_place.values() for keys in years.values() for k in keys}
        coverage = []
        for place_id, years in by_place.items():
            missing = {
                year: sorted(key or "total" for key in every_key - keys)
                for year, keys in sorted(years.items())
                if every_key - keys
            }
            coverage.append(CoverageRow(indicator, places[place_id], sorted(years), missing))
        coverage.sort(key=lambda row: row.place.name)
        expected = expected_disaggregations(indicator)
        present = {part.partition("=")[0] for key in every_key for part in key.split(";") if part}
        report.append(
            {
                "indicator": indicator,
                "coverage": coverage,
                "expected": expected,
                "missing_expected": [name for name in expected if name not in present],
            }
        )
    return report

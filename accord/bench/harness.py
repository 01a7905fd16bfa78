"""The benchmark harness: scenarios timed against a floor measured in the same run.

A scenario times what Accord does (an API call, an import, a report) and a floor that
does the least the same work can cost (the same query in raw SQL, the database's own
bulk loader, a bare parse). The ratio of the two medians is what issues set goals for;
being measured in one run on one machine, it holds across machines where seconds do not.
"""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

SCALES = ("small", "large")


@dataclass
class Scenario:
    name: str
    goal: float
    floor: str
    setup: Callable[[str], Any]
    run: Callable[[Any], object]
    baseline: Callable[[Any], object]
    size: Callable[[Any], str]
    repeat: int = 30
    extra: Callable[[Any], dict[str, Any]] | None = None
    #: Answered to a visitor, who may be given a kept answer: also timed with none kept.
    visitor: bool = False


REGISTRY: dict[str, Scenario] = {}


def scenario(
    name: str,
    *,
    goal: float,
    floor: str,
    setup: Callable[[str], Any],
    baseline: Callable[[Any], object],
    size: Callable[[Any], str],
    repeat: int = 30,
    extra: Callable[[Any], dict[str, Any]] | None = None,
    visitor: bool = False,
) -> Callable[[Callable[[Any], object]], Callable[[Any], object]]:
    """Register ``run`` as scenario ``name``; ``baseline`` is its floor."""

    def register(run: Callable[[Any], object]) -> Callable[[Any], object]:
        REGISTRY[name] = Scenario(
            name=name,
            goal=goal,
            floor=floor,
            setup=setup,
            run=run,
            baseline=baseline,
            size=size,
            repeat=repeat,
            extra=extra,
            visitor=visitor,
        )
        return run

    return register


def timings(function: Callable[[], object], repeat: int) -> list[float]:
    function()  # warm caches and connections once, untimed
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@contextmanager
def peak_memory() -> Iterator[dict[str, float]]:
    """Peak Python heap in MB during the block (tracemalloc)."""
    result: dict[str, float] = {}
    tracemalloc.start()
    try:
        yield result
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["peak_mb"] = peak / 1_000_000


@dataclass
class Result:
    scenario: str
    size: str
    median_s: float
    p95_s: float
    floor: str
    floor_median_s: float
    ratio: float
    goal: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal

    def json(self) -> str:
        return json.dumps(
            {
                "scenario": self.scenario,
                "size": self.size,
                "median_s": round(self.median_s, 6),
                "p95_s": round(self.p95_s, 6),
                "floor": self.floor,
                "floor_median_s": round(self.floor_median_s, 6),
                "ratio": round(self.ratio, 3),
                "goal": self.goal,
                "met": self.met,
                **self.extra,
            }
        )


def measure(item: Scenario, scale: str, repeat: int | None = None) -> Result:
    context = item.setup(scale)
    count = repeat or item.repeat
    runs = timings(lambda: item.run(context), count)
    floors = timings(lambda: item.baseline(context), count)
    median, floor_median = statistics.median(runs), statistics.median(floors)
    extra = item.extra(context) if item.extra else {}
    if item.visitor:
        extra.update(made_for_each(item, context, count))
    return Result(
        scenario=item.name,
        size=item.size(context),
        median_s=median,
        p95_s=p95(runs),
        floor=item.floor,
        floor_median_s=floor_median,
        ratio=median / floor_median if floor_median else float("inf"),
        goal=item.goal,
        extra=extra,
    )


def made_for_each(item: Scenario, context: Any, count: int) -> dict[str, Any]:
    """Both sides again with no answer kept (``ACCORD_RESPONSE_CACHE_SECONDS=0``): what a
    signed-in reader, or the first visitor after a write, waits for."""
    from django.test.utils import override_settings

    with override_settings(ACCORD_RESPONSE_CACHE_SECONDS=0):
        runs = timings(lambda: item.run(context), count)
        floors = timings(lambda: item.baseline(context), count)
    median, floor_median = statistics.median(runs), statistics.median(floors)
    ratio = median / floor_median if floor_median else float("inf")
    return {
        "made_median_s": round(median, 6),
        "made_floor_median_s": round(floor_median, 6),
        "made_ratio": round(ratio, 3),
        "made_met": ratio <= item.goal,
    }

"""A chart is drawn once per version of its data and drawn anew when the data changes."""

from __future__ import annotations

import copy
from typing import Any

from django.core.cache import cache

from accord.evidence import charts

SPEC: dict[str, Any] = {
    "data": {"values": [{"label": "2020", "value": 1.0, "series": "Total"}]},
    "mark": {"type": "line", "point": True},
    "encoding": {
        "x": {"field": "label", "type": "ordinal"},
        "y": {"field": "value", "type": "quantitative"},
    },
}


def test_the_same_data_is_served_from_the_cache_and_new_data_is_drawn():
    cache.clear()
    first = charts.chart_svg(copy.deepcopy(SPEC))
    assert first.startswith("<svg")
    assert len(cache._cache) == 1
    assert charts.chart_svg(copy.deepcopy(SPEC)) == first
    assert len(cache._cache) == 1
    changed = copy.deepcopy(SPEC)
    changed["data"]["values"].append({"label": "2021", "value": 2.0, "series": "Total"})
    second = charts.chart_svg(changed)
    assert second != first
    assert len(cache._cache) == 2


def test_no_rows_no_chart():
    assert charts.chart_svg({"data": {"values": []}}) == ""

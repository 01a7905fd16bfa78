"""A chart is drawn once per version of its data and drawn anew when the data changes."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accord.evidence import charts

SPEC: dict[str, Any] = {
    "data": {"values": [{"label": "2020", "value": 1.0, "series": "Total"}]},
    "mark": {"type": "line", "point": True},
    "encoding": {
        "x": {"field": "label", "type": "ordinal"},
        "y": {"field": "value", "type": "quantitative"},
    },
}


def cached_entries() -> int:
    """How many entries the site's cache (Django's database cache) holds."""
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (the setting's name)
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_the_same_data_is_served_from_the_cache_and_new_data_is_drawn():
    cache.clear()
    first = charts.chart_svg(copy.deepcopy(SPEC))
    assert first.startswith("<svg")
    assert cached_entries() == 1
    assert charts.chart_svg(copy.deepcopy(SPEC)) == first
    assert cached_entries() == 1
    changed = copy.deepcopy(SPEC)
    changed["data"]["values"].append({"label": "2021", "value": 2.0, "series": "Total"})
    second = charts.chart_svg(changed)
    assert second != first
    assert cached_entries() == 2


def test_no_rows_no_chart():
    assert charts.chart_svg({"data": {"values": []}}) == ""

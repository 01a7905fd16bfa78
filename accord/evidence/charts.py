"""One Vega-Lite specification per chart, built here from the rows shown.

The same specification is served as JSON (for a browser or a notebook) and rendered to
SVG on the server with vl-convert (which bundles Vega and needs no network or
JavaScript build), so pages and documents show the same chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.evidence.models import Indicator, Observation

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _series_label(observation: Observation, several_places: bool) -> str:
    parts = [observation.place.name] if several_places else []
    # Open SDG splits an indicator's chart by its series and units first.
    parts += [part for part in (observation.series, observation.units) if part]
    if observation.disaggregation_key:
        parts.append(observation.disaggregation_key.replace(";", ", "))
    return " · ".join(parts) or "Total"


def chart_spec(indicator: Indicator, observations: Iterable[Observation]) -> dict[str, Any]:
    """A line chart over time, one line per place and disaggregation shown."""
    rows = list(observations)
    several_places = len({o.place_id for o in rows}) > 1
    values = [
        {
            "period": o.period_start.isoformat(),
            "label": o.period_label,
            "value": o.value,
            "series": _series_label(o, several_places),
            "status": o.status,
        }
        for o in rows
    ]
    unit = indicator.unit or "value"
    # Yearly figures read best on a year axis; other periods on a time axis.
    yearly = all(o.period_precision == "year" for o in rows)
    x_axis = (
        {"field": "label", "type": "ordinal", "title": "Year", "axis": {"labelAngle": 0}}
        if yearly
        else {"field": "period", "type": "temporal", "title": "Period"}
    )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"{indicator.name} ({unit})",
        "title": {"text": indicator.name, "subtitle": unit},
        "width": 640,
        "height": 320,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": x_axis,
            "y": {"field": "value", "type": "quantitative", "title": unit},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom", "columns": 2, "labelLimit": 320},
            },
            "tooltip": [
                {"field": "series", "type": "nominal", "title": "Series"},
                {"field": "label", "type": "nominal", "title": "Period"},
                {"field": "value", "type": "quantitative", "title": unit, "format": ","},
                {"field": "status", "type": "nominal", "title": "Status"},
            ],
        },
    }


#: How long a drawn chart is kept. The key is the specification itself, data included, so
#: a chart is never served for data it was not drawn from; the time only bounds the store.
CHART_CACHE_SECONDS = 24 * 3600


def chart_svg(spec: dict[str, Any]) -> str:
    """The specification rendered to SVG on the server (text in it is XML-escaped).

    Drawing takes tens of milliseconds and loads Vega into the process, so a chart is
    drawn once per version of its data: kept in the cache under a digest of the whole
    specification (its rows included), drawn again only when a row, a label or the
    layout changes.
    """
    if not spec["data"]["values"]:
        return ""
    import hashlib
    import json

    from django.core.cache import cache

    digest = hashlib.sha256(
        json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()
    key = f"chart-svg:{digest}"
    svg = cache.get(key)
    if svg is None:
        import vl_convert

        svg = str(vl_convert.vegalite_to_svg(spec))
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return str(svg)

"""The briefing pack of a meeting with 30 agenda items, 200 action points to follow up
and 10 charts, as PDF and as DOCX, against rendering the same pack's HTML in the same run.

The charts are Vega-Lite line charts of 40 points rendered to SVG by vl-convert, as the
evidence app renders its charts (without vl-convert: SVG bar charts of similar size),
attached to the agenda items; the data are written with bulk_create.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any

from accord.bench.harness import peak_memory, scenario, timings
from accord.bench.print_peer import chromium_figures
from accord.core.models import Classification
from accord.meetings.models import (
    ActionPoint,
    ActionPointStatus,
    AgendaItem,
    Meeting,
    MeetingStatus,
    MeetingTier,
)
from accord.reports.briefing import (
    Briefing,
    Chart,
    briefing_context,
    briefing_docx,
    briefing_html,
    briefing_pdf,
)

SIZES = {
    "small": {"agenda_items": 5, "action_points": 20, "charts": 2},
    "large": {"agenda_items": 30, "action_points": 200, "charts": 10},
}


def bar_chart_svg(title: str, values: list[float]) -> str:
    """An SVG bar chart with axes, ticks and labels (about 6 kB for 40 bars)."""
    width, height, left, bottom = 520, 220, 40, 30
    top = max(values) or 1.0
    step = (width - left - 10) / len(values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#333"/>',
        f'<line x1="{left}" y1="10" x2="{left}" y2="{height - bottom}" stroke="#333"/>',
    ]
    for tick in range(5):
        y = height - bottom - tick * (height - bottom - 10) / 4
        parts.append(
            f'<text x="{left - 4}" y="{y:.1f}" font-size="8" text-anchor="end">'
            f"{top * tick / 4:.0f}</text>"
        )
    for index, value in enumerate(values):
        bar = (height - bottom - 10) * value / top
        x = left + index * step + 1
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bottom - bar:.1f}" width="{step - 2:.1f}" '
            f'height="{bar:.1f}" fill="#4c78a8"><title>{2000 + index}: {value:.0f}</title></rect>'
        )
        if index % 5 == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 12}" font-size="8">{2000 + index}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def chart_svg(title: str, values: list[float]) -> str:
    """The chart as the evidence app renders its Vega-Lite specifications (vl-convert) when
    it is installed; else an SVG bar chart of similar size."""
    try:
        import vl_convert
    except ImportError:
        return bar_chart_svg(title, values)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "subtitle": "persons"},
        "width": 640,
        "height": 320,
        "data": {
            "values": [
                {"label": str(1985 + n), "value": round(v), "series": "Total"}
                for n, v in enumerate(values)
            ]
        },
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "label", "type": "ordinal", "title": "Year"},
            "y": {"field": "value", "type": "quantitative", "title": "persons"},
            "color": {"field": "series", "type": "nominal", "title": None},
        },
    }
    return str(vl_convert.vegalite_to_svg(spec))


@dataclass
class Context:
    key: str
    agenda_items: int
    action_points: int
    charts: list[Chart]

    def briefing(self) -> Briefing:
        briefing = briefing_context(user=None, key=self.key, today=dt.date(2030, 1, 1))
        for index, chart in enumerate(self.charts):
            briefing.items[index % len(briefing.items)].charts.append(chart)
        return briefing


def setup(scale: str) -> Context:
    size = SIZES[scale]
    code = f"bench-pack-{scale}"
    tier, _created = MeetingTier.objects.get_or_create(code=code, defaults={"name": "Bench tier"})
    rng = random.Random(2016)
    if not tier.meetings.exists():
        previous, meeting = Meeting.objects.bulk_create(
            [
                Meeting(
                    tier=tier,
                    date=dt.date(2029, 3, 1),
                    city="Brussels",
                    status=MeetingStatus.HELD,
                    classification=Classification.PUBLIC,
                    agenda_published_at=dt.datetime(2029, 1, 1, tzinfo=dt.UTC),
                ),
                Meeting(
                    tier=tier,
                    date=dt.date(2030, 3, 1),
                    city="Brussels",
                    status=MeetingStatus.PLANNED,
                    classification=Classification.PUBLIC,
                    agenda_published_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                ),
            ]
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=n,
                title=f"Agenda item {n}: follow-up of the commitments of domain {n % 5 + 1}",
                description="Discussion of progress, gaps and the next steps. " * 3,
                planned_minutes=10,
            )
            for n in range(1, size["agenda_items"] + 1)
        )
        statuses = list(ActionPointStatus.values)
        ActionPoint.objects.bulk_create(
            ActionPoint(
                meeting=previous,
                text=f"Action point {n}: prepare a note on the state of play of item {n % 30}",
                due_date=dt.date(2029, 6, 1) + dt.timedelta(days=rng.randint(0, 400)),
                status=rng.choice(statuses),
                classification=Classification.PUBLIC,
            )
            for n in range(size["action_points"])
        )
    charts = [
        Chart(
            title=f"Indicator {n}: yearly values",
            svg=chart_svg(f"Indicator {n}", [rng.uniform(10, 500) for _ in range(40)]),
        )
        for n in range(size["charts"])
    ]
    return Context(
        key=f"{code}-2",
        agenda_items=size["agenda_items"],
        action_points=size["action_points"],
        charts=charts,
    )


def html(context: Context) -> object:
    return briefing_html(context.briefing(), for_print=True)


def _size(context: Context) -> str:
    return (
        f"{context.agenda_items} agenda items, {context.action_points} action points, "
        f"{len(context.charts)} charts"
    )


def _memory(render: Any) -> Any:
    def extra(context: Context) -> dict[str, Any]:
        with peak_memory() as memory:
            render(context)
        with peak_memory() as floor_memory:
            html(context)
        return {
            "peak_mb": round(memory["peak_mb"], 1),
            "floor_peak_mb": round(floor_memory["peak_mb"], 1),
        }

    return extra


def _pdf_extra(context: Context) -> dict[str, Any]:
    """Memory, and the same HTML printed by Chromium (``bench.print_peer``)."""
    figures = _memory(pdf)(context)
    html_seconds = statistics.median(timings(lambda: html(context), 5))
    figures.update(
        chromium_figures(
            lambda: briefing_html(context.briefing(), for_print=True), html_seconds, repeat=5
        )
    )
    return figures


def pdf(context: Context) -> object:
    return briefing_pdf(context.briefing())


def docx(context: Context) -> object:
    return briefing_docx(context.briefing())


scenario(
    "briefing_pack_pdf",
    goal=3.0,
    floor="same pack's HTML",
    setup=setup,
    baseline=html,
    size=_size,
    repeat=5,
    extra=_pdf_extra,
)(pdf)


def _docx_extra(context: Context) -> dict[str, Any]:
    """Memory, and the pack with none of its charts' images kept (``first_s``: the first
    pack drawn after its charts changed; each process keeps the images it drew)."""
    from accord.reports.word import svg_to_png

    figures = _memory(docx)(context)
    svg_to_png.cache_clear()
    start = time.perf_counter()
    docx(context)
    figures["first_s"] = round(time.perf_counter() - start, 3)
    return figures


scenario(
    "briefing_pack_docx",
    goal=3.0,
    floor="same pack's HTML",
    setup=setup,
    baseline=html,
    size=_size,
    repeat=5,
    extra=_docx_extra,
)(docx)

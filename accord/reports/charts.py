"""Small SVG bar charts for documents whose figures are not an evidence indicator
(progress and coverage per domain in a progress report). Text is XML-escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape


def horizontal_bars(title: str, bars: list[tuple[str, float | None]], *, unit: str = "") -> str:
    """One bar per (label, value), scaled to the largest (or to 100 for percentages);
    a value of None (nothing to measure) is drawn as a dash."""
    width, row, left, top_margin = 640, 22, 260, 28
    height = top_margin + row * max(1, len(bars)) + 10
    known = [value for _label, value in bars if value is not None]
    top = 100.0 if unit == "%" else max(known, default=0.0) or 1.0
    span = width - left - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(bars):
        y = top_margin + index * row
        length = span * max(0.0, value or 0.0) / top
        shown = "—" if value is None else f"{value:,.0f}{unit}"
        short = label if len(label) <= 42 else label[:41] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" font-size="10" text-anchor="end">'
            f"{escape(short)}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 7}" '
            f'fill="#4c78a8"/>'
            f'<text x="{left + length + 4:.1f}" y="{y + 14}" font-size="10">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)

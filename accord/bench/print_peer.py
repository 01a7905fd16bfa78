"""Another engine for the briefing pack's PDF, from the same HTML: Chromium's printing.

The pack is rendered to PDF by WeasyPrint (``reports.engines.html_to_pdf``). To tell what
the layout itself costs, and whether an engine reaches the goal from the same template,
the bench prints the same HTML (its styles are inline) with Chromium through Playwright,
the browser the browser tests use. The browser is started once, untimed, as a rendering
service would keep it; each timed print loads the HTML and lays it out to an A4 PDF.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def chromium_print_timings(html: str, repeat: int) -> tuple[list[float], int] | None:
    """Seconds for each of ``repeat`` prints of ``html`` (after one untimed), and the last
    PDF's size; None without Playwright or a Chromium to drive."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    seconds: list[float] = []
    size = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            for run in range(repeat + 1):
                start = time.perf_counter()
                page.set_content(html, wait_until="load")
                pdf = page.pdf(format="A4", print_background=True)
                if run:
                    seconds.append(time.perf_counter() - start)
                size = len(pdf)
        finally:
            browser.close()
    return seconds, size


def chromium_figures(html: Callable[[], str], html_seconds: float, repeat: int) -> dict[str, Any]:
    """The print's median and the whole chain's ratio to the HTML: reading and rendering
    the pack (``html_seconds``, the scenario's floor) plus Chromium's print."""
    printed = chromium_print_timings(html(), repeat)
    if printed is None:
        return {"chromium": "not available (Playwright and /usr/bin/chromium)"}
    seconds, size = printed
    median = statistics.median(seconds)
    return {
        "chromium_print_median_s": round(median, 4),
        "chromium_ratio": round((html_seconds + median) / html_seconds, 2),
        "chromium_pdf_bytes": size,
    }

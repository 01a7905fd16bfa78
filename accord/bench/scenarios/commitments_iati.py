"""``iati_import``: importing a generated IATI file (dry run: everything is written, then
rolled back) against a bare streaming parse of the same file (goal 5); and
``iati_import_memory``: the same import of a bigger file, reporting the peak resident
memory it added (goal: at most 300 MB) beside the time ratio.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings

from accord.bench.harness import scenario
from accord.bench.scenarios.commitments_data import SIZES, _reference
from accord.commitments.iati import bare_parse, import_iati
from accord.commitments.models import Initiative


def write_iati_file(
    path: Path, activities: int, *, padding: int = 200, seed: int = 2016, prefix: str = "XM-BENCH-"
) -> Path:
    """A well-formed IATI 2.03 file of ``activities`` activities, written as a stream,
    their identifiers ``prefix`` and a number."""
    rng = random.Random(seed)
    filler = "Support to migrants and communities. " * (padding // 37 + 1)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for n in range(activities):
            country = rng.choice(["SO", "ET", "NE", "ML", "SN", "GM", "NG", "LY"])
            start = dt.date(rng.randint(2016, 2023), rng.randint(1, 12), 1)
            out.write(
                f"""<iati-activity default-currency="USD" xml:lang="en">
 <iati-identifier>{prefix}{n:07d}</iati-identifier>
 <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration (IOM)</narrative></reporting-org>
 <title><narrative>Bench activity {n}</narrative><narrative xml:lang="fr">Activité {n}</narrative></title>
 <description><narrative>{escape(filler[:padding])}</narrative></description>
 <participating-org ref="XI-IATI-EC_INTPA" role="1" type="15"><narrative>European Commission</narrative></participating-org>
 <participating-org ref="XM-DAC-47066" role="4" type="40"><narrative>International Organization for Migration (IOM)</narrative></participating-org>
 <activity-status code="{rng.choice("1234")}"/>
 <activity-date iso-date="{start.isoformat()}" type="2"/>
 <activity-date iso-date="{start.replace(year=start.year + 2).isoformat()}" type="3"/>
 <recipient-country code="{country}" percentage="100"/>
 <sector code="15190" vocabulary="1"/>
 <budget type="1" status="2"><period-start iso-date="{start.isoformat()}"/><period-end iso-date="{start.replace(year=start.year + 1).isoformat()}"/><value currency="USD" value-date="{start.isoformat()}">{rng.randint(10_000, 5_000_000)}</value></budget>
 <transaction><transaction-type code="11"/><transaction-date iso-date="{start.isoformat()}"/><value currency="USD" value-date="{start.isoformat()}">{rng.randint(10_000, 5_000_000)}</value><provider-org ref="XI-IATI-EC_INTPA"><narrative>European Commission</narrative></provider-org></transaction>
 <result type="1"><title><narrative>Migrants assisted</narrative></title></result>
</iati-activity>
"""
            )
        out.write("</iati-activities>\n")
    return path


@dataclass
class ImportContext:
    path: Path
    activities: int
    peak_mb: float | None = None


def _iati_setup(
    scale: str, key: str, padding: int, *, prefix: str = "XM-BENCH-", name: str = ""
) -> ImportContext:
    _reference()
    activities = SIZES[scale][key]
    path = Path(settings.DATA_DIR) / f"bench-iati-{scale}-{name or key}.xml"
    if not path.exists():
        write_iati_file(path, activities, padding=padding, prefix=prefix)
    return ImportContext(path=path, activities=activities)


def import_setup(scale: str) -> ImportContext:
    """The file to import afresh: no initiative of it kept (by an older run, say)."""
    Initiative.objects.filter(iati_identifier__startswith="XM-BENCH-").delete()
    return _iati_setup(scale, "iati", 200)


def run_import(context: ImportContext) -> object:
    """Everything is written, then rolled back, so each run imports the same file anew."""
    return import_iati(context.path, dry_run=True)


@scenario(
    "iati_import",
    goal=5.0,
    floor="bare streaming parse",
    setup=import_setup,
    baseline=lambda c: bare_parse(c.path),
    size=lambda c: f"{c.activities} activities, {c.path.stat().st_size / 1e6:.0f} MB",
    repeat=3,
)
def iati_import(context: ImportContext) -> object:
    return run_import(context)


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_during(function: Any) -> float:
    """Peak resident memory (MB) added while ``function`` runs, sampled every 10 ms.

    Resident memory, not only the Python heap: lxml's tree lives in C memory, which
    tracemalloc does not see.
    """
    start = _rss_mb()
    peak = start
    running = True

    def sample() -> None:
        nonlocal peak
        while running:
            peak = max(peak, _rss_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        function()
    finally:
        running = False
        sampler.join()
    return max(peak, _rss_mb()) - start


def memory_setup(scale: str) -> ImportContext:
    context = _iati_setup(scale, "iati_memory", SIZES[scale]["padding"])
    context.peak_mb = peak_rss_during(lambda: run_import(context))
    return context


@scenario(
    "iati_import_memory",
    goal=5.0,
    floor="bare streaming parse",
    setup=memory_setup,
    baseline=lambda c: bare_parse(c.path),
    size=lambda c: f"{c.activities} activities, {c.path.stat().st_size / 1e6:.0f} MB",
    repeat=1,
    extra=lambda c: {
        "peak_rss_added_mb": round(c.peak_mb or 0, 1),
        "memory_goal_mb": 300,
        "memory_met": (c.peak_mb or 0) <= 300,
    },
)
def iati_import_memory(context: ImportContext) -> object:
    return run_import(context)

"""IATI in and out at scale, and a large CSV of figures.

- ``iati_import_floor``: the IATI import (dry run) against its floor, the bare streaming
  parse plus the database's bulk load of the same rows (initiatives, their history rows,
  places and fundings, through the same COPY / multi-row insert path; rolled back), goal 3.
- ``iati_export``: writing the initiatives as IATI XML (the selector's rows, the
  activities built and streamed) against a bare lxml write of the same elements from
  values read beforehand, goal 3.
- ``csv_rows_memory``: importing a good CSV of figures (2 million rows at ``large``)
  through the observations import, reporting the resident memory it added (flat:
  streamed to the database) against reading the same file bare.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from lxml import etree

from accord.bench.harness import scenario
from accord.bench.scenarios.commitments import (
    ImportContext,
    _iati_setup,
    import_setup,
    peak_rss_during,
    run_import,
)
from accord.commitments.bulk import Table
from accord.commitments.iati import import_iati
from accord.commitments.iati_export import export_iati
from accord.commitments.models import Funding, Initiative, InitiativePlace
from accord.core import places
from accord.core.importing import xml
from accord.partners.models import Organisation

SIZES = {
    "small": {"export": 2_000, "csv_rows": 200_000},
    "large": {"export": 50_000, "csv_rows": 2_000_000},
}


EXPORT_PREFIX = "XM-EXPORT-"


def parse_and_load(path: Path) -> int:
    """The floor: stream the file and bulk-load the rows an import writes, rolled back."""
    history = Initiative.history.model
    tracked = [f.attname for f in history.tracked_fields if f.attname != "id"]
    now = timezone.now()
    defaults = {f.attname: f.get_default() for f in Initiative._meta.concrete_fields}
    defaults |= {"origin": "imported", "created_at": now, "updated_at": now}
    table = Table(Initiative, tracked)
    history_table = Table(
        history, ["id", *tracked, "history_date", "history_change_reason", "history_type"]
    )
    place_table = Table(InitiativePlace, ["initiative_id", "code", "kind", "percentage"])
    funding_table = Table(
        Funding, ["initiative_id", "funder_id", "funder_name", "amount", "currency", "value_date"]
    )
    count = 0
    with transaction.atomic(), open(path, "rb") as handle:
        rows: list[tuple[list[Any], list[Any], list[Any]]] = []

        def flush() -> None:
            params = [table.adapt(row) for row, _p, _f in rows]
            ids = table.insert(params, returning=True)
            history_table.insert(
                [[pk, *values, now, "", "+"] for pk, values in zip(ids, params, strict=True)]
            )
            place_table.insert(
                [place_table.adapt([pk, *p]) for pk, (_r, p, _f) in zip(ids, rows, strict=True)]
            )
            funding_table.insert(
                [funding_table.adapt([pk, *f]) for pk, (_r, _p, f) in zip(ids, rows, strict=True)]
            )
            rows.clear()

        for activity in xml.iterate(handle, tag="{*}iati-activity"):
            values = dict(defaults)
            # Its own identifiers: initiatives an earlier scenario kept do not collide.
            values["iati_identifier"] = f"{activity.findtext('iati-identifier')}-floor"
            values["title"] = {"en": activity.findtext("title/narrative") or ""}
            dates = {d.get("type"): d.get("iso-date") for d in activity.iterfind("activity-date")}
            values["start_on"] = dt.date.fromisoformat(dates.get("2") or "2020-01-01")
            values["end_on"] = dt.date.fromisoformat(dates.get("3") or "2020-01-01")
            country = activity.find("recipient-country")
            code = places.country(country.get("code")) if country is not None else None
            value = activity.find("budget/value")
            rows.append(
                (
                    [values[name] for name in tracked],
                    [code.code if code else "001", "country", 100],
                    [
                        None,
                        "European Commission",
                        value.text if value is not None else 0,
                        "USD",
                        None,
                    ],
                )
            )
            count += 1
            if len(rows) >= 1_000:
                flush()
        if rows:
            flush()
        transaction.set_rollback(True)
    return count


@scenario(
    "iati_import_floor",
    goal=3.0,
    floor="bare streaming parse + bulk load of the same rows",
    setup=import_setup,
    baseline=lambda c: parse_and_load(c.path),
    size=lambda c: f"{c.activities} activities, {c.path.stat().st_size / 1e6:.0f} MB",
    repeat=3,
)
def iati_import_floor(context: ImportContext) -> object:
    return run_import(context)


@dataclass
class ExportContext:
    initiatives: int
    rows: list[dict[str, Any]] = field(default_factory=list)


def export_setup(scale: str) -> ExportContext:
    wanted = SIZES[scale]["export"]
    # Initiatives of their own: the import scenarios' dry runs keep creating theirs.
    context = _iati_setup(scale, "iati", 200, prefix=EXPORT_PREFIX, name="export")
    if Initiative.objects.filter(iati_identifier__startswith=EXPORT_PREFIX).count() < wanted:
        import_iati(context.path)
    Organisation.objects.filter(acronym="IOM").update(iati_identifier="XM-DAC-47066")
    # Fresh planner statistics, as autovacuum gives after a load this size: read with
    # those of before the import, PostgreSQL joined each chunk's initiatives to their
    # partner by a scan of every organisation, one initiative at a time (1 s a chunk).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queryset = Initiative.objects.filter(iati_identifier__startswith=EXPORT_PREFIX).order_by("pk")
    rows = list(
        queryset[:wanted].values("pk", "iati_identifier", "title", "status", "start_on", "end_on")
    )
    return ExportContext(initiatives=len(rows), rows=rows)


def _queryset(context: ExportContext) -> Any:
    """The initiatives as a list's filters choose them (not a list of ids)."""
    last = context.rows[-1]["pk"] if context.rows else 0
    return Initiative.objects.filter(iati_identifier__startswith=EXPORT_PREFIX, pk__lte=last)


def bare_write(context: ExportContext) -> int:
    """The floor: the same elements written by lxml from values read beforehand."""
    output = io.BytesIO()
    with (
        etree.xmlfile(output, encoding="utf-8") as xf,
        xf.element("iati-activities", {"version": "2.03"}),
    ):
        for row in context.rows:
            activity = etree.Element("iati-activity", {"default-currency": "USD"})
            etree.SubElement(activity, "iati-identifier").text = row["iati_identifier"]
            org = etree.SubElement(activity, "reporting-org", ref="XM-DAC-47066", type="40")
            etree.SubElement(org, "narrative").text = "International Organization for Migration"
            for tag in ("title", "description"):
                etree.SubElement(etree.SubElement(activity, tag), "narrative").text = row["title"][
                    "en"
                ]
            etree.SubElement(activity, "participating-org", role="2", ref="XM-DAC-47066")
            etree.SubElement(activity, "activity-status", code="2")
            etree.SubElement(
                activity, "activity-date", {"iso-date": str(row["start_on"]), "type": "2"}
            )
            etree.SubElement(
                activity, "activity-date", {"iso-date": str(row["end_on"]), "type": "3"}
            )
            etree.SubElement(activity, "recipient-country", code="SO", percentage="100")
            etree.SubElement(activity, "sector", code="15190", vocabulary="1")
            budget = etree.SubElement(activity, "budget", type="1", status="2")
            etree.SubElement(budget, "period-start", {"iso-date": str(row["start_on"])})
            etree.SubElement(budget, "period-end", {"iso-date": str(row["end_on"])})
            value = etree.SubElement(budget, "value", currency="USD")
            value.set("value-date", str(row["start_on"]))
            value.text = "1000.00"
            xf.write(activity)
    return len(context.rows)


@scenario(
    "iati_export",
    goal=3.0,
    floor="bare lxml write of the same elements",
    setup=export_setup,
    baseline=bare_write,
    size=lambda c: f"{c.initiatives} initiatives",
    repeat=3,
)
def iati_export(context: ExportContext) -> object:
    return export_iati(_queryset(context), io.BytesIO())


@dataclass
class CsvContext:
    path: Path
    rows: int
    peak_mb: float | None = None


def _write_csv(path: Path, rows: int) -> None:
    codes = sorted({info.code for info in places._countries().values() if info.code.isdigit()})
    written = 0
    with path.open("w") as handle:
        handle.write("Year,GeoCode,Age,Value\n")
        for age in range(1000):
            for year in range(1950, 2020):
                for code in codes[:200]:
                    if written == rows:
                        return
                    handle.write(f"{year},{code},{age},{written % 997}\n")
                    written += 1


def csv_setup(scale: str) -> CsvContext:
    from accord.evidence.importing import Options, observations_import
    from accord.evidence.models import Indicator

    rows = SIZES[scale]["csv_rows"]
    path = Path(settings.DATA_DIR) / f"bench-figures-{rows}.csv"
    if not path.exists():
        _write_csv(path, rows)
    Indicator.objects.get_or_create(code="BENCH_ROWS", defaults={"name": "Bench rows"})
    context = CsvContext(path=path, rows=rows)

    def run() -> None:
        options = Options(indicator="BENCH_ROWS", dataset="bench-rows", dry_run=True)
        observations_import(path=path, options=options)

    context.peak_mb = peak_rss_during(run)
    return context


def bare_read(context: CsvContext) -> int:
    with context.path.open(newline="") as handle:
        return sum(1 for _row in csv.reader(handle))


@scenario(
    "csv_rows_memory",
    goal=5.0,
    floor="bare csv read of the file",
    setup=csv_setup,
    baseline=bare_read,
    size=lambda c: f"{c.rows} rows, {c.path.stat().st_size / 1e6:.0f} MB",
    repeat=1,
    extra=lambda c: {"peak_rss_added_mb": round(c.peak_mb or 0, 1), "flat": (c.peak_mb or 0) < 300},
)
def csv_rows_memory(context: CsvContext) -> object:
    from accord.evidence.importing import Options, observations_import

    options = Options(indicator="BENCH_ROWS", dataset="bench-rows", dry_run=True)
    return observations_import(path=context.path, options=options)

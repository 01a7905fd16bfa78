"""Evidence at scale: reading observations (the import: :mod:`.evidence_import`).

- ``evidence_series``: one indicator's yearly totals for one place, through the selector
  the API uses (``observation_rows``, each row made into the dict the API returns),
  against the same query in raw SQL; DuckDB over the
  same rows is reported as an extra figure when it is installed.
- ``evidence_cross_place``: one indicator's totals for every place in one year, likewise.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client

from accord.bench import generate_evidence
from accord.bench.harness import scenario
from accord.evidence import selectors
from accord.evidence.models import Indicator, Place

DUCKDB_RUNS = 30


@dataclass
class ReadContext:
    data: generate_evidence.Observations
    step: int = 0
    duckdb: Any = None
    client: Client = field(default_factory=Client)

    def next_pick(self) -> tuple[Indicator, Place, int]:
        self.step += 1
        indicators, places, years = self.data.indicators, self.data.places, self.data.years
        return (
            indicators[self.step % len(indicators)],
            places[(self.step * 7) % len(places)],
            years[(self.step * 3) % len(years)],
        )


_CACHE: dict[str, ReadContext] = {}


def read_setup(scale: str) -> ReadContext:
    if scale not in _CACHE:
        _CACHE[scale] = ReadContext(data=generate_evidence.observations(scale))
    return _CACHE[scale]


SELECT = """
SELECT o.id, o.indicator_id, o.place_id, o.period_start, o.period_end, o.period_precision,
       o.disaggregation_key, o.disaggregation, o.value, o.status, o.source, o.source_url,
       o.note, o.dataset_id, p.id, p.code, p.name, p.kind, p.iso2, p.iso3, d.source
FROM evidence_observation o
JOIN evidence_place p ON p.id = o.place_id
LEFT JOIN evidence_dataset d ON d.id = o.dataset_id
"""
SERIES_SQL = (
    SELECT + "WHERE o.indicator_id = %s AND o.place_id = %s AND o.disaggregation_key = '' "
    "ORDER BY p.name, o.period_start, o.disaggregation_key"
)
CROSS_SQL = (
    SELECT + "WHERE o.indicator_id = %s AND o.period_start >= %s AND o.period_end <= %s "
    "AND o.disaggregation_key = '' ORDER BY p.name, o.period_start, o.disaggregation_key"
)


def _raw(sql: str, params: list[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def series_accord(context: ReadContext) -> object:
    indicator, place, _year = context.next_pick()
    chosen = selectors.ObservationFilter(places=[place], totals_only=True)
    return list(selectors.observation_rows(indicator, chosen).as_dicts())


def series_sql(context: ReadContext) -> object:
    indicator, place, _year = context.next_pick()
    return _raw(SERIES_SQL, [indicator.pk, place.pk])


def cross_accord(context: ReadContext) -> object:
    indicator, _place, year = context.next_pick()
    chosen = selectors.ObservationFilter(
        start=generate_evidence.dt.date(year, 1, 1),
        end=generate_evidence.dt.date(year, 12, 31),
        totals_only=True,
    )
    return list(selectors.observation_rows(indicator, chosen).as_dicts())


def cross_sql(context: ReadContext) -> object:
    indicator, _place, year = context.next_pick()
    return _raw(CROSS_SQL, [indicator.pk, f"{year}-01-01", f"{year}-12-31"])


def _duckdb(context: ReadContext) -> Any:
    """The same rows in an in-memory DuckDB table, exported through the DB's fast path."""
    if context.duckdb is not None:
        return context.duckdb
    try:
        import duckdb
    except ImportError:
        return None
    folder = Path(tempfile.mkdtemp(prefix="accord-bench-duckdb-"))
    path = folder / "observations.csv"
    query = (
        "SELECT o.indicator_id, o.place_id, p.name AS place_name, o.period_start, "
        "o.period_end, o.disaggregation_key, o.value FROM evidence_observation o "
        "JOIN evidence_place p ON p.id = o.place_id "
        f"WHERE o.indicator_id IN ({', '.join(str(i.pk) for i in context.data.indicators)})"
    )
    with connection.cursor() as cursor, path.open("wb") as handle:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV HEADER") as copy:
                for block in copy:
                    handle.write(block)
        else:
            cursor.execute(query)
            writer = csv.writer(_TextSink(handle))
            writer.writerow(
                [
                    "indicator_id",
                    "place_id",
                    "place_name",
                    "period_start",
                    "period_end",
                    "disaggregation_key",
                    "value",
                ]
            )
            while rows := cursor.fetchmany(50_000):
                writer.writerows(rows)
    database = duckdb.connect()
    database.execute(
        "CREATE TABLE observation AS SELECT * FROM read_csv(?, header=true, "
        "quote='\"', escape='\"', types={'disaggregation_key': 'VARCHAR', "
        "'period_start': 'DATE', 'period_end': 'DATE'})",
        [str(path)],
    )
    shutil.rmtree(folder, ignore_errors=True)
    context.duckdb = database
    return database


class _TextSink:
    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def write(self, text: str) -> int:
        return self.handle.write(text.encode())


def _median(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


def _duckdb_extra(context: ReadContext, sql: str, params_for: Any, accord: Any) -> dict[str, Any]:
    database = _duckdb(context)
    extra: dict[str, Any] = {"rows_in_table": context.data.rows}
    if database is None:
        extra["duckdb"] = "not installed"
        return extra
    samples, accord_samples = [], []
    for _ in range(DUCKDB_RUNS):
        params = params_for(context)
        start = time.perf_counter()
        database.execute(sql, params).fetchall()
        samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        accord(context)
        accord_samples.append(time.perf_counter() - start)
    extra["duckdb_median_s"] = round(_median(samples), 6)
    extra["ratio_to_duckdb"] = round(_median(accord_samples) / _median(samples), 3)
    return extra


# DuckDB reads an empty CSV field as NULL: the total's key is NULL there.
DUCK_SERIES = (
    "SELECT * FROM observation WHERE indicator_id = ? AND place_id = ? "
    "AND coalesce(disaggregation_key, '') = '' ORDER BY place_name, period_start"
)
DUCK_CROSS = (
    "SELECT * FROM observation WHERE indicator_id = ? AND period_start >= ? AND period_end <= ? "
    "AND coalesce(disaggregation_key, '') = '' ORDER BY place_name, period_start"
)


def _series_params(context: ReadContext) -> list[Any]:
    indicator, place, _year = context.next_pick()
    return [indicator.pk, place.pk]


def _cross_params(context: ReadContext) -> list[Any]:
    indicator, _place, year = context.next_pick()
    return [indicator.pk, f"{year}-01-01", f"{year}-12-31"]


def _size(context: ReadContext) -> str:
    data = context.data
    return (
        f"{data.rows} observations ({len(data.indicators)} indicators x {len(data.places)} "
        f"places x {len(data.years)} years x {len(generate_evidence.BREAKDOWNS)} breakdowns)"
    )


@scenario(
    "evidence_series",
    goal=2.0,
    floor="raw SQL",
    setup=read_setup,
    baseline=series_sql,
    size=_size,
    extra=lambda c: _duckdb_extra(c, DUCK_SERIES, _series_params, series_accord),
)
def evidence_series(context: ReadContext) -> object:
    return series_accord(context)


@scenario(
    "evidence_cross_place",
    goal=2.0,
    floor="raw SQL",
    setup=read_setup,
    baseline=cross_sql,
    size=_size,
    extra=lambda c: _duckdb_extra(c, DUCK_CROSS, _cross_params, cross_accord),
)
def evidence_cross_place(context: ReadContext) -> object:
    return cross_accord(context)

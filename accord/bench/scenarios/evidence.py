"""Evidence at scale: reading observations, and importing a CSV.

- ``evidence_series``: one indicator's yearly totals for one place, through the selector
  the API uses (``observation_rows``, each row made into the dict the API returns),
  against the same query in raw SQL; DuckDB over the
  same rows is reported as an extra figure when it is installed.
- ``evidence_cross_place``: one indicator's totals for every place in one year, likewise.
- ``evidence_import_csv``: a tidy CSV imported by Accord (``--dry-run``: every row read,
  checked and written through the bulk path, then rolled back) against the database's
  own bulk loader reading the same file into a bare table (PostgreSQL ``COPY``; SQLite:
  the ``sqlite3`` command line's ``.import``, else ``executemany`` from Python's csv
  reader, which the ``floor`` field then names). A dry run skips the commit, and with it
  PostgreSQL's deferred foreign-key checks, so one committed import is also timed
  (``committed_import_s``). Beside the floor, the database's loader writing the same
  observations into the observation table itself (``table_load_s``: its indexes and
  constraints, which the bare table lacks) shows what keeping the rows costs. Peak
  memory importing a large file (1 GB at ``large``) is reported as ``peak_mb`` against a
  goal of 300 MB.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings

from accord.bench import generate_evidence
from accord.bench.harness import scenario
from accord.evidence import selectors
from accord.evidence.importing import Options, observations_import
from accord.evidence.models import Dataset, Indicator, Observation, Place

IMPORT_ROWS = {"test": 2_000, "small": 100_000, "large": 1_000_000}
MEMORY_FILE_MB = {"test": 1, "small": 3, "large": 1_000}
MEMORY_GOAL_MB = 300
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


# --- import ----------------------------------------------------------------------------


@dataclass
class ImportContext:
    scale: str
    path: Path
    rows: int
    indicator: str
    floor: str


def _sqlite_cli() -> str | None:
    return shutil.which("sqlite3")


def _floor() -> str:
    if connection.vendor == "postgresql":
        return "PostgreSQL COPY of the same file into a bare table"
    if _sqlite_cli():
        return "sqlite3 .import of the same file into a bare table"
    return "Python csv reader + sqlite3 executemany into a bare table (no sqlite3 CLI)"


def import_setup(scale: str) -> ImportContext:
    folder = Path(settings.DATA_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    rows = IMPORT_ROWS[scale]
    path = generate_evidence.tidy_csv(folder / f"import-{rows}.csv", rows)
    Indicator.objects.get_or_create(
        code="BENCH_IMPORT", defaults={"name": "Benchmark import", "unit": "persons"}
    )
    return ImportContext(scale, path, rows, "BENCH_IMPORT", _floor())


FLOOR_TABLE = "bench_import_floor"
FLOOR_DDL = f"CREATE TABLE {FLOOR_TABLE} (year text, geocode text, sex text, age text, value float)"


def import_floor(context: ImportContext) -> object:
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
            cursor.execute(FLOOR_DDL)
            sql = f"COPY {FLOOR_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)"
            with cursor.cursor.copy(sql) as copy, context.path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    copy.write(block)
            cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
        return None
    database = str(connection.settings_dict["NAME"])
    cli = _sqlite_cli()
    if cli:
        subprocess.run(  # noqa: S603 - fixed arguments, a file this benchmark wrote
            [
                cli,
                database,
                f"DROP TABLE IF EXISTS {FLOOR_TABLE};",
                FLOOR_DDL + ";",
                f".import --csv --skip 1 {context.path} {FLOOR_TABLE}",
                f"DROP TABLE {FLOOR_TABLE};",
            ],
            check=True,
            capture_output=True,
        )
        return None
    with transaction.atomic(), connection.cursor() as cursor, context.path.open() as handle:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(FLOOR_DDL)
        reader = csv.reader(handle)
        next(reader)
        cursor.executemany(f"INSERT INTO {FLOOR_TABLE} VALUES (%s, %s, %s, %s, %s)", list(reader))
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    return None


def _import(context: ImportContext, path: Path) -> object:
    return observations_import(
        path=path,
        options=Options(
            indicator=context.indicator, dataset=f"bench-import-{path.name}", dry_run=True
        ),
    )


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1000
    return float("nan")


def _peak_memory_mb(run: Any) -> dict[str, Any]:
    """Peak memory while ``run()`` runs: on Linux the whole process's resident-set
    high-water mark, reset just before through /proc/self/clear_refs (so it includes
    Django and whatever the process held already); elsewhere the peak of Python's heap
    (tracemalloc)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        tracemalloc.start()
        try:
            run()
            peak = tracemalloc.get_traced_memory()[1] / 1e6
        finally:
            tracemalloc.stop()
        return {"peak_mb": round(peak, 1), "peak_measure": "Python heap peak (tracemalloc)"}
    before = _rss_mb("VmRSS")
    run()
    peak = _rss_mb("VmHWM")
    return {
        "peak_mb": round(peak, 1),
        "peak_measure": "the process's peak resident set (VmHWM) during the import, whole process",
        "process_rss_before_mb": round(before, 1),
    }


def _committed_import_s(context: ImportContext) -> float:
    """One import kept (committed, foreign keys checked), timed once, then removed."""
    name = f"bench-import-committed-{context.path.name}"
    start = time.perf_counter()
    observations_import(
        path=context.path, options=Options(indicator=context.indicator, dataset=name)
    )
    seconds = time.perf_counter() - start
    Dataset.objects.filter(name=name).delete()
    return seconds


TABLE_COLUMNS = [
    "indicator_id",
    "place_id",
    "period_start",
    "period_end",
    "period_precision",
    "disaggregation_key",
    "disaggregation",
    "value",
    "status",
    "source",
    "source_url",
    "note",
    "dataset_id",
]


def _observation_rows(context: ImportContext) -> list[tuple[Any, ...]]:
    """The file's rows as the observations the import writes (ids and dates resolved)."""
    from accord.evidence.importing import disaggregation_key
    from accord.evidence.periods import parse_period
    from accord.evidence.places import PlaceResolver

    resolver = PlaceResolver.from_database()
    indicator = Indicator.objects.get(code=context.indicator).pk
    rows = []
    with context.path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for period, place, sex, age, value in reader:
            start, end, precision = parse_period(period)
            breakdown = {k: v for k, v in (("sex", sex), ("age", age)) if v}
            found = resolver.resolve(place)
            rows.append(
                (
                    indicator,
                    found.pk if found is not None else None,
                    start,
                    end,
                    str(precision),
                    disaggregation_key(breakdown),
                    json.dumps(breakdown, sort_keys=True),
                    float(value),
                    "final",
                    "",
                    "",
                    "",
                    None,
                )
            )
    return rows


def _table_load_s(context: ImportContext) -> float:
    """The database's own loader writing the same observations into the observation
    table itself (its indexes and constraints), rolled back: what the rows cost to keep."""
    rows = _observation_rows(context)
    if any(row[1] is None for row in rows):  # places the import has not saved yet
        return float("nan")
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in TABLE_COLUMNS)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(TABLE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def import_extra(context: ImportContext) -> dict[str, Any]:
    committed = _committed_import_s(context)
    _import(context, context.path)  # the places it names are saved by the committed run
    table_load = min(_table_load_s(context) for _ in range(3))
    folder = Path(settings.DATA_DIR) / "bench"
    big = generate_evidence.tidy_csv_of_size(
        folder / f"import-{MEMORY_FILE_MB[context.scale]}mb.csv", MEMORY_FILE_MB[context.scale]
    )
    start = time.perf_counter()
    # A 1 GB file holds more rows than the import's default bound (ACCORD_IMPORT_MAX_ROWS).
    with override_settings(ACCORD_IMPORT_MAX_ROWS=10**9):
        memory = _peak_memory_mb(lambda: _import(context, big))
    seconds = time.perf_counter() - start
    size_mb = os.path.getsize(big) / 1e6
    return {
        "rows": context.rows,
        "file_mb": round(os.path.getsize(context.path) / 1e6, 1),
        "committed_import_s": round(committed, 3),
        "table_load_s": round(table_load, 3),
        "table_load": "the database's loader writing the same observations into the "
        "observation table (indexes, constraints), rolled back",
        "memory_file_mb": round(size_mb, 1),
        "memory_import_s": round(seconds, 1),
        **memory,
        "memory_goal_mb": MEMORY_GOAL_MB,
        "memory_met": memory["peak_mb"] <= MEMORY_GOAL_MB,
    }


@scenario(
    "evidence_import_csv",
    goal=3.0,
    floor=_floor(),
    setup=import_setup,
    baseline=import_floor,
    size=lambda c: f"{c.rows} rows tidy CSV; floor: {c.floor}",
    repeat=3,
    extra=import_extra,
)
def evidence_import_csv(context: ImportContext) -> object:
    return _import(context, context.path)

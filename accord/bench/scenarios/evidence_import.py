"""Evidence at scale: importing a CSV of figures.

- ``evidence_import_csv``: a tidy CSV imported by Accord (``--dry-run``: every row read,
  checked and written through the bulk path, then rolled back) against the database's
  own loader writing the same observations into the observation table (PostgreSQL
  ``COPY``, SQLite ``executemany``; ids, periods and breakdowns resolved beforehand,
  untimed; rolled back): the least that keeping the same rows costs, with the table's
  unique key, index and constraints. The same loader reading the file into a bare table
  (no index: PostgreSQL ``COPY``; SQLite the ``sqlite3`` command line's ``.import``,
  else ``executemany`` from Python's csv reader) is reported beside it
  (``bare_table_load_s``, ``ratio_to_bare_table``): what the table's keys cost. A dry run
  skips the commit, and with it PostgreSQL's deferred foreign-key checks, so one
  committed import is also timed (``committed_import_s``). Peak memory importing a large
  file (1 GB at ``large``) is reported as ``peak_mb`` against a goal of 300 MB.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

from accord.bench import generate_evidence
from accord.bench.harness import scenario
from accord.evidence.datasets import OBSERVATION_COLUMNS
from accord.evidence.importing import Options, observations_import
from accord.evidence.models import Dataset, Indicator, Observation

IMPORT_ROWS = {"test": 2_000, "small": 100_000, "large": 1_000_000}
MEMORY_FILE_MB = {"test": 1, "small": 3, "large": 1_000}
MEMORY_GOAL_MB = 300


def _median(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


@dataclass
class ImportContext:
    scale: str
    path: Path
    rows: int
    indicator: str
    floor: str
    committed_s: float = float("nan")
    table_rows: list[tuple[Any, ...]] = field(default_factory=list)


def _sqlite_cli() -> str | None:
    return shutil.which("sqlite3")


def _floor() -> str:
    loader = "PostgreSQL COPY" if connection.vendor == "postgresql" else "sqlite3 executemany"
    return f"{loader} of the same observations into the observation table"


def _bare_floor() -> str:
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
    context = ImportContext(scale, path, rows, "BENCH_IMPORT", _floor())
    # One committed import saves the places the file names; the floor's rows need them.
    context.committed_s = _committed_import_s(context)
    context.table_rows = _observation_rows(context)
    return context


FLOOR_TABLE = "bench_import_floor"
FLOOR_DDL = f"CREATE TABLE {FLOOR_TABLE} (year text, geocode text, sex text, age text, value float)"


def import_floor(context: ImportContext) -> object:
    """The floor: the database's loader writing the same observations, rolled back."""
    return _table_load_s(context)


def bare_table_load(context: ImportContext) -> object:
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


# The observation table's columns as the import writes them: a row's figures and its dataset.
TABLE_COLUMNS = [*OBSERVATION_COLUMNS, "dataset_id"]


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
    rows = context.table_rows
    if any(row[1] is None for row in rows):  # places the import has not saved yet
        raise RuntimeError("the file names places the committed import did not save")
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
    bare = []
    for _ in range(3):
        start = time.perf_counter()
        bare_table_load(context)
        bare.append(time.perf_counter() - start)
    imports = []
    for _ in range(3):
        start = time.perf_counter()
        _import(context, context.path)
        imports.append(time.perf_counter() - start)
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
        "committed_import_s": round(context.committed_s, 3),
        "bare_table_load_s": round(_median(bare), 3),
        "bare_table_load": _bare_floor(),
        "ratio_to_bare_table": round(_median(imports) / _median(bare), 3),
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

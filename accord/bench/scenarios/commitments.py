"""Commitments at scale: coverage of the JVAP tree, the faceted initiative list, IATI import.

- ``commitments_coverage``: the instrument coverage selector against DuckDB computing the
  same roll-up from a copy of the same tables (goal 3). Coverage keeps the figures it
  read until the data change (:mod:`accord.commitments.coverage_store`): the timed reads
  use them; the first read with nothing kept (``first_read_s``) and the same statements
  run bare through the database's cursor (``raw_sql_s``) are reported beside.
- ``initiatives_faceted_list``: filtered by three facets, first page plus the facet
  counts, against Datasette's JSON for the same filters and facets on the same SQLite
  file (goal 1); on PostgreSQL, which Datasette does not read, against hand-written SQL
  doing the same (goal 3).
- ``iati_import``: importing a generated IATI file (dry run: everything is written, then
  rolled back) against a bare streaming parse of the same file (goal 5).
- ``iati_import_memory``: the same import of a bigger file, reporting the peak resident
  memory it added (goal: at most 300 MB) beside the time ratio.

The initiatives they read are made in :mod:`accord.bench.scenarios.commitments_data`; the
faceted list is in :mod:`accord.bench.scenarios.commitments_list` and the IATI import in
:mod:`accord.bench.scenarios.commitments_iati`. This module keeps the coverage scenario
and every name the others import from it.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from accord.bench.harness import scenario, timings
from accord.bench.scenarios.commitments_data import (
    COUNTRIES,
    CURRENCIES,
    SIZES,
    _reference,
    _superuser,
    generate_initiatives,
)
from accord.bench.scenarios.commitments_iati import (
    ImportContext,
    _iati_setup,
    _rss_mb,
    iati_import,
    iati_import_memory,
    import_setup,
    memory_setup,
    peak_rss_during,
    run_import,
    write_iati_file,
)
from accord.bench.scenarios.commitments_list import (
    FACETED_SQL,
    FACETED_WHERE,
    ListContext,
    _faceted_floor,
    _literal,
    faceted_datasette,
    faceted_raw,
    initiatives_faceted_list,
    list_setup,
)
from accord.commitments import selectors
from accord.commitments.models import CoverageRows, Initiative, Instrument

__all__ = [
    "COUNTRIES",
    "CURRENCIES",
    "FACETED_SQL",
    "FACETED_WHERE",
    "SIZES",
    "CoverageContext",
    "ImportContext",
    "ListContext",
    "_faceted_floor",
    "_iati_setup",
    "_literal",
    "_reference",
    "_rss_mb",
    "_superuser",
    "commitments_coverage",
    "coverage_duckdb",
    "coverage_raw",
    "coverage_setup",
    "faceted_datasette",
    "faceted_raw",
    "generate_initiatives",
    "iati_import",
    "iati_import_memory",
    "import_setup",
    "initiatives_faceted_list",
    "list_setup",
    "memory_setup",
    "peak_rss_during",
    "run_import",
    "write_iati_file",
]


@dataclass
class CoverageContext:
    instrument: Instrument
    user: Any
    initiatives: int
    statements: dict[str, tuple[str, tuple]] = field(default_factory=dict)
    duck: Any = None
    raw_sql_s: float = 0.0
    first_read_s: float = 0.0


def _tables_named_in(statements: list[str]) -> list[str]:
    tables = set(connection.introspection.table_names())
    words = {word for sql in statements for word in re.findall(r"[a-z_]+", sql)}
    return sorted(tables & words)


def coverage_setup(scale: str) -> CoverageContext:
    from accord.bench.peers import duckdb_copy

    instrument = generate_initiatives(scale)
    user = _superuser()
    statements = selectors.coverage_statements(instrument, user)
    partners_sql, _params = selectors.overlap_partners_statement(user, [("x", "y")])
    sqls = [sql for sql, _params in statements.values()] + [partners_sql]
    context = CoverageContext(
        instrument=instrument,
        user=user,
        initiatives=Initiative.objects.count(),
        statements=statements,
        duck=duckdb_copy(sorted({*_tables_named_in(sqls), "commitments_commitment"})),
    )
    context.raw_sql_s = statistics.median(timings(lambda: coverage_raw(context), 3))
    # The first read after a write: nothing kept, every statement runs (reported beside).
    CoverageRows.objects.all().delete()
    start = time.perf_counter()
    commitments_coverage(context)
    context.first_read_s = time.perf_counter() - start
    return context


def coverage_raw(context: CoverageContext) -> object:
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, parent_id, code, path FROM commitments_commitment WHERE instrument_id = %s",
            [context.instrument.pk],
        )
        rows.append(cursor.fetchall())
        for sql, params in context.statements.values():
            cursor.execute(sql, params)
            rows.append(cursor.fetchall())
        shown = [(code, country) for code, country, _n in rows[-1][:100]]
        if shown:
            cursor.execute(*selectors.overlap_partners_statement(context.user, shown))
            rows.append(cursor.fetchall())
    return rows


def coverage_duckdb(context: CoverageContext) -> object:
    """The same statements, on DuckDB's copy of the same tables."""
    from accord.bench.peers import duckdb_statement

    duck = context.duck
    rows = [
        duck.execute(
            "SELECT id, parent_id, code, path FROM commitments_commitment WHERE instrument_id = ?",
            [context.instrument.pk],
        ).fetchall()
    ]
    for sql, params in context.statements.values():
        rows.append(duck.execute(duckdb_statement(sql), list(params)).fetchall())
    shown = [(code, country) for code, country, _n in rows[-1][:100]]
    if shown:
        sql, params = selectors.overlap_partners_statement(context.user, shown)
        rows.append(duck.execute(duckdb_statement(sql), list(params)).fetchall())
    return rows


@scenario(
    "commitments_coverage",
    goal=3.0,
    floor="DuckDB",
    setup=coverage_setup,
    baseline=coverage_duckdb,
    size=lambda c: f"{c.initiatives} initiatives on the JVAP tree",
    repeat=10,
    extra=lambda c: {
        "raw_sql_s": round(c.raw_sql_s, 6),
        "first_read_s": round(c.first_read_s, 6),
    },
)
def commitments_coverage(context: CoverageContext) -> object:
    return selectors.instrument_coverage(context.instrument, user=context.user)

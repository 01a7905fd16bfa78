"""The version of each indicator's figures, kept by the database itself.

What the indicator page reads from all of an indicator's figures (each place's progress,
the places, series, units and breakdowns) changes only when those figures, the
indicator's targets or the indicator itself change, or when a place is renamed or
removed. Each indicator has a counter that every such write raises, and one more counter
(indicator 0) stands for every indicator at once; what is kept for an indicator is kept
under both counters (:func:`figures_version`), so any write makes a new key and what
was kept for the old one is never served again.

The counters are raised by triggers (:func:`ensure_figures_state`), so every write path
counts: services, imports (row by row, set-wise, ``COPY``), deletions and their
cascades, the admin, raw SQL. A path that turns the triggers off (the benchmark's
``COPY`` under ``session_replication_role = replica``) raises the counters itself
(:func:`figures_changed`).

- SQLite: a trigger for each row inserted, changed or deleted.
- PostgreSQL: a trigger for each statement, which raises the counter of each indicator
  among the rows it wrote (its transition tables), once; a ``TRUNCATE`` raises counter 0.
  The counter's row stays locked until the writing transaction ends: writers of the same
  indicator's figures wait for one another, those of different indicators do not.

The version is always read *before* the figures: a write committed in between leaves
what was read under an older version than what it holds, never the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router

#: The counters: one row per indicator whose figures were ever written, and row 0.
VERSION_TABLE = "accord_figures_version"
#: Row 0: a change that concerns every indicator (a place renamed, a table emptied).
EVERY_INDICATOR = 0
#: The tables whose writes change an indicator's figures, and the column that names it
#: (``None``: every indicator).
WATCHED = {
    "evidence_observation": "indicator_id",
    "evidence_indicatortarget": "indicator_id",
    "evidence_indicator": "id",
    "evidence_place": None,
}
TRIGGER_PREFIX = "accord_figures_"

# The statements below are built from the constants above only.
_RAISE = (
    f"INSERT INTO {VERSION_TABLE} (indicator_id, n) VALUES ({{indicator}}, 1) "  # noqa: S608
    f"ON CONFLICT (indicator_id) DO UPDATE SET n = {VERSION_TABLE}.n + 1;"
)
_PG_RAISE_FROM = (
    f"INSERT INTO {VERSION_TABLE} (indicator_id, n) "  # noqa: S608
    "SELECT ids.indicator_id, 1 FROM ({rows}) AS ids ORDER BY 1 "
    f"ON CONFLICT (indicator_id) DO UPDATE SET n = {VERSION_TABLE}.n + 1;"
)


def _pg_function(table: str, column: str | None) -> tuple[str, str]:
    name = f"{TRIGGER_PREFIX}{table}_changed"
    if column is None:
        body = _RAISE.format(indicator=EVERY_INDICATOR)
    else:
        new = f"SELECT DISTINCT {column} AS indicator_id FROM new_rows"  # noqa: S608
        old = f"SELECT DISTINCT {column} AS indicator_id FROM old_rows"  # noqa: S608
        body = (
            f"IF TG_OP = 'TRUNCATE' THEN {_RAISE.format(indicator=EVERY_INDICATOR)}\n"
            f"ELSIF TG_OP = 'INSERT' THEN {_PG_RAISE_FROM.format(rows=new)}\n"
            f"ELSIF TG_OP = 'DELETE' THEN {_PG_RAISE_FROM.format(rows=old)}\n"
            f"ELSE {_PG_RAISE_FROM.format(rows=f'{old} UNION {new}')}\n"
            "END IF;"
        )
    return name, (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND\n$$ LANGUAGE plpgsql"
    )


def _pg_triggers(cursor: Any, table: str, column: str | None) -> None:
    function, sql = _pg_function(table, column)
    cursor.execute(sql)
    if column is None:
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}changed "
            f"AFTER UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
        return
    for event, referencing in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}{event.lower()} "
            f"AFTER {event} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    cursor.execute(
        f"CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def _sqlite_triggers(cursor: Any, table: str, column: str | None) -> None:
    events = {
        "insert": ["NEW"],
        "update": ["OLD", "NEW"],
        "delete": ["OLD"],
    }
    if column is None:  # a place: added, it holds no figures yet
        events.pop("insert")
    for event, rows in events.items():
        raises = " ".join(
            _RAISE.format(indicator=EVERY_INDICATOR if column is None else f"{row}.{column}")
            for row in (rows[:1] if column is None else rows)
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {TRIGGER_PREFIX}{table}_{event} "
            f"AFTER {event.upper()} ON {table} BEGIN {raises} END"
        )


def ensure_figures_state(using: str = "default", **_kwargs: Any) -> None:
    """Make the counters' table and the triggers that raise them, where they are missing.

    Run after every ``migrate`` (SQLite drops a table's triggers when a migration
    rebuilds it) and after the observations are partitioned (a new table)."""
    target = connections[using]
    if not set(WATCHED) <= set(target.introspection.table_names()):
        return  # before the evidence tables are made
    with target.cursor() as cursor:
        kind = "bigint" if target.vendor == "postgresql" else "INTEGER"
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
            f"(indicator_id {kind} PRIMARY KEY, n {kind} NOT NULL)"
        )
        for table, column in WATCHED.items():
            if target.vendor == "postgresql":
                _pg_triggers(cursor, table, column)
            else:
                _sqlite_triggers(cursor, table, column)


def remove_figures_state(connection: Any) -> None:
    """Drop the triggers, their functions and the counters (a migration going back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in WATCHED:
                # CASCADE: the triggers go with the function they call.
                cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER_PREFIX}{table}_changed() CASCADE")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER_PREFIX}%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cursor.execute(f"DROP TABLE IF EXISTS {VERSION_TABLE}")


def figures_version(indicator_id: int, using: str | None = None) -> str:
    """The version of the indicator's figures as the database that serves its reads sees
    them now: its own counter and the one of every indicator."""
    from accord.evidence.models import Observation

    alias = using or router.db_for_read(Observation)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT indicator_id, n FROM {VERSION_TABLE} "  # noqa: S608 (constants)
            "WHERE indicator_id IN (%s, %s)",
            [indicator_id, EVERY_INDICATOR],
        )
        counters = dict(cursor.fetchall())
    return f"{counters.get(indicator_id, 0)}.{counters.get(EVERY_INDICATOR, 0)}"


def figures_changed(indicator_ids: Iterable[int], using: str = "default") -> None:
    """Raise the counters of these indicators: for a write the triggers did not see."""
    with connections[using].cursor() as cursor:
        for indicator_id in sorted(set(indicator_ids)):
            cursor.execute(_RAISE.format(indicator="%s"), [indicator_id])

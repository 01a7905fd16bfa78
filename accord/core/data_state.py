"""The state of the data, table by table, kept by the database itself.

What is read once and kept (coverage figures, whole responses to visitors) is used again
only while none of the tables it was read from has been written since. The database
keeps that state through triggers on every watched table (:func:`ensure`), so every
write path counts: services, imports, ``bulk_create``, ``QuerySet.update``, the admin,
raw SQL.

- SQLite (one writer at a time): a counter per table, raised by every inserted, changed
  or deleted row. What was read holds while the counters of its tables stand where they
  stood before it was read.
- PostgreSQL (many writers at once, no lock shared between them): each transaction that
  writes a table leaves the table's name and its own id in a log, once per statement. What
  was read keeps the snapshot (``pg_current_snapshot()``) taken before it was read, and
  holds while every transaction logged for its tables was already complete in that
  snapshot.

The state is always taken *before* the reads: a write committed in between leaves what
was read marked older than it is, so it is read again, never the other way round.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

#: SQLite: the counter of writes of each table.
VERSION_TABLE = "accord_data_version"
#: PostgreSQL: which transaction wrote which table (a statement-level trigger's work),
#: and the oldest transaction still running at given times (what the log may forget).
CHANGE_TABLE = "accord_data_change"
HORIZON_TABLE = "accord_data_horizon"
PG_RECORD_A_WRITE = """
CREATE OR REPLACE FUNCTION accord_data_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO accord_data_change (tab, xact) VALUES (TG_TABLE_NAME, pg_current_xact_id())
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = "accord_data_watch"
SQLITE_TRIGGER_PREFIX = "accord_watch_"

#: Tables whose writes change nothing that is read and kept: bookkeeping, sessions, the
#: cache, sign-in attempts, the task queue, and this module's own. The figures of
#: indicators (millions of rows, loaded in bulk) are not watched either: what reads them
#: is not kept here (charts keep a version of their own).
UNWATCHED = frozenset(
    {
        "django_migrations",
        "django_session",
        VERSION_TABLE,
        CHANGE_TABLE,
        HORIZON_TABLE,
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "django_q_ormq",
        "django_q_schedule",
        "django_q_task",
        "evidence_observation",
        "evidence_archivedobservation",
    }
)

#: Tables that hold what was derived from others and is kept by state: reading one of
#: them reads its sources (filled by the apps that keep such tables).
DERIVED: dict[str, frozenset[str]] = {}


def derives(table: str, sources: Iterable[str]) -> None:
    """Declare that ``table`` holds figures read from ``sources`` and kept by state."""
    DERIVED[table] = frozenset(sources)


def cache_table() -> str:
    return str(settings.CACHES["default"].get("LOCATION", ""))


def watched_tables(target: BaseDatabaseWrapper) -> list[str]:
    """Every table of an installed model (many-to-many tables included) that is not
    bookkeeping; on SQLite, virtual tables (full-text search) cannot have triggers."""
    existing = set(target.introspection.table_names())
    if target.vendor == "sqlite":
        with target.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND upper(sql) LIKE 'CREATE VIRTUAL TABLE%'"
            )
            virtual = [row[0] for row in cursor.fetchall()]
        existing = {t for t in existing if not any(t.startswith(v) for v in virtual)}
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted((tables & existing) - UNWATCHED - {cache_table()} - set(DERIVED))


def _quoted(target: BaseDatabaseWrapper, name: str) -> str:
    return str(target.ops.quote_name(name))


def ensure(using: str = "default", **_kwargs: Any) -> None:
    """Make what keeps the state where it is missing: its tables and a trigger on every
    watched table. Run after every ``migrate``: SQLite drops a table's triggers when a
    migration rebuilds the table, so making them once would silently stop the count."""
    target = connections[using]
    tables = watched_tables(target)
    with target.cursor() as cursor:
        if target.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} "
                "(tab text NOT NULL, xact xid8 NOT NULL, PRIMARY KEY (tab, xact))"
            )
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {HORIZON_TABLE} "
                "(taken_at timestamptz PRIMARY KEY, oldest_running xid8 NOT NULL)"
            )
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = %s",
                [PG_TRIGGER],
            )
            present = {row[0] for row in cursor.fetchall()}
            if not present:
                cursor.execute(PG_RECORD_A_WRITE)
            for table in sorted(set(tables) - present):
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {PG_TRIGGER} "
                    f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {_quoted(target, table)} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION accord_data_changed()"
                )
            # What kept the commitment data's state alone before every table was watched.
            cursor.execute("DROP FUNCTION IF EXISTS accord_commitment_data_changed() CASCADE")
            cursor.execute("DROP TABLE IF EXISTS accord_commitment_data_change")
            return
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
            "(name TEXT PRIMARY KEY, n INTEGER NOT NULL)"
        )
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'accord_data_%'"
        )
        for (old,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{old}"')
        cursor.execute("DROP TABLE IF EXISTS accord_commitment_data_version")
        # Only the missing ones are made: a flush keeps them, and asking for each of some
        # five hundred took longer than every other step of a test database's flush.
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [SQLITE_TRIGGER_PREFIX + "%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        for table in tables:
            count = (
                f"INSERT INTO {VERSION_TABLE} (name, n) VALUES ('{table}', 1) "  # noqa: S608
                "ON CONFLICT (name) DO UPDATE SET n = n + 1;"
            )
            for event in ("insert", "update", "delete"):
                name = f"{SQLITE_TRIGGER_PREFIX}{table}_{event}"
                if name in present:
                    continue
                cursor.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "{name}" '
                    f"AFTER {event.upper()} ON {_quoted(target, table)} BEGIN {count} END"
                )


def remove(target: BaseDatabaseWrapper) -> None:
    """Undo :func:`ensure` (a migration going back past the first that needed it)."""
    with target.cursor() as cursor:
        if target.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS accord_data_changed() CASCADE")
            for table in (CHANGE_TABLE, HORIZON_TABLE):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{SQLITE_TRIGGER_PREFIX}%"],
        )
        for (trigger,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
        cursor.execute(f"DROP TABLE IF EXISTS {VERSION_TABLE}")


def sources(tables: Iterable[str]) -> set[str]:
    """The tables that ``tables`` were read from, derived tables replaced by theirs."""
    found: set[str] = set()
    for table in tables:
        found |= DERIVED.get(table, {table})
    return found


def snapshot(using: str = "default") -> str:
    """The state of every watched table as the connection sees it now, before a read:
    the counters on SQLite, the snapshot on PostgreSQL."""
    target = connections[using]
    target.ensure_connection()
    return snapshot_on(target)


def snapshot_on(target: BaseDatabaseWrapper) -> str:
    """:func:`snapshot` through the driver's own cursor: no query wrapper sees it, so it
    can be taken from inside one, just before a request's first statement."""
    cursor = target.connection.cursor()
    try:
        if target.vendor == "postgresql":
            cursor.execute("SELECT pg_current_snapshot()::text")
            return str(cursor.fetchone()[0])
        cursor.execute(f"SELECT name, n FROM {VERSION_TABLE}")  # noqa: S608
        return json.dumps(dict(cursor.fetchall()), sort_keys=True)
    finally:
        cursor.close()


def state_of(taken: str, tables: Iterable[str], using: str = "default") -> str:
    """What of a :func:`snapshot` is kept with what was read from ``tables``."""
    if connections[using].vendor == "postgresql" or not taken:
        return taken
    counters = json.loads(taken)
    return json.dumps({t: counters.get(t, 0) for t in sorted(tables)}, sort_keys=True)


def state(tables: Iterable[str], using: str = "default") -> str:
    """The state of ``tables`` now (taken before reading them)."""
    return state_of(snapshot(using), tables, using)


def holds(kept: str, tables: Iterable[str], using: str = "default") -> bool:
    """Whether no write to ``tables`` has been committed since the state ``kept``."""
    target = connections[using]
    names = sorted(tables)
    if not names:
        return True
    with target.cursor() as cursor:
        if target.vendor == "postgresql":
            cursor.execute(
                f"SELECT NOT EXISTS (SELECT 1 FROM {CHANGE_TABLE} c "  # noqa: S608
                "WHERE c.tab = ANY(%s) AND c.xact >= pg_snapshot_xmin(%s::pg_snapshot) "
                "AND NOT pg_visible_in_snapshot(c.xact, %s::pg_snapshot))",
                [names, kept, kept],
            )
            return bool(cursor.fetchone()[0])
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(
            f"SELECT name, n FROM {VERSION_TABLE} WHERE name IN ({marks})",  # noqa: S608
            names,
        )
        now = dict(cursor.fetchall())
    was = json.loads(kept)
    return all(was.get(name, 0) == now.get(name, 0) for name in names)


#: Who keeps states on PostgreSQL beyond the lifetime of kept answers: each gives the
#: oldest snapshot it still keeps on a connection, or None (coverage rows keep theirs a week).
KEEPERS: list[Callable[[str], str | None]] = []
#: How long a process may keep a state in its own memory (a framework's membership
#: history, ``partners.members_kept``), whatever the lifetime of kept answers: the log
#: keeps what such a state needs at least this long.
KEPT_IN_MEMORY_S = 60.0


def log_horizon_s() -> float:
    """How long the log keeps what a state taken in a process may need: the lifetime of
    kept answers, and at least :data:`KEPT_IN_MEMORY_S`."""
    answers = float(getattr(settings, "ACCORD_RESPONSE_CACHE_SECONDS", 0) or 0)
    return max(answers, KEPT_IN_MEMORY_S)


def keeps(oldest: Callable[[str], str | None]) -> None:
    """Declare a keeper of states: the log keeps what its oldest state may need."""
    KEEPERS.append(oldest)


def forget_changes(using: str = "default") -> None:
    """PostgreSQL: drop what the log no longer tells anyone.

    A transaction complete before the oldest snapshot that a keeper (:data:`KEEPERS`)
    still holds cannot make what it kept stale; nor can it make an answer stale that was
    kept after it completed. Answers are kept at most ``ACCORD_RESPONSE_CACHE_SECONDS``
    and states in a process's memory at most :data:`KEPT_IN_MEMORY_S`
    (:func:`log_horizon_s`), so the oldest transaction still running that long ago
    bounds them: those are recorded as they pass (``HORIZON_TABLE``)."""
    target = connections[using]
    if target.vendor != "postgresql":
        return
    lifetime_s = log_horizon_s()
    oldest = [state for keeper in KEEPERS if (state := keeper(using))]
    with target.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {HORIZON_TABLE} (taken_at, oldest_running) "  # noqa: S608
            "VALUES (clock_timestamp(), pg_snapshot_xmin(pg_current_snapshot())) "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            f"SELECT max(oldest_running) FROM {HORIZON_TABLE} "  # noqa: S608
            "WHERE taken_at <= clock_timestamp() - make_interval(secs => %s)",
            [lifetime_s],
        )
        horizon = cursor.fetchone()[0]
        if horizon is None:
            return
        bounds = ["%s::xid8", *["pg_snapshot_xmin(%s::pg_snapshot)"] * len(oldest)]
        cursor.execute(
            f"DELETE FROM {CHANGE_TABLE} WHERE xact < LEAST({', '.join(bounds)})",  # noqa: S608
            [horizon, *oldest],
        )
        # Used: the next pruning waits for a later one to be as old.
        cursor.execute(
            f"DELETE FROM {HORIZON_TABLE} "  # noqa: S608
            "WHERE taken_at <= clock_timestamp() - make_interval(secs => %s)",
            [lifetime_s],
        )

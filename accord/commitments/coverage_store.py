"""Coverage figures kept between requests while the data they were read from stand.

Coverage reads every link, place and funding row of an instrument (about a million rows
at 200,000 initiatives); the figures change only when commitment data change. Each
coverage statement's rows are kept (:class:`CoverageRows`, keyed by a digest of the
statement and its parameters: the reader's visibility, the cycle and the subtree are in
them) together with the state of the commitment data they were read in. They are used
again only while no write to those data has been committed since; else they are read
anew. The state is kept by the database itself, by triggers on every table the statements
read (:func:`ensure_data_state`), so every write path counts: services, imports,
bulk writes, the admin, raw SQL.

- SQLite (one writer at a time): a counter that every inserted, changed or deleted row
  raises; the figures hold while the counter stands where it stood before they were read.
- PostgreSQL (many writers at once, no lock shared between them): each transaction that
  writes the data leaves its id in a log, once per statement; the figures keep the
  snapshot (``pg_current_snapshot()``) taken before they were read, and hold while every
  transaction in the log was already complete in that snapshot.

The state is always taken *before* the statement runs: a write committed in between
leaves figures marked older than what they hold, so they are read again, never the other
way round.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: The tables coverage reads; a write to any of them changes the state of the data.
DATA_TABLES = (
    "commitments_commitment",
    "commitments_cycleentry",
    "commitments_exchangerate",
    "commitments_funding",
    "commitments_initiative",
    "commitments_initiative_implementers",
    "commitments_initiative_restricted_to",
    "commitments_initiativecommitment",
    "commitments_initiativeplace",
    "partners_organisation",
)
#: SQLite: the counter of writes.
VERSION_TABLE = "accord_commitment_data_version"
#: What a trigger on SQLite does for each row written.
COUNT_A_WRITE = (
    "INSERT INTO accord_commitment_data_version (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = n + 1;"
)
#: PostgreSQL: the transactions that wrote, each once (a statement-level trigger's work).
CHANGE_TABLE = "accord_commitment_data_change"
PG_RECORD_A_WRITE = """
CREATE OR REPLACE FUNCTION accord_commitment_data_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO accord_commitment_data_change (xact) VALUES (pg_current_xact_id())
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
#: Figures not read again for this long are dropped when others are kept.
KEPT_FOR = dt.timedelta(days=7)


class CoverageRows(models.Model):
    """The rows one coverage statement read, and the state of the data they were read in."""

    digest = models.CharField(_("statement"), max_length=64, unique=True)
    data_state = models.TextField(_("state of the data"))
    rows = models.JSONField(_("rows"), encoder=DjangoJSONEncoder)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("coverage rows")
        verbose_name_plural = _("coverage rows")

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.data_state[:24]})"


def ensure_data_state(using: str = "default", **_kwargs: Any) -> None:
    """Make what keeps the state of the commitment data, where it is missing: its table,
    and the triggers that count writes to :data:`DATA_TABLES`.

    The one place this is made: run after every ``migrate`` (migration 0006 creates
    :class:`CoverageRows` only). SQLite drops a table's triggers when a migration rebuilds
    the table, so making them once would let a later migration silently stop the count.
    """
    target = connections[using]
    if CoverageRows._meta.db_table not in target.introspection.table_names():
        return  # before migration 0006
    with target.cursor() as cursor:
        if target.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} (xact xid8 PRIMARY KEY)")
            cursor.execute(PG_RECORD_A_WRITE)
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
                "(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)"
            )
        for table in DATA_TABLES:
            if target.vendor == "postgresql":
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER accord_data_changed "
                    f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION accord_commitment_data_changed()"
                )
                continue
            for event in ("insert", "update", "delete"):
                trigger = f"accord_data_{table}_{event}"
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {trigger} AFTER {event.upper()} ON {table} "
                    f"BEGIN {COUNT_A_WRITE} END"
                )


def data_state() -> str:
    """The state of the commitment data as this connection sees them now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_current_snapshot()::text")
        else:
            cursor.execute(f"SELECT n FROM {VERSION_TABLE} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return str(row[0]) if row else "0"


def holds(state: str) -> bool:
    """Whether no write to the commitment data has been committed since ``state``."""
    if connection.vendor != "postgresql":
        return state == data_state()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT NOT EXISTS (SELECT 1 FROM {CHANGE_TABLE} c "  # noqa: S608
            "WHERE c.xact >= pg_snapshot_xmin(%s::pg_snapshot) "
            "AND NOT pg_visible_in_snapshot(c.xact, %s::pg_snapshot))",
            [state, state],
        )
        return bool(cursor.fetchone()[0])


def _digest(sql: str, params: tuple) -> str:
    text = json.dumps([connection.vendor, sql, list(params)], cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(rows: list[tuple]) -> list[list[Any]]:
    """Rows as they are kept: lists of JSON values (decimals as text)."""
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))


def _forget_old() -> None:
    CoverageRows.objects.using(connection.alias).filter(
        read_at__lt=timezone.now() - KEPT_FOR
    ).delete()
    if connection.vendor == "postgresql":
        # A transaction complete before every kept snapshot was taken tells them nothing.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {CHANGE_TABLE} WHERE xact < COALESCE("  # noqa: S608
                "(SELECT MIN(pg_snapshot_xmin(data_state::pg_snapshot)) "
                f"FROM {CoverageRows._meta.db_table}), pg_snapshot_xmin(pg_current_snapshot()))"
            )


def rows_of(*statements: tuple[str, tuple]) -> list[list[list[Any]]]:
    """The rows of each coverage statement: those kept, while they hold; else read now.

    The kept rows of all the statements are looked up at once, and each state they were
    read in is checked once."""
    digests = [_digest(sql, params) for sql, params in statements]
    store = CoverageRows.objects.using(connection.alias)
    kept = {
        digest: (state, rows)
        for digest, state, rows in store.filter(digest__in=digests).values_list(
            "digest", "data_state", "rows"
        )
    }
    standing = {state: holds(state) for state, _rows in kept.values()}
    found = {digest: rows for digest, (state, rows) in kept.items() if standing[state]}
    missing = [n for n, digest in enumerate(digests) if digest not in found]
    if missing:
        state = data_state()
        read: list[CoverageRows] = []
        with connection.cursor() as cursor:
            for n in missing:
                cursor.execute(*statements[n])
                found[digests[n]] = _plain(cursor.fetchall())
                read.append(
                    CoverageRows(
                        digest=digests[n],
                        data_state=state,
                        rows=found[digests[n]],
                        read_at=timezone.now(),
                    )
                )
        store.bulk_create(
            read,
            update_conflicts=True,
            unique_fields=["digest"],
            update_fields=["data_state", "rows", "read_at"],
        )
        if len(kept) < len(digests):
            _forget_old()
    return [found[digest] for digest in digests]

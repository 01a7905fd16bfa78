"""Observations past ten million rows: the table partitioned by indicator (PostgreSQL).

``accord partition-observations`` turns ``evidence_observation`` into a table partitioned
by hash of ``indicator_id`` (declarative partitioning), in one transaction: the rows are
copied into the partitions, and every constraint and index comes back under its own name,
the primary key widened to ``(id, indicator_id)`` as PostgreSQL asks of a partitioned
table (no other table points at an observation, and the unique series key already holds
the indicator). Every query of an indicator's page filters on one indicator, so the
planner reads one partition. Opt-in and PostgreSQL only; SQLite keeps the plain table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from accord.evidence.figures_state import ensure_figures_state

TABLE = "evidence_observation"
OLD = f"{TABLE}_unpartitioned"
SEQUENCE = f"{TABLE}_id_seq_partitioned"


@dataclass(frozen=True)
class Partitioned:
    partitions: int
    rows: int


class PartitioningRefused(Exception):
    pass


def is_partitioned() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def partition_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = %s::regclass", [TABLE])
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def observations_partition(*, partitions: int = 16) -> Partitioned:
    """Partition the observations by hash of indicator into ``partitions`` tables."""
    if connection.vendor != "postgresql":
        raise PartitioningRefused("Partitioning needs PostgreSQL; SQLite keeps one table.")
    if not 2 <= partitions <= 1024:
        raise PartitioningRefused("The number of partitions must be 2-1024.")
    with transaction.atomic(), connection.cursor() as cursor:
        # Checks deferred to the end of the transaction run now: the old table goes.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        if is_partitioned():
            raise PartitioningRefused("The observations are partitioned already.")
        # The constraints and indexes to bring back, as PostgreSQL itself writes them.
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f')",
            [TABLE],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint"
            "  WHERE conrelid = %s::regclass)",
            [TABLE, TABLE],
        )
        indexes = cursor.fetchall()
        for name, kind, definition in constraints:
            if kind == "u" and "indicator_id" not in definition:
                raise PartitioningRefused(f"{name} does not hold the indicator.")

        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        # Check constraints and defaults come with LIKE; the identity does not (a
        # partitioned table has none before PostgreSQL 17): a sequence stands in.
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
            " INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY HASH (indicator_id)"
        )
        for remainder in range(partitions):
            cursor.execute(
                f"CREATE TABLE {TABLE}_p{remainder} PARTITION OF {TABLE}"
                f" FOR VALUES WITH (MODULUS {partitions}, REMAINDER {remainder})"
            )
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608 (constants)
        rows = cursor.rowcount
        cursor.execute(f"CREATE SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id")
        cursor.execute(
            f"SELECT setval('{SEQUENCE}', COALESCE(max(id), 0) + 1, false) FROM {TABLE}"  # noqa: S608
        )
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{SEQUENCE}')")
        cursor.execute(f"DROP TABLE {OLD}")
        for name, kind, definition in constraints:
            if kind == "p":
                definition = "PRIMARY KEY (id, indicator_id)"
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)  # read before the rename: names the new table
        # The triggers that count writes to the figures went with the old table.
        ensure_figures_state(connection.alias)
        cursor.execute(f"ANALYZE {TABLE}")
    return Partitioned(partitions=partitions, rows=rows)

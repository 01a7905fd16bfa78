"""The reference record loaded once per test run, then put back in each test that asks.

`accord load-reference` takes a second or two; about two hundred tests start from it. The
first such test runs the real loader and keeps what it wrote (every table it filled,
read with ``COPY`` on PostgreSQL and ``SELECT`` on SQLite); later tests get the same
rows written back in their own transaction, the database's triggers (the search index)
and sequences doing what they do for any insert. Only a database in the very state the
loader met when the copy was taken (the same row counts in every table, the same content
types) gets the copy; any other runs the real loader, so a test that creates records first
still sees how the loader treats them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model


def _tables() -> dict[str, type[Model]]:
    tables: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.setdefault(meta.db_table, model)
    return dict(sorted(tables.items()))


def _counts(tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(table)})"  # noqa: S608 (model table names)
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _content_types() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
        return list(cursor.fetchall())


@dataclass
class Snapshot:
    before: dict[str, int]
    content_types: list[tuple[Any, ...]]
    rows: dict[str, Any] = field(default_factory=dict)  # table -> COPY text or (columns, rows)

    def fits(self, counts: dict[str, int], content_types: list[tuple[Any, ...]]) -> bool:
        return counts == self.before and content_types == self.content_types

    def take(self, tables: list[str]) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in tables:
                select = f"SELECT * FROM {quote(table)}"  # noqa: S608 (model table names)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                        self.rows[table] = b"".join(bytes(chunk) for chunk in copy)
                else:
                    cursor.execute(select)
                    columns = [column[0] for column in cursor.description]
                    self.rows[table] = (columns, cursor.fetchall())

    def put_back(self, models: dict[str, type[Model]]) -> None:
        quote = connection.ops.quote_name
        # One transaction, so that the foreign keys (deferred) are checked once every
        # table is back, in a transactional test too.
        with transaction.atomic(), connection.cursor() as cursor:
            for table, rows in self.rows.items():
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(rows)
                    continue
                columns, values = rows
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    values,
                )
            filled = [models[table] for table in self.rows]
            for statement in connection.ops.sequence_reset_sql(no_style(), filled):
                cursor.execute(statement)


_taken: list[Snapshot] = []


def load_once(load: Callable[[], None]) -> None:
    """Puts back the rows of the copy when the database is in the state it was taken in;
    else runs ``load`` and, when it wrote only into empty tables, keeps a new copy (a
    transactional test's flush, say, gives the content types new ids)."""
    models = _tables()
    tables = list(models)
    counts = _counts(tables)
    content_types = _content_types()
    if _taken and _taken[0].fits(counts, content_types):
        _taken[0].put_back(models)
        return
    load()
    after = _counts(tables)
    changed = [table for table in tables if after[table] != counts[table]]
    if all(counts[table] == 0 for table in changed):
        snapshot = Snapshot(before=counts, content_types=content_types)
        snapshot.take(changed)
        _taken[:] = [snapshot]

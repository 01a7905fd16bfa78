"""Plain multi-row inserts for imports of thousands of records.

Django's ``bulk_create`` prepares every value of every object through the field's save
path and builds a model instance per row; for an import of tens of thousands of
initiatives (each with a history row and a handful of related rows) that preparation,
not the database, is most of the time. Here the rows are tuples, the values are adapted
once per column kind through the connection's own adapters (JSON, dates, decimals), and
the rows go in through PostgreSQL's ``COPY`` (new ids taken from the sequence first) or,
elsewhere, ``executemany`` and, when ids are needed back, multi-row
``INSERT ... RETURNING``.

Callers check the values first (see ``services._check_values``): nothing here validates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

Adapter = Callable[[Any], Any] | None


def _adapter(field: models.Field[Any, Any]) -> Adapter:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        if connection.vendor == "postgresql":  # COPY reads JSON as text: dumped once here
            return lambda value: None if value is None else json.dumps(value, cls=encoder)
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    return None


def _max_params() -> int:
    if connection.vendor == "sqlite":
        raw = connection.connection
        if raw is not None and hasattr(raw, "getlimit"):
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        return 999
    return 65_535


def can_insert_returning() -> bool:
    """Whether a multi-row insert gives its ids back (PostgreSQL, SQLite 3.35+)."""
    return bool(connection.features.can_return_rows_from_bulk_insert)


class Table:
    """The insert statement of some columns of ``model``'s table, and their adapters."""

    def __init__(self, model: type[models.Model], attnames: Sequence[str]) -> None:
        meta = model._meta
        fields = [meta.get_field(name) for name in attnames]
        adapters = [_adapter(f) for f in fields]  # type: ignore[arg-type]
        self.adapters = [(i, a) for i, a in enumerate(adapters) if a is not None]
        quote = connection.ops.quote_name
        self.width = len(fields)
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(str(getattr(f, "column", ""))) for f in fields)
        self.pk = quote(str(meta.pk.column if meta.pk else "id"))
        self.marks = f"({', '.join(['%s'] * self.width)})"

    def adapt(self, row: Iterable[Any]) -> list[Any]:
        """``row``'s Python values as the database driver takes them."""
        values = list(row)
        for index, adapt in self.adapters:
            values[index] = adapt(values[index])
        return values

    def insert(self, params: Sequence[Sequence[Any]], *, returning: bool = False) -> list[Any]:
        """Insert adapted rows; with ``returning``, the new primary keys in row order."""
        if not params:
            return []
        if connection.vendor == "postgresql":
            return self._copy(params, returning=returning)
        head = f"INSERT INTO {self.table} ({self.columns}) VALUES "  # noqa: S608
        with connection.cursor() as cursor:
            if not returning:
                cursor.executemany(head + self.marks, params)
                return []
            size = max(1, min(1_000, _max_params() // self.width))
            ids: list[Any] = []
            for start in range(0, len(params), size):
                chunk = params[start : start + size]
                cursor.execute(
                    f"{head}{', '.join([self.marks] * len(chunk))} RETURNING {self.pk}",
                    [value for values in chunk for value in values],
                )
                ids.extend(row[0] for row in cursor.fetchall())
            return ids

    def _copy(self, params: Sequence[Sequence[Any]], *, returning: bool) -> list[Any]:
        """PostgreSQL: ``COPY ... FROM STDIN``, the server's bulk path; ids, when wanted,
        are taken from the table's sequence first."""
        columns = self.columns
        ids: list[Any] = []
        with connection.cursor() as cursor:
            if returning:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                    "FROM generate_series(1, %s) ORDER BY 1",
                    [self.table, self.pk.strip('"'), len(params)],
                )
                ids = [row[0] for row in cursor.fetchall()]
                columns = f"{self.pk}, {columns}"
                params = [[pk, *values] for pk, values in zip(ids, params, strict=True)]
            with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        return ids


def insert_rows(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[Any]:
    """Insert ``rows`` (tuples of Python values in ``attnames`` order) into ``model``'s
    table; with ``returning``, the new primary keys in row order."""
    table = Table(model, attnames)
    return table.insert([table.adapt(row) for row in rows], returning=returning)

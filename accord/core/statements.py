"""Model instances read by a statement written once from the models' tables.

For the few reads measured hot and fixed in shape (the token of every API request),
building and compiling the queryset costs several times the statement. Such a read names
its columns with :func:`select_list` and turns each part of a row into an instance with
:func:`instance_of`, through the converters the ORM itself applies to those columns (an
aware datetime from SQLite's text, a JSON value decoded), and ``Model.from_db``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model

ModelT = TypeVar("ModelT", bound=Model)


@functools.cache
def select_list(model: type[Model], alias: str, table: str) -> str:
    """The concrete columns of ``model`` as ``table.column, ...``, quoted for ``alias``."""
    quote = connections[alias].ops.quote_name
    return ", ".join(f"{table}.{quote(field.column)}" for field in model._meta.concrete_fields)


@functools.cache
def quoted_columns(model: type[Model], alias: str) -> dict[str, str]:
    """The concrete columns of ``model`` by field name (``user`` for ``user_id``), quoted
    for ``alias``: the names a statement written from the model's table uses."""
    quote = connections[alias].ops.quote_name
    return {field.name: quote(field.column) for field in model._meta.concrete_fields}


@functools.cache
def _reading(
    model: type[Model], alias: str
) -> tuple[list[str], list[tuple[int, Any, tuple[Any, ...]]]]:
    """The attribute names of ``model``'s concrete columns, and for each column that has
    converters on ``alias``, its position, its column expression and its converters."""
    connection = connections[alias]
    table = model._meta.db_table
    converted = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(table)
        converters = (
            *connection.ops.get_db_converters(column),
            *column.get_db_converters(connection),
        )
        if converters:
            converted.append((position, column, converters))
    return [field.attname for field in model._meta.concrete_fields], converted


def instance_of(model: type[ModelT], alias: str, values: Sequence[Any]) -> ModelT:
    """The instance of ``model`` whose concrete columns, in order, are ``values``."""
    connection = connections[alias]
    names, converted = _reading(model, alias)
    if len(values) != len(names):
        raise ValueError(f"{model._meta.label} has {len(names)} columns, not {len(values)}")
    row = list(values)
    for position, column, converters in converted:
        for convert in converters:
            row[position] = convert(row[position], column, connection)
    return model.from_db(alias, names, row)

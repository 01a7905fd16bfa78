"""The two reads of one action point that recording progress makes, each one statement
written once from the models' tables and read straight from the cursor: its owners, which
the permission to record progress and the answer read, and its progress, which the answer
shows. Built by the ORM (a prefetch through the owners' table, a ``values()`` joined to the
authors), each cost several times its statement on the busiest write. Lists of action
points read the same through the ORM (``action_point_selectors._rows_of``);
``tests/test_action_point_rows.py`` holds the two to the same rows on both databases.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, router

from accord.core.statements import quoted_columns
from accord.meetings.outcome_models import ActionPoint, ActionPointUpdate
from accord.partners.models import Organisation


@functools.cache
def _owners_statement(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    field = ActionPoint.owners.field
    through = ActionPoint.owners.through
    links = quoted_columns(through, alias)
    point, owner = links[field.m2m_field_name()], links[field.m2m_reverse_field_name()]
    organisation = quoted_columns(Organisation, alias)
    key, acronym = organisation[Organisation._meta.pk.name], organisation["acronym"]
    # The table and column names come from the models; the action point is a parameter.
    return (
        f"SELECT o.{key}, o.{acronym} FROM {quote(through._meta.db_table)} t"  # noqa: S608
        f" JOIN {quote(Organisation._meta.db_table)} o ON o.{key} = t.{owner}"
        f" WHERE t.{point} = %s ORDER BY o.{acronym}"
    )


def owners_of(pk: int) -> list[tuple[int, str]]:
    """The owners of action point ``pk``: (id, acronym) in order of acronym."""
    alias = router.db_for_read(ActionPoint)
    with connections[alias].cursor() as cursor:
        cursor.execute(_owners_statement(alias), [pk])
        return [(organisation_id, acronym) for organisation_id, acronym in cursor.fetchall()]


@functools.cache
def _progress_statement(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = quoted_columns(ActionPointUpdate, alias)
    model = get_user_model()
    user = model._meta
    users = quoted_columns(model, alias)
    username = users[model.USERNAME_FIELD]
    return (
        f"SELECT u.{columns['on']}, u.{columns['text']}, u.{columns['status']}, a.{username}"  # noqa: S608
        f" FROM {quote(ActionPointUpdate._meta.db_table)} u"
        f" LEFT JOIN {quote(user.db_table)} a ON a.{users[user.pk.name]} = u.{columns['author']}"
        f" WHERE u.{columns['action_point']} = %s ORDER BY u.{columns['on']}, u.{columns['id']}"
    )


def progress_of(pk: int) -> list[dict[str, Any]]:
    """The progress recorded on action point ``pk``, in order of date then of recording,
    as the rows of ``action_point_selectors`` show it."""
    alias = router.db_for_read(ActionPointUpdate)
    with connections[alias].cursor() as cursor:
        cursor.execute(_progress_statement(alias), [pk])
        # Both drivers give the date column as a date (SQLite's by its declared type).
        return [
            {"on": on, "text": text, "status": status or None, "author": author}
            for on, text, status, author in cursor.fetchall()
        ]

"""The token of an API request, read with its user, the user's roles and whether any
sign-in failed lately, in one statement written once from the models' tables.

Every request with a token asked three things of the database, each built by the ORM: is
any failure recent enough for a lockout (``lockout.any_recent_failure``), which live token
has this digest, and its user. The three are one statement here; only when a failure is
that recent, or no token matches, does the request ask django-axes whether its address is
locked out, so a locked address is refused exactly as axes decides.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, router

from accord.access.models import ApiToken
from accord.access.selectors import access_keep, roles_column, roles_read
from accord.core.statements import instance_of, quoted_columns, select_list


@dataclass(frozen=True)
class TokenFound:
    #: The live token with the digest, its user read with it; None if none is.
    token: ApiToken | None
    #: Whether a sign-in failed since the cool-off began (or it is not known): the request
    #: must then ask whether its address is locked out.
    recent_failure: bool


@functools.cache
def _statement(alias: str, *, since: bool) -> str:
    quote = connections[alias].ops.quote_name
    user = get_user_model()
    token_columns = quoted_columns(ApiToken, alias)
    users = quoted_columns(user, alias)
    user_key, active = users[user._meta.pk.name], users["is_active"]
    if since:
        from axes.models import AccessAttempt

        attempts = quote(AccessAttempt._meta.db_table)
        attempt_time = quoted_columns(AccessAttempt, alias)["attempt_time"]
        recent = f"EXISTS (SELECT 1 FROM {attempts} WHERE {attempt_time} >= %s)"  # noqa: S608
    else:
        recent = "1 = 1"  # no cool-off: every request asks axes
    roles = roles_column(alias, f"u.{user_key}")
    # Table and column names come from the models; every value is a parameter.
    return (
        f"SELECT {select_list(ApiToken, alias, 't')}, {select_list(user, alias, 'u')}, "  # noqa: S608
        f"{roles}, {recent} FROM {quote(ApiToken._meta.db_table)} t"
        f" JOIN {quote(user._meta.db_table)} u ON u.{user_key} = t.{token_columns['user']}"
        f" WHERE t.{token_columns['digest']} = %s AND t.{token_columns['revoked_at']} IS NULL"
        f" AND u.{active} = %s AND (t.{token_columns['expires_at']} IS NULL"
        f" OR t.{token_columns['expires_at']} > %s)"
    )


def token_lookup(digest: str, *, now: dt.datetime, since: dt.datetime | None) -> TokenFound:
    """The live token whose digest is ``digest`` at ``now``, and whether any sign-in failed
    at or after ``since`` (the start of the cool-off; None when there is none)."""
    alias = router.db_for_read(ApiToken)
    connection = connections[alias]
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = [] if since is None else [adapt(since)]
    params += [digest, True, adapt(now)]
    with connection.cursor() as cursor:
        cursor.execute(_statement(alias, since=since is not None), params)
        row = cursor.fetchone()
    if row is None:
        return TokenFound(token=None, recent_failure=True)
    width = len(ApiToken._meta.concrete_fields)
    token = instance_of(ApiToken, alias, row[:width])
    token.user = instance_of(get_user_model(), alias, row[width:-2])
    # The user's roles were read with it: the request asks for them no more.
    access_keep(token.user, roles_read(row[-2]))
    return TokenFound(token=token, recent_failure=bool(row[-1]))

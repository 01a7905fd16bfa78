"""django-axes' database handler, asking first whether any failure is recent at all.

Every request with a token, and every sign-in, asks axes whether its user name or its
address is locked out: two sums over the failures since the cool-off began, each built
by the ORM. Nearly always no failure is that recent, which one statement tells; only
then are the sums left out, so a locked address is refused exactly as axes decides.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db import connections, router
from django.http import HttpRequest


@functools.cache
def _recent_statement() -> str:
    # The table and column come from the model; the threshold is a parameter.
    table = AccessAttempt._meta.db_table
    column = AccessAttempt._meta.get_field("attempt_time").column
    return f"SELECT 1 FROM {table} WHERE {column} >= %s LIMIT 1"  # noqa: S608


def cool_off_start(request: HttpRequest) -> dt.datetime | None:
    """Since when a failure counts towards this request's lockout (None: no cool-off, all
    failures count)."""
    if settings.AXES_COOLOFF_TIME is None:
        return None
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)  # the request's time, as axes' own checks take it
    return get_cool_off_threshold(request)


def any_recent_failure(request: HttpRequest) -> bool:
    """Whether any failure was recorded since the cool-off before this request began."""
    target = connections[router.db_for_read(AccessAttempt)]
    threshold = target.ops.adapt_datetimefield_value(get_cool_off_threshold(request))
    with target.cursor() as cursor:
        cursor.execute(_recent_statement(), [threshold])
        return cursor.fetchone() is not None


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        if (
            request is not None
            and settings.AXES_COOLOFF_TIME is not None
            and not any_recent_failure(request)
        ):
            return 0
        return super().get_failures(request, credentials)

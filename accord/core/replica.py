"""Reads from a PostgreSQL streaming replica, writes to the primary (``ACCORD_REPLICA_URL``).

Only the reads of a web request that changes nothing (GET, HEAD, OPTIONS) go to the
replica; commands, the task queue and every form or API write read the primary. A reader
who has just written reads the primary for ``ACCORD_REPLICA_PIN_SECONDS`` afterwards (a
cookie stamp), so that they see their own change whatever the replica's lag; a request
that writes midway reads the primary from then on. When the replica does not answer, the
requests read the primary, and the replica is tried again some seconds later.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "accord_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_SECONDS = 10.0

_reads_from_replica: ContextVar[bool] = ContextVar("accord_reads_from_replica", default=False)
_wrote: ContextVar[bool] = ContextVar("accord_wrote", default=False)
_replica_down_until = 0.0
logger = logging.getLogger(__name__)


class ReplicaRouter:
    """Sends a safe request's reads to the replica, and every write to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return REPLICA if _reads_from_replica.get() else "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        # From the first write on, the request reads what it wrote.
        _reads_from_replica.set(False)
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


def replica_available() -> bool:
    """Whether the replica answers now (after a failure, not asked for some seconds)."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        logger.warning("The replica does not answer (%s); reading the primary.", error)
        _replica_down_until = time.monotonic() + RETRY_SECONDS
        connection.close()
        return False
    return True


def _pinned(request: HttpRequest) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaMiddleware:
    """Chooses, for each request, where its reads go, and stamps a writer's answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        use_replica = (
            request.method in SAFE_METHODS and not _pinned(request) and replica_available()
        )
        reads = _reads_from_replica.set(use_replica)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            # Where the request's last reads went: for operators, and the tests.
            response["X-Accord-Reads"] = "replica" if _reads_from_replica.get() else "primary"
            if _wrote.get() or request.method not in SAFE_METHODS:
                pin = settings.ACCORD_REPLICA_PIN_SECONDS
                response.set_cookie(
                    PIN_COOKIE,
                    f"{time.time() + pin:.0f}",
                    max_age=int(pin),
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _reads_from_replica.reset(reads)
            _wrote.reset(wrote)

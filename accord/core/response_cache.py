"""Whole answers to visitors, kept while the tables they were read from stand.

A visitor (not signed in, no token, no session) asking the same address in the same
language on the same day gets the same answer, as long as no table it was read from has
been written: the answer is kept together with the names of the tables its statements
read and the state of those tables before the reads (:mod:`accord.core.data_state`).
It is used again while that state holds and for at most ``ACCORD_RESPONSE_CACHE_SECONDS``
(what depends on the hour, not on the data, such as a call's deadline passing).
Signed-in readers and writers always get an answer made for them.

Answers are kept in each process's memory (the ``answers`` cache, at most
``ACCORD_RESPONSE_CACHE_ENTRIES``); whether one still holds is asked of the database,
which every process shares.

An answer is kept only when everything it read is watched: it read no table whose writes
are not counted (the figures of indicators, sessions, the task queue), wrote nothing, set
no cookie and queued no message. The pages' CSRF token is the one thing made for each
visitor: the kept page holds a slot where each request's own token is put.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from accord.core import data_state

#: What a kept page holds where each visitor's own CSRF token goes.
CSRF_SLOT = "accord-csrf-slot-0d4b6c1e9a"
KEY_PREFIX = "accord:answer:"
#: Tables read for bookkeeping: the cache (what it holds is keyed by versions of its
#: own), and the state of the data itself.
BOOKKEEPING = frozenset(
    {data_state.VERSION_TABLE, data_state.CHANGE_TABLE, data_state.HORIZON_TABLE}
)
_NAME = r'[`"]?([A-Za-z_][A-Za-z0-9_]*)[`"]?'
READ = re.compile(rf"\b(?:FROM|JOIN)\s+{_NAME}", re.IGNORECASE)
WRITE = re.compile(
    rf"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+{_NAME}",
    re.IGNORECASE,
)
_PRUNE_EVERY = 200


def response_lifetime_s() -> float:
    return float(getattr(settings, "ACCORD_RESPONSE_CACHE_SECONDS", 0) or 0)


@dataclass
class Reads:
    """The tables a request's statements read, whether they wrote any that counts, and
    the state of the data taken just before the first statement on ``alias`` (a request
    that reads nothing asks nothing of the database)."""

    alias: str
    tables: set[str] = field(default_factory=set)
    wrote: bool = False
    taken: str | None = None

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        target = context["connection"]
        if self.taken is None and target.alias == self.alias:
            self.taken = data_state.snapshot_on(target)
        written = WRITE.match(sql)
        if written:
            if written.group(1) not in _ignored():
                self.wrote = True
        else:
            self.tables.update(READ.findall(sql))
        return execute(sql, params, many, context)


_watched: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _ignored() -> frozenset[str]:
    """Tables read or written for bookkeeping only: the state itself and the cache."""
    return BOOKKEEPING | {data_state.cache_table()}


def _tables(alias: str) -> tuple[frozenset[str], frozenset[str]]:
    """(every table, the watched ones) of the database behind ``alias``, once a process."""
    if alias not in _watched:
        target = connections[alias]
        _watched[alias] = (
            frozenset(target.introspection.table_names()),
            frozenset(data_state.watched_tables(target)),
        )
    return _watched[alias]


def sources_if_watched(tables: set[str], alias: str) -> set[str] | None:
    """The watched tables behind what was read; None when something read is not watched."""
    if not tables:
        return set()
    every, watched = _tables(alias)
    read = data_state.sources((tables & every) - _ignored())
    return read if read <= watched else None


def _key(request: HttpRequest, alias: str) -> str:
    # Where the reads go is part of the key: an answer read on the primary is not given
    # to a reader of the replica, which may not have replayed what it shows yet.
    parts = [
        alias,
        request.method,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.headers.get("Accept", ""),
        translation.get_language(),
        timezone.localdate().isoformat(),
        *(request.headers.get(name, "") for name in ("HX-Request", "HX-Target", "HX-Trigger")),
    ]
    return KEY_PREFIX + hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _for_visitor(request: HttpRequest) -> bool:
    if request.method != "GET" or response_lifetime_s() <= 0:
        return False
    if "Authorization" in request.headers:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.user.is_authenticated


def _keepable(request: HttpRequest, response: HttpResponse, reads: Reads) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    if "no-store" in control or "private" in control:
        return False
    if reads.wrote or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a write, or a token made outside the pages' slot
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and getattr(messages, "added_new", False))


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    slot = CSRF_SLOT.encode()
    if slot not in content:
        return content
    return content.replace(slot, get_token(request).encode())


def _answer(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(_with_token(request, kept["content"]), status=kept["status"])
    for name, value in kept["headers"]:
        response[name] = value
    response["X-Accord-Kept"] = "yes"
    return response


def csrf_slot(request: HttpRequest) -> dict[str, str]:
    """Context processor: while a visitor's page is made to be kept, its CSRF token is a
    slot filled for each request (after Django's own processor, which it overrides)."""
    return {"csrf_token": CSRF_SLOT} if getattr(request, "_accord_keep", False) else {}


class VisitorResponseCache:
    """Answers a visitor from a kept answer while the data it was read from stand."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.stored = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _for_visitor(request):
            return self.get_response(request)
        alias = router.db_for_read(ContentType)
        if connections[alias].in_atomic_block:
            return self.get_response(request)  # a test's transaction: nothing is complete
        key = _key(request, alias)
        kept = caches["answers"].get(key)
        if kept and data_state.holds(kept["state"], kept["tables"], using=alias):
            return _answer(request, kept)
        reads = Reads(alias)
        request._accord_keep = True  # type: ignore[attr-defined]
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(reads))
            response = self.get_response(request)
        request._accord_keep = False  # type: ignore[attr-defined]
        tables = sources_if_watched(reads.tables, alias)
        if tables and reads.taken is None:
            tables = None  # read elsewhere than where the state is asked
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if tables is not None and _keepable(request, response, reads):
            entry = {
                "tables": sorted(tables),
                "state": data_state.state_of(reads.taken or "", tables, using=alias),
                "status": response.status_code,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in {"content-length", "x-accord-reads"}
                ],
                "content": response.content,
            }
            caches["answers"].set(key, entry, response_lifetime_s())
            self.stored += 1
            if self.stored % _PRUNE_EVERY == 0:
                data_state.forget_changes(using=alias)
        if not response.streaming:
            response.content = _with_token(request, response.content)
        return response

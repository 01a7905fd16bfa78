"""The access matrix: every route of the site, read by every kind of reader and written by
every wrong role, against a record holding a marker of each classification.

- every read path (page, API route, export, report, calendar and Atom feed, history,
  dashboard) is requested by each reader, and its body (unzipped for DOCX/XLSX) is
  scanned for markers that reader must not see;
- every write path is tried by each reader its entry does not allow: it must be refused
  (401, 403, 404, or a redirect to sign in) and change nothing;
- the routes come from the URLconf and the OpenAPI document: one missing from the table
  in ``accord/access/tests/routes.py`` fails, with the line to add.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accord.access.tests.markers import (
    READERS,
    Record,
    all_markers,
    build_record,
    hidden_markers,
)
from accord.access.tests.routes import PREFIXES, ROUTES, Route

pytestmark = pytest.mark.django_db

ROUTE_TABLE = "accord/access/tests/routes.py"
REFUSED = {401, 403, 404, 405}
# Tables whose rows a refused request may still write: the log of who tried what.
BOOKKEEPING = {"access.auditevent", "access.apitoken", "reports.exportrecord"}


# --- the routes of the site --------------------------------------------------------------


def url_routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(key, pattern)`` for every URL of the URLconf: its name, else its pattern."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            pattern = prefix + str(entry.pattern)
            if pattern in PREFIXES or pattern.startswith("api/v1/"):
                continue
            yield from url_routes(entry.url_patterns, pattern)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            yield (entry.name or pattern), pattern


def api_routes() -> Iterator[str]:
    """``"METHOD /api/v1/path"`` for every operation of the OpenAPI document."""
    from accord.api.routes import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, operations in schema["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}"


def test_every_route_is_in_the_matrix() -> None:
    site = dict(url_routes())
    for key in api_routes():
        site[key] = key
    unlisted = sorted(key for key in site if key not in ROUTES)
    stale = sorted(key for key in ROUTES if key not in site)
    lines = []
    if unlisted:
        lines.append(
            f"{len(unlisted)} route(s) not in the access matrix. List each in ROUTES in "
            f"{ROUTE_TABLE} as read(...) (a page, API read, export or feed: the URLs to "
            "request), write(METHOD, URL, BODY, allowed=...) (a write: who may), or "
            'exempt("why it reads no record"); see that module\'s docstring. For example:'
        )
        for key in unlisted:
            example = (
                "write(...)"
                if key.split(" ")[0] in {"POST", "PATCH", "PUT", "DELETE"}
                else ('read(lambda r: ["/its/url/"])')
            )
            where = "" if site[key] == key else f"  # pattern {site[key]!r}"
            lines.append(f'    "{key}": {example},{where}')
    for key in stale:
        lines.append(f"ROUTES in {ROUTE_TABLE} lists {key!r}, which the site no longer has.")
    assert not lines, "\n".join(lines)


# --- reading bodies ----------------------------------------------------------------------


def body_text(response: Any) -> str:
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if raw[:2] == b"PK":  # DOCX, XLSX: zipped XML
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b" ".join(archive.read(name) for name in archive.namelist())
    if raw[:4] == b"%PDF":
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages).lower()
    return raw.decode("utf-8", errors="replace").lower()


@pytest.fixture
def record(db: Any) -> Iterator[Record]:
    # Hundreds of refusals are the point here: Django's log of each 403/404 is noise.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield build_record()
    finally:
        logger.setLevel(level)


def clients(record: Record) -> dict[str, Client]:
    made = {}
    for name in READERS:
        client = Client()
        if record.users[name] is not None:
            client.force_login(record.users[name])
        made[name] = client
    return made


def every_route() -> Iterator[tuple[str, Route]]:
    yield from ROUTES.items()
    yield from PREFIXES.items()


def test_no_reader_reads_a_marker_it_may_not_see(record: Record) -> None:
    readers = clients(record)
    hidden = {name: hidden_markers(name) for name in READERS}
    leaks: list[str] = []
    errors: list[str] = []
    unseen = set(all_markers())
    tried = 0
    for key, route in every_route():
        for urls in route.reads:
            for url in urls(record):
                for name, client in readers.items():
                    response = client.get(url)
                    tried += 1
                    if response.status_code >= 500:
                        errors.append(f"{name} GET {url} ({key}): {response.status_code}")
                        continue
                    text = body_text(response)
                    found = [word for word in hidden[name] if word in text]
                    unseen -= {word for word in unseen if word in text}
                    if found:
                        leaks.append(f"{name} GET {url} ({key}) reads {', '.join(found)}")
    print(f"access matrix: {tried} reads")
    assert not errors, "\n".join(errors)
    # A marker no reader ever reads would make the matrix prove nothing about it.
    assert not unseen, f"markers no route shows to anyone: {sorted(unseen)}"
    assert not leaks, f"{len(leaks)} of {tried} reads leak:\n" + "\n".join(leaks)


@functools.cache
def fingerprint_sql() -> str:
    """One query over every table of the project's apps: rows, sum of versions, latest
    change (as text, alike on both databases)."""
    parts = []
    for model in apps.get_models():
        label = model._meta.label_lower
        ours = model.__module__.startswith("accord.") or label == "auth.user"  # accounts too
        if not ours or label in BOOKKEEPING:
            continue
        columns = {f.name: f.column for f in model._meta.concrete_fields if not f.is_relation}
        quote = connection.ops.quote_name
        versions = f"SUM({quote(columns['version'])})" if "version" in columns else "0"
        changed = (
            f"CAST(MAX({quote(columns['updated_at'])}) AS TEXT)"
            if "updated_at" in columns
            else "''"
        )
        parts.append(
            f"SELECT '{label}', COUNT(*), {versions}, {changed} "  # noqa: S608 - model names
            f"FROM {quote(model._meta.db_table)}"
        )
    return " UNION ALL ".join(parts)


def fingerprint() -> dict[str, tuple[Any, ...]]:
    """Rows, sum of versions and latest change of every table of the project's apps."""
    with connection.cursor() as cursor:
        cursor.execute(fingerprint_sql())
        return {label: tuple(values) for label, *values in cursor.fetchall()}


def test_no_wrong_role_writes(record: Record) -> None:
    readers = clients(record)
    wrongful: list[str] = []
    unproven: list[str] = []
    tried = 0
    for key, route in every_route():
        for attempt in route.writes:
            for name, client in readers.items():
                if name in attempt.allowed and name != "secretariat":
                    continue
                url = attempt.url(record)
                before = fingerprint()
                with transaction.atomic():
                    body = attempt.body(record)
                    if attempt.encoding == "json":
                        response = client.generic(
                            attempt.method, url, json.dumps(body), "application/json"
                        )
                    else:
                        response = client.post(url, body)
                    changed = [
                        label for label, value in fingerprint().items() if before[label] != value
                    ]
                    transaction.set_rollback(True)  # a wrongful write must not spoil the next
                status = response.status_code
                if name in attempt.allowed:
                    # The secretariat's own try proves the attempt is a real write.
                    if not changed:
                        unproven.append(f"{attempt.method} {url} ({key}): {status}")
                    continue
                tried += 1
                signing_in = status == 302 and "/login/" in response.get("Location", "")
                reported = attempt.invalid_is_refusal and status in {200, 400, 422}
                if changed or not (status in REFUSED or signing_in or reported):
                    wrongful.append(
                        f"{name} {attempt.method} {url} ({key}): {status}"
                        + (f", changed {', '.join(changed)}" if changed else "")
                    )
    print(f"access matrix: {tried} writes by wrong roles")
    assert not unproven, "writes that change nothing even for the secretariat:\n" + "\n".join(
        unproven
    )
    assert not wrongful, f"{len(wrongful)} of {tried} wrong-role writes not refused:\n" + (
        "\n".join(wrongful)
    )

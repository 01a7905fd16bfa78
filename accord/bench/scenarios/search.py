"""The search through the API against the same full-text query in raw SQL, and against
Datasette's full-text search of the same rows (SQLite).

The record: the meetings benchmark's meetings and action points, the initiatives
benchmark's initiatives, and minutes of eight paragraphs for every meeting, written in
bulk; the index is then built once (``reindex``, timed into the line) and kept with the
benchmark database. The query is a French verb whose other forms the minutes hold, as
an anonymous reader asks it: count, first page with snippets, four facets.
"""

from __future__ import annotations

import atexit
import json
import random
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from accord.bench.harness import scenario
from accord.bench.scenarios.commitments import SIZES as INITIATIVE_SIZES
from accord.bench.scenarios.commitments import generate_initiatives
from accord.bench.scenarios.meetings import generate as generate_meetings
from accord.meetings.models import Meeting, Minutes, MinutesStatus
from accord.search.indexing import reindex
from accord.search.models import SearchEntry
from accord.search.text import parse_query

QUERY = "réintégrer"
PARAGRAPHS = 8
SENTENCES = [
    "The partners reviewed the reintegration of returning migrants in the region.",
    "La réintégration durable des migrants de retour reste une priorité.",
    "Delegates discussed legal pathways and labour mobility schemes.",
    "Le soutien aux communautés d'accueil a été renforcé.",
    "Data on assisted voluntary return were presented by IOM.",
    "Les partenaires ont décidé de réintégrer les indicateurs dans le rapport.",
    "The evidence base on smuggling routes needs further work.",
    "Protection and asylum were discussed under the second item.",
]


def _minutes(scale: str) -> None:
    """Approved minutes for every meeting of the benchmark that has none."""
    rng = random.Random(2027)
    missing = Meeting.objects.filter(tier__code__startswith=f"m{scale[0]}-", minutes__isnull=True)
    Minutes.objects.bulk_create(
        (
            Minutes(
                meeting=meeting,
                status=MinutesStatus.APPROVED,
                body="\n\n".join(
                    " ".join(rng.sample(SENTENCES, 3)) + f" Point {n}." for n in range(PARAGRAPHS)
                ),
                body_html="",
            )
            for meeting in missing.only("pk")
        ),
        batch_size=1000,
    )


@dataclass
class SearchContext:
    client: Client
    entries: int
    reindex_s: float
    params: dict[str, str]
    sql: list[tuple[str, list[Any]]]


def _visible_sql() -> str:
    """The anonymous reader's records of the kinds the benchmark holds, as written by hand:
    public meetings, public action points and approved minutes of public meetings, public
    initiatives."""
    return """(
        e.kind IN ('commitment', 'partner')
        OR (e.kind = 'meeting' AND e.object_id IN (
            SELECT id FROM meetings_meeting WHERE classification = 'public'))
        OR (e.kind = 'action_point' AND e.object_id IN (
            SELECT a.id FROM meetings_actionpoint a JOIN meetings_meeting m ON m.id = a.meeting_id
            WHERE a.classification = 'public' AND m.classification = 'public'))
        OR (e.kind = 'minutes' AND e.object_id IN (
            SELECT n.id FROM meetings_minutes n JOIN meetings_meeting m ON m.id = n.meeting_id
            WHERE n.status = 'approved' AND m.classification = 'public'))
        OR (e.kind = 'initiative' AND e.object_id IN (
            SELECT id FROM commitments_initiative WHERE classification = 'public'))
    )"""


def _raw_statements(query: str) -> list[tuple[str, list[Any]]]:
    parsed = parse_query(query)
    if connection.vendor == "postgresql":
        match = "e.document @@ to_tsquery('simple', %s)"
        expression = parsed.tsquery()
        ranked = (
            "SELECT e.kind, e.title, e.body, e.url, e.meeting_id, e.anchor, e.date "
            f"FROM search_searchentry e WHERE {match} AND {_visible_sql()} "
            "ORDER BY ts_rank(e.document, to_tsquery('simple', %s)) DESC, e.date DESC, e.id "
            "LIMIT 20"
        )
        ranked_params = [expression, expression]
    else:
        match = "e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
        expression = parsed.fts5()
        ranked = (
            "SELECT e.kind, e.title, e.body, e.url, e.meeting_id, e.anchor, e.date "
            "FROM search_fts f JOIN search_searchentry e ON e.id = f.rowid "
            f"WHERE search_fts MATCH %s AND {_visible_sql()} "
            "ORDER BY f.rank, e.date DESC, e.id LIMIT 20"
        )
        ranked_params = [expression]
    where = f"WHERE {match} AND {_visible_sql()}"
    return [
        (f"SELECT COUNT(*) FROM search_searchentry e {where}", [expression]),
        (ranked, ranked_params),
        (
            f"SELECT e.kind, COUNT(*) FROM search_searchentry e {where} GROUP BY e.kind",
            [expression],
        ),
        (
            f"SELECT e.year, COUNT(*) FROM search_searchentry e {where} AND e.year IS NOT NULL "
            "GROUP BY e.year ORDER BY e.year DESC LIMIT 20",
            [expression],
        ),
        *(
            (
                "SELECT t.value, COUNT(*) FROM search_searchtag t "
                f"WHERE t.facet = '{facet}' AND t.entry_id IN "
                f"(SELECT e.id FROM search_searchentry e {where}) "
                "GROUP BY t.value ORDER BY COUNT(*) DESC, t.value LIMIT 20",
                [expression],
            )
            for facet in ("partner", "instrument")
        ),
    ]


def _build(scale: str) -> tuple[int, float]:
    generate_meetings(scale)
    generate_initiatives(scale)
    _minutes(scale)
    expected = INITIATIVE_SIZES[scale]["initiatives"]
    seconds = 0.0
    if SearchEntry.objects.filter(kind="initiative").count() < expected:
        start = time.perf_counter()
        reindex()
        seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return SearchEntry.objects.count(), seconds


def setup(scale: str) -> SearchContext:
    entries, seconds = _build(scale)
    return SearchContext(
        client=Client(),
        entries=entries,
        reindex_s=seconds,
        params={"q": QUERY, "limit": "20"},
        sql=_raw_statements(QUERY),
    )


def raw(context: SearchContext) -> object:
    with connection.cursor() as cursor:
        rows = []
        for statement, params in context.sql:
            cursor.execute(statement, params)
            rows.append(cursor.fetchall())
    return rows


@scenario(
    "search",
    goal=2.0,
    floor="the same full-text match, ranking, count and facets in raw SQL",
    setup=setup,
    baseline=raw,
    size=lambda c: f"{c.entries} index entries, q={QUERY!r}",
    repeat=20,
    extra=lambda c: {
        "reindex_s": round(c.reindex_s, 2),
        "matches": c.client.get("/api/v1/search", c.params).json()["count"],
    },
)
def search_api(context: SearchContext) -> object:
    response = context.client.get("/api/v1/search", context.params)
    if response.status_code != 200:
        raise RuntimeError(response.content[:200])
    return response


# --- against Datasette ------------------------------------------------------------------


@dataclass
class DatasetteContext:
    client: Client
    entries: int
    params: dict[str, str]
    datasette_url: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_datasette(database: Path) -> str:
    port = _free_port()
    command = [
        str(Path(sys.executable).with_name("datasette")),
        "serve",
        str(database),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "60000",
        "--setting",
        "facet_time_limit_ms",
        "60000",
        "--setting",
        "suggest_facets",
        "off",
    ]
    process = subprocess.Popen(  # noqa: S603 - our own executable and arguments
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    atexit.register(process.terminate)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=1):  # noqa: S310
                return base
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Datasette did not start")


def datasette_setup(scale: str) -> DatasetteContext:
    if connection.vendor != "sqlite":
        raise RuntimeError("search_vs_datasette runs on SQLite only")
    entries, _seconds = _build(scale)
    database = Path(settings.DATABASES["default"]["NAME"])
    base = _start_datasette(database)
    expression = parse_query(QUERY).fts5()
    query = urllib.parse.urlencode(
        [
            ("_search", expression),
            ("_searchmode", "raw"),
            ("_fts_table", "search_fts"),
            ("_fts_pk", "id"),
            ("_facet", "kind"),
            ("_facet", "year"),
            ("_size", "20"),
            ("_shape", "objects"),
            ("_col", "kind"),
            ("_col", "title"),
            ("_col", "body"),
            ("_col", "url"),
            ("_col", "date"),
        ]
    )
    secretariat, _created = get_user_model().objects.get_or_create(
        username="bench-search", defaults={"is_superuser": True}
    )
    client = Client()
    client.force_login(secretariat)
    return DatasetteContext(
        client=client,
        entries=entries,
        params={"q": QUERY, "limit": "20"},
        datasette_url=f"{base}/{database.stem}/search_searchentry.json?{query}",
    )


def datasette(context: DatasetteContext) -> Any:
    with urllib.request.urlopen(context.datasette_url, timeout=120) as answer:  # noqa: S310
        return json.load(answer)


@scenario(
    "search_vs_datasette",
    goal=1.0,
    floor="Datasette's full-text search of the same rows (JSON, two facets), over HTTP",
    setup=datasette_setup,
    baseline=datasette,
    size=lambda c: f"{c.entries} index entries, q={QUERY!r}, as the secretariat (every row)",
    repeat=20,
    extra=lambda c: {"datasette_count": datasette(c)["filtered_table_rows_count"]},
)
def search_for_datasette(context: DatasetteContext) -> object:
    response = context.client.get("/api/v1/search", context.params)
    if response.status_code != 200:
        raise RuntimeError(response.content[:200])
    return response

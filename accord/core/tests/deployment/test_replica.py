"""A PostgreSQL primary and its streaming replica behind one served site: safe requests
read the replica, writes go to the primary, a writer reads their own write at once, and
the pages still answer when the replica is down."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from accord.core.served import serving
from accord.core.tests.deployment import pgreplica
from accord.core.tests.deployment.conftest import POSTGRES_URL, PreparedSite, postgres_only
from accord.core.tests.deployment.http import Browser

pytestmark = postgres_only


@pytest.fixture(scope="module")
def replicated(served_site: PreparedSite) -> Iterator[tuple[str, str]]:
    """The served site reading from a fresh replica: its base URL and database name."""
    database = urlsplit(served_site.site.database_url).path.lstrip("/")
    with pgreplica.streaming_replica(POSTGRES_URL) as replica_base:
        pgreplica.wait_until(lambda: _replica_has(database))
        site = dataclasses.replace(
            served_site.site,
            extra={**served_site.site.extra, "ACCORD_REPLICA_URL": f"{replica_base}/{database}"},
        )
        with serving(site, workers=2) as base:
            yield base, database


def _replica_has(database: str) -> bool:
    try:
        with pgreplica.replica_connection(database) as replica:
            return bool(replica.execute("SELECT pg_is_in_recovery()").fetchone())
    except Exception:
        return False


def test_reads_go_to_the_replica_and_a_writer_reads_the_primary(
    replicated: tuple[str, str], served_site: PreparedSite
) -> None:
    base, database = replicated
    with pgreplica.replica_connection(database) as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            writer = Browser()
            created = writer.post_json(
                f"{base}/api/v1/meetings/som-1/action-points",
                {
                    "text": "Seen on the primary first",
                    "owners": ["IOM"],
                    "status": "done",
                    "classification": "public",
                },
                served_site.token,
            )
            assert created.status == 201, created.text
            assert "accord_primary" in created.cookies  # the writer's stamp
            url = f"{base}/api/v1/action-points/{created.json()['id']}"
            # The writer, stamped, reads the primary: their write is there.
            own = writer.get(url)
            assert (own.status, own.headers["X-Accord-Reads"]) == (200, "primary")
            # Another reader reads the paused replica, which has not replayed it yet.
            other = Browser().get(url)
            assert (other.status, other.headers["X-Accord-Reads"]) == (404, "replica")
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    pgreplica.wait_until(lambda: Browser().get(url).status == 200)


def test_pages_answer_when_the_replica_is_down(replicated: tuple[str, str]) -> None:
    base, _database = replicated
    reader = Browser()
    assert reader.get(f"{base}/meetings/").headers["X-Accord-Reads"] == "replica"
    pgreplica.stop_replica()
    try:
        for path in ("/", "/meetings/", "/api/v1/meetings", "/api/v1/partners"):
            answer = reader.get(base + path)
            assert answer.status == 200, (path, answer.text[:300])
            assert answer.headers["X-Accord-Reads"] == "primary"
        assert "1st Senior Officials Meeting" in reader.get(f"{base}/api/v1/meetings").text
    finally:
        pgreplica.start_replica()

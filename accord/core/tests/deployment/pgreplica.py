"""A streaming replica of the local PostgreSQL primary, made with ``pg_basebackup``.

The replica's cluster lives in a fixed folder and listens on 127.0.0.1:5442; one left by
an interrupted run is stopped and removed first. Its tools and server run as the
``postgres`` user. The primary must accept replication connections from the loopback
address: if its ``pg_hba.conf`` has no such rule, one line is added (only once, marked)
and the configuration reloaded; nothing else of the primary is changed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PORT = 5442
# A fixed folder, so that a run interrupted before its cleanup is cleaned by the next.
DATA = Path(tempfile.gettempdir()) / "accord-replica-5442"
HBA_LINE = "host replication all 127.0.0.1/32 trust  # accord: replica tests\n"
# A hot standby needs at least the primary's values of these.
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _as_postgres(*command: str, timeout: float = 120) -> str:
    done = subprocess.run(  # noqa: S603
        ["/usr/sbin/runuser", "-u", "postgres", "--", *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}\n{done.stderr}")
    return done.stdout


def _primary(url: str) -> psycopg.Connection:
    return psycopg.connect(
        urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True, connect_timeout=10
    )


def allow_replication(url: str) -> None:
    """Make sure the primary streams its WAL to a loopback replica (idempotent)."""
    with _primary(url) as primary:
        level = primary.execute("SHOW wal_level").fetchone()
        senders = primary.execute("SHOW max_wal_senders").fetchone()
        if not level or level[0] not in {"replica", "logical"} or not senders or senders[0] == "0":
            raise RuntimeError("The primary needs wal_level=replica and max_wal_senders > 0.")
        rules = primary.execute(
            "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)"
            " AND (type = 'local' OR address IN ('127.0.0.1', 'all', 'samehost'))"
        ).fetchone()
        if rules and rules[0]:
            return
        row = primary.execute("SHOW hba_file").fetchone()
        hba = Path(row[0]) if row else None
        if hba is None or not os.access(hba, os.W_OK):
            raise RuntimeError(f"The primary refuses replication and {hba} is not writable.")
        if HBA_LINE not in hba.read_text():
            with hba.open("a") as rules_file:
                rules_file.write(HBA_LINE)
        primary.execute("SELECT pg_reload_conf()")


def _stop() -> None:
    if (DATA / "postmaster.pid").exists():
        with contextlib.suppress(Exception):
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(DATA), "-m", "fast", "-w", "stop")
        with contextlib.suppress(Exception):
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(DATA), "-m", "immediate", "stop")


def stop_replica() -> None:
    _stop()


def start_replica() -> None:
    _as_postgres(
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(DATA),
        "-l",
        str(DATA / "server.log"),
        "-w",
        "-t",
        "60",
        "start",
    )


def replica_connection(database: str) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1",
        port=PORT,
        user="postgres",
        dbname=database,
        autocommit=True,
        connect_timeout=5,
    )


@contextlib.contextmanager
def streaming_replica(primary_url: str) -> Iterator[str]:
    """A hot standby of the primary on port 5442 until the block ends; its URL without a
    database name."""
    allow_replication(primary_url)
    _stop()
    shutil.rmtree(DATA, ignore_errors=True)
    parts = urlsplit(primary_url)
    try:
        _as_postgres(
            str(PG_BIN / "pg_basebackup"),
            "-h",
            parts.hostname or "127.0.0.1",
            "-p",
            str(parts.port or 5432),
            "-U",
            parts.username or "postgres",
            "-D",
            str(DATA),
            "-R",  # standby.signal and primary_conninfo: a streaming standby
            "-X",
            "stream",
            "-c",
            "fast",
        )
        with _primary(primary_url) as primary:
            limits = {
                name: (primary.execute(f"SHOW {name}").fetchone() or ("",))[0]
                for name in AT_LEAST_PRIMARY
            }
        settings = [
            f"port = {PORT}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{DATA}'",
            "hot_standby = on",
            "shared_buffers = 32MB",
            "fsync = off",
            *(f"{name} = {value}" for name, value in limits.items()),
        ]
        (DATA / "postgresql.conf").write_text("\n".join(settings) + "\n")
        (DATA / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (DATA / "pg_ident.conf").write_text("")
        shutil.chown(DATA / "postgresql.conf", "postgres", "postgres")
        shutil.chown(DATA / "pg_hba.conf", "postgres", "postgres")
        shutil.chown(DATA / "pg_ident.conf", "postgres", "postgres")
        start_replica()
        yield f"postgres://{parts.username or 'postgres'}@127.0.0.1:{PORT}"
    finally:
        _stop()
        shutil.rmtree(DATA, ignore_errors=True)


def wait_until(check: object, seconds: float = 30) -> None:
    """Call ``check`` until it answers true, or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not true within {seconds} s: {check}")

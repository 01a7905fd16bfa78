"""Accord served as production serves it, in processes of its own, for the load benchmark
and the deployment tests: a database and data directory of its own, ``accord`` commands
run against them, and ``accord serve`` (gunicorn) on a free loopback port.

Everything started here is stopped by the context manager that started it, on failure too.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BIN = Path(sys.executable).parent


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def processes() -> Iterator[tuple[int, list[str]]]:
    """Each process now running: its id and the fields of its ``/proc/<id>/stat`` after
    its name (state, parent, group, session, ...)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        yield int(entry.name), fields


def database_beside(url: str, suffix: str) -> str:
    """The URL of the PostgreSQL database named like ``url``'s with ``suffix`` added."""
    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "accord") + suffix
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


def database_create(url: str, *, fresh: bool = True) -> None:
    """Create ``url``'s PostgreSQL database (dropped first when ``fresh``)."""
    name = urlsplit(url).path.lstrip("/")
    if fresh:
        database_drop(url)
    with contextlib.suppress(Exception):  # kept from an earlier run
        _admin(url, f'CREATE DATABASE "{name}"')


def database_drop(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Site:
    """The environment every process of one served site shares."""

    data_dir: Path
    database_url: str = ""  # empty: SQLite in the data directory
    extra: dict[str, str] = field(default_factory=dict)
    static_root: Path | None = None  # collected static files, shareable between sites

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "ACCORD_DATA_DIR": str(self.data_dir),
            "ACCORD_SECRET_KEY": "served-site-" + str(self.data_dir),
            "ACCORD_DEBUG": "",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **self.extra,
        }
        for name in ("ACCORD_DATABASE_URL", "ACCORD_REPLICA_URL", "ACCORD_S3_BUCKET"):
            if name not in self.extra:
                env.pop(name, None)
        if self.database_url:
            env["ACCORD_DATABASE_URL"] = self.database_url
        if self.static_root is not None:
            env["ACCORD_STATIC_ROOT"] = str(self.static_root)
        return env

    def accord(self, *args: str, timeout: float = 300) -> str:
        """Run an ``accord`` command on this site; its output."""
        done = subprocess.run(  # noqa: S603
            [str(BIN / "accord"), *args],
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"accord {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self) -> str:
        """Migrate, load the reference record and demo accounts; a secretariat token."""
        self.accord("demo", "--no-serve")
        return self.accord("token", "create", "secretariat").strip().split()[-1]


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"accord serve stopped with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"accord serve did not answer {url} within {seconds} s")


@contextlib.contextmanager
def serving(site: Site, *, workers: int = 2, seconds: float = 180) -> Iterator[str]:
    """``accord serve`` on a free loopback port until the block ends; its base URL."""
    address = f"127.0.0.1:{free_port()}"
    site.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = site.data_dir / f"serve-{address.rsplit(':', 1)[1]}.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "accord"), "serve", "--addr", address, "--workers", str(workers)],
            env=site.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            try:
                wait_for(f"http://{address}/health/", server, seconds)
            except RuntimeError as error:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{error}\n{tail}") from error
            yield f"http://{address}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)

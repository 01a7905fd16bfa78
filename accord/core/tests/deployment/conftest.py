"""A site served as production serves it (``accord serve``), shared by the deployment
tests of one run: its own data directory and, on PostgreSQL, its own database beside the
suite's (``<name>_site``), made afresh and dropped at the end."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from accord.core.served import Site, database_beside, database_create, database_drop

POSTGRES_URL = os.environ.get("ACCORD_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL")


def log_tail(log: Path) -> str:
    """The end of a served process's log, for an assertion's message."""
    return log.read_text(errors="replace")[-2000:]


def log_wait(log: Path, text: str, seconds: float = 30) -> None:
    """Wait until ``text`` stands in the log of a served process."""
    deadline = time.monotonic() + seconds
    while text not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, log_tail(log)
        time.sleep(0.05)


def shared_static_root() -> Path:
    """One collected static folder per checkout, kept between runs (collected once)."""
    key = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"accord-served-static-{key}"


@dataclass
class PreparedSite:
    site: Site
    token: str  # the secretariat's API token


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreparedSite]:
    data_dir = tmp_path_factory.mktemp("served-site")
    # One per pytest-xdist worker, should two of them serve a site.
    suffix = "_site" + os.environ.get("PYTEST_XDIST_WORKER", "")
    database = database_beside(POSTGRES_URL, suffix) if ON_POSTGRES else ""
    if database:
        database_create(database, fresh=True)
    site = Site(data_dir=data_dir, database_url=database, static_root=shared_static_root())
    try:
        yield PreparedSite(site=site, token=site.prepare())
    finally:
        if database:
            database_drop(database)
        shutil.rmtree(data_dir, ignore_errors=True)

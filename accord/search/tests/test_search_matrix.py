"""The access matrix's marker records through the search: each reader finds the markers
of the records it may read, and none of the others (the matrix proves the latter for
every route; this proves the search finds, and runs on its own)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from accord.access.tests.markers import READERS, Record, all_markers, build_record, hidden_markers
from accord.access.tests.routes import ROUTES
from accord.access.tests.test_matrix import body_text, clients


@pytest.fixture
def record(db: Any) -> Iterator[Record]:
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield build_record()
    finally:
        logger.setLevel(level)


def test_search_finds_what_each_reader_may_read_and_nothing_else(record: Record) -> None:
    readers = clients(record)
    # Datasets are read through their indicators; an open procedure's draft decision is
    # searched once adopted, as the decision it becomes.
    searchable = {m for m in all_markers() if not m.startswith(("mkrdataset", "mkrprocedure"))}
    for name in READERS:
        hidden = set(hidden_markers(name))
        read = ""
        for key in ("search", "GET /api/v1/search"):
            for urls in ROUTES[key].reads:
                for url in urls(record):
                    response = readers[name].get(url)
                    assert response.status_code == 200, (name, url)
                    read += body_text(response)
        leaked = sorted(word for word in hidden if word in read)
        assert not leaked, f"{name} reads {leaked}"
        missed = sorted(word for word in searchable - hidden if word not in read)
        assert not missed, f"{name} does not find {missed}"

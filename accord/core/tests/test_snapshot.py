"""The reference record put back from the run's copy is the record the loader writes."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accord.core.tests import snapshot
from accord.partners.models import Organisation


def _load() -> None:
    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _state() -> dict[str, Any]:
    tables = list(snapshot._tables())
    found = Client().get("/api/v1/search", {"q": "Valletta"}).json()["count"]
    return {
        "counts": snapshot._counts(tables),
        "acronyms": sorted(Organisation.objects.values_list("acronym", flat=True)),
        "search": found,
    }


def test_the_copy_put_back_is_what_the_loader_writes(db: Any) -> None:
    point = transaction.savepoint()
    _load()
    loaded = _state()
    transaction.savepoint_rollback(point)
    point = transaction.savepoint()
    snapshot.load_once(_load)  # takes a copy in this state, unless one was taken in it
    transaction.savepoint_rollback(point)
    assert snapshot._taken

    calls: list[str] = []
    snapshot.load_once(lambda: calls.append("loader"))
    assert calls == []  # put back, not loaded
    assert _state() == loaded
    assert loaded["search"] > 0  # the search index was filled by its triggers
    # The sequences moved past the rows put back: a new record takes a new id.
    Organisation.objects.create(acronym="NEW", name="A new partner")


def test_a_database_in_another_state_meets_the_real_loader(db: Any) -> None:
    Organisation.objects.create(acronym="IOM", name="Written before the reference")
    calls: list[str] = []
    snapshot.load_once(lambda: calls.append("loader"))
    assert calls == ["loader"]

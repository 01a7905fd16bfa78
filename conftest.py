"""Fixtures shared by every app's tests: the reference record, users with roles, API clients."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client


def pytest_configure(config: pytest.Config) -> None:
    # A suite asked to run on PostgreSQL must run there, never quietly fall back.
    url = os.environ.get("ACCORD_DATABASE_URL", "")
    engine = settings.DATABASES["default"]["ENGINE"]
    if url.startswith("postgres") and "postgresql" not in engine:
        raise pytest.UsageError(f"ACCORD_DATABASE_URL asks for PostgreSQL but got {engine}")


# Tests that share a server or a fixed port run on one pytest-xdist worker, one after
# the other: `make test` runs `pytest -n auto --dist loadscope`, whose units are these
# folders and otherwise the test modules (largest first).
SHARED_FOLDERS = ("accord/core/tests/browser/", "accord/core/tests/deployment/")


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    class SharedServerScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for folder in SHARED_FOLDERS:
                if nodeid.startswith(folder):
                    return folder
            return super()._split_scope(nodeid)

    return SharedServerScheduling(config, log)


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts and ends in the default language: the test client leaves the last
    request's language (a French page, say) active in the thread that ran it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def reference(db: Any) -> None:
    """The reference record, loaded as `accord load-reference` does (once per run: later
    tests get the same rows back, see ``accord/core/tests/snapshot.py``)."""
    from django.core.management import call_command

    from accord.core.tests.snapshot import load_once

    load_once(lambda: call_command("load_reference", stdout=open(os.devnull, "w")))  # noqa: SIM115


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """``make_user("alice", role=("DG HOME", "focal_point"))``: a user with roles."""
    from accord.access.services import role_grant
    from accord.partners.tests.factories import OrganisationFactory, UserFactory

    def make(username: str = "", *roles: tuple[str, str], **fields: Any) -> Any:
        user = UserFactory(**({"username": username} if username else {}), **fields)
        for acronym, kind in roles:
            organisation = OrganisationFactory(acronym=acronym)  # get or create
            role_grant(user=user, organisation_id=organisation.pk, kind=kind)
        return user

    return make


@pytest.fixture
def api_client(db: Any) -> Callable[..., Client]:
    """``api_client(user)``: a client that sends a real bearer token for ``user``."""
    from accord.access.services import token_create

    def make(user: Any = None) -> Client:
        if user is None:
            return Client()
        _token, plain = token_create(user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {plain}"})

    return make

"""Fixtures for the meetings tests: the reference record's SOMs and users by role."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def secretariat(make_user: Any, reference: None) -> Any:
    return make_user("sec", ("IOM-RO-BRU", "secretariat"))


@pytest.fixture
def home_focal(make_user: Any, reference: None) -> Any:
    return make_user("home-focal", ("DG HOME", "focal_point"))


@pytest.fixture
def iom_focal(make_user: Any, reference: None) -> Any:
    return make_user("iom-focal", ("IOM", "focal_point"))


@pytest.fixture
def som(reference: None) -> Any:
    """``som(3)``: the 3rd Senior Officials Meeting of the reference record."""
    from accord.meetings.selectors import meeting_get

    def get(ordinal: int) -> Any:
        return meeting_get(user=None, key=f"som-{ordinal}")

    return get


@pytest.fixture
def org(reference: None) -> Any:
    from accord.partners.selectors import organisation_get

    return organisation_get

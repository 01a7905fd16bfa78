"""Fixtures of the commitments tests: people in each reporting role, a JVAP record."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def roles(make_user: Any, reference: None) -> dict[str, Any]:
    return {
        "secretariat": make_user("sec", ("IOM-RO-BRU", "secretariat")),
        "focal": make_user("home-focal", ("DG HOME", "focal_point")),
        "contributor": make_user("home-contrib", ("DG HOME", "contributor")),
        "other_focal": make_user("iom-focal", ("IOM", "focal_point")),
        "member": make_user("member", ("EEAS", "member")),
    }

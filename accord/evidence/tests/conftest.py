"""Fixtures for the evidence tests: files to import, written where the test says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accord.evidence.models import Indicator, Place, PlaceKind


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def deaths(db: object) -> Indicator:
    """An indicator and a named route, as the reference record has them."""
    Place.objects.get_or_create(
        code="CENTRAL_MEDITERRANEAN_ROUTE",
        defaults={"name": "Central Mediterranean route", "kind": PlaceKind.ROUTE},
    )
    indicator, _ = Indicator.objects.get_or_create(
        code="MMP_DEAD_MISSING",
        defaults={"name": "Migrants recorded dead or missing", "unit": "persons"},
    )
    return indicator


@pytest.fixture
def refugees(db: object) -> Indicator:
    """SDG 10.7.4 (refugees), into which the publishers' variant files import."""
    return Indicator.objects.create(code="SDG_10_7_4", name="Refugees", unit="persons")


def import_into_refugees(path: Path, **options: object) -> object:
    """The observations import of ``path`` into SDG_10_7_4, as the CLI runs it."""
    from accord.evidence.importing import Options, observations_import

    options.setdefault("indicator", "SDG_10_7_4")
    return observations_import(path=path, options=Options(**options))

"""The DuckDB floor computes the same coverage as the database it copies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord.bench.scenarios import commitments as bench

pytestmark = pytest.mark.django_db


def _comparable(results: list[list[tuple]]) -> list[list[tuple]]:
    def cell(value: object) -> object:
        if isinstance(value, float | Decimal):
            return round(float(value), 2)
        return value

    return [sorted(tuple(cell(value) for value in row) for row in rows) for rows in results]


def test_duckdb_gives_the_coverage_the_database_gives():
    context = bench.coverage_setup("test")
    ours = _comparable(bench.coverage_raw(context))
    duck = _comparable(bench.coverage_duckdb(context))
    assert len(ours) == len(duck) >= 3
    assert ours == duck
    assert ours[1]  # the coverage statement found rows: the comparison says something

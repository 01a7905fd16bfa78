"""The evidence scenarios run, at a size for tests, on this database."""

import pytest
from django.test import override_settings

from accord.bench.harness import REGISTRY, measure
from accord.bench.scenarios import evidence, evidence_import  # registers the scenarios

pytestmark = pytest.mark.django_db(transaction=True)


def test_read_scenarios_agree_with_raw_sql(db):
    context = evidence.read_setup("test")
    assert context.data.rows == 2 * 5 * 3 * 10
    context.step = 0
    accord_rows = evidence.series_accord(context)
    context.step = 0
    sql_rows = evidence.series_sql(context)
    assert [o["value"] for o in accord_rows] == [row[8] for row in sql_rows]
    assert len(accord_rows) == 3
    context.step = 0
    assert len(evidence.cross_accord(context)) == 5 == len(evidence.cross_sql(context))
    evidence._CACHE.clear()


def test_import_scenario_reports_memory(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        result = measure(REGISTRY["evidence_import_csv"], "test", repeat=1)
    assert result.extra["rows"] == 2_000
    assert result.extra["peak_mb"] > 0
    assert result.floor_median_s > 0
    assert result.extra["bare_table_load_s"] > 0
    assert evidence_import.IMPORT_ROWS["test"] == 2_000


def test_sdmx_scenario_imports_every_observation(tmp_path):
    from accord.bench.scenarios import sdmx  # registers the scenario

    with override_settings(DATA_DIR=tmp_path):
        result = measure(REGISTRY["sdmx_import"], "test", repeat=1)
        context = sdmx.sdmx_setup("test")
        report = sdmx._import(context.xml)
    assert report.rows == 2_000
    assert result.extra["sdmx_csv_rows"] == 2_000
    assert result.floor_median_s > 0

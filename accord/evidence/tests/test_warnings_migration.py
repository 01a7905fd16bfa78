"""The migration that makes the indicators' data-quality warnings core's record
warnings keeps every warning, with its indicator, line, column, value and rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("evidence", "0004_sample_flag"), ("core", "0001_import_runs_and_record_warnings")]
AFTER = [("evidence", "0005_data_quality_warnings_become_record_warnings")]


@pytest.mark.django_db(transaction=True)
def test_existing_warnings_become_record_warnings_of_their_indicator():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    indicator = apps.get_model("evidence", "Indicator").objects.create(
        code="SDG_10_7_4", name="Refugees", unit="per 100,000"
    )
    dataset = apps.get_model("evidence", "Dataset").objects.create(
        name="kazstat.csv", source="Bureau of National Statistics"
    )
    version = apps.get_model("evidence", "DatasetVersion").objects.create(
        dataset=dataset,
        number=1,
        kind="tidy_csv",
        file_name="kazstat.csv",
        rows=3,
        imported_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
        is_current=True,
    )
    old = apps.get_model("evidence", "DataQualityWarning").objects
    old.create(version=version, indicator=indicator, line=4, column="GeoCode", value="KZ-XYZ",
               message="kept as written", rows=2)  # fmt: skip
    old.create(version=version, indicator=None, line=0, column="Units", message="no units")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    version = apps.get_model("evidence", "DatasetVersion").objects.get()
    assert version.run.file_name == "kazstat.csv"
    assert version.run.warnings == 2
    kept = apps.get_model("core", "RecordWarning").objects.order_by("line")
    assert [
        (w.content_type.model, w.object_id, w.line, w.field, w.value, w.rows, w.run_id)
        for w in kept
    ] == [
        ("dataset", str(dataset.pk), 0, "Units", "", 1, version.run_id),
        ("indicator", str(indicator.pk), 4, "GeoCode", "KZ-XYZ", 2, version.run_id),
    ]
    assert kept[1].publisher == "Bureau of National Statistics"

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # and back
    apps = executor.loader.project_state(BEFORE).apps
    back = apps.get_model("evidence", "DataQualityWarning").objects.order_by("line")
    assert [(w.indicator_id, w.column, w.rows) for w in back] == [
        (None, "Units", 1),
        (indicator.pk, "GeoCode", 2),
    ]
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

"""``accord partition-observations``: the observations partitioned by indicator on
PostgreSQL, the rows and constraints kept, and an indicator's queries reading one
partition (the plans show the pruning)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from accord.evidence import selectors
from accord.evidence.models import Indicator, Observation
from accord.evidence.partitioning import is_partitioned, partition_count
from accord.evidence.tests.factories import IndicatorFactory, ObservationFactory, PlaceFactory

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"
)


def _partitions_in(plan: str) -> set[str]:
    return set(re.findall(r"evidence_observation_p\d+", plan))


@pytest.mark.django_db
@on_postgres
def test_partitioned_by_indicator_the_rows_stay_and_one_partition_is_read() -> None:
    indicators = [Indicator.objects.get(pk=IndicatorFactory(code=f"PART_{n}").pk) for n in range(6)]
    places = [PlaceFactory(code=f"PART_PLACE_{n}") for n in range(2)]
    for indicator in indicators:
        for place in places:
            for year in (2019, 2020, 2021):
                ObservationFactory(
                    indicator=indicator,
                    place=place,
                    period_start=dt.date(year, 1, 1),
                    value=year,
                )
    before = sorted(Observation.objects.values_list("id", "indicator_id", "value"))

    out = io.StringIO()
    call_command("partition_observations", partitions=4, stdout=out)
    assert "36 rows in 4 partitions" in out.getvalue()
    assert is_partitioned()
    assert partition_count() == 4
    assert sorted(Observation.objects.values_list("id", "indicator_id", "value")) == before

    # New rows get new ids; the series key is still unique.
    added = ObservationFactory(
        indicator=indicators[0], place=places[0], period_start=dt.date(2022, 1, 1)
    )
    assert added.pk > max(row[0] for row in before)
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(
            indicator=indicators[0], place=places[0], period_start=dt.date(2022, 1, 1)
        )

    # The indicator page's queries: its observations, its places, its series.
    indicator = indicators[3]
    plans = [
        selectors.observation_list(indicator, selectors.ObservationFilter()).explain(),
        selectors.observation_places(indicator).explain(),
        Observation.objects.filter(indicator=indicator)
        .values("series", "units")
        .distinct()
        .explain(),
    ]
    for plan in plans:
        assert len(_partitions_in(plan)) == 1, plan
    everything = Observation.objects.all().explain()
    assert len(_partitions_in(everything)) == 4

    with pytest.raises(CommandError, match="partitioned already"):
        call_command("partition_observations", partitions=4)


@pytest.mark.django_db
def test_sqlite_keeps_one_table() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is SQLite's")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("partition_observations")

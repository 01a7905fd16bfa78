"""What the indicator page keeps of all an indicator's figures (progress, places, series,
breakdowns) is served while the figures stand and read anew after any write to them,
whichever way it is made: services, imports, the ORM in bulk, raw SQL, deletions and
their cascades, COPY; and the page shows the same as what is read anew."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from accord.evidence import figures_kept, figures_state
from accord.evidence.datasets import OBSERVATION_COLUMNS
from accord.evidence.models import Direction, Indicator, IndicatorTarget, Observation, Place
from accord.evidence.targets import indicator_target_remove, indicator_target_set
from accord.evidence.tests.factories import ObservationFactory, PlaceFactory

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's")


@pytest.fixture
def crossings():
    """Crossings counted on two routes, 2015-2024, down wished, 500 by 2030 on each."""
    east = PlaceFactory(code="ROUTE_EAST", name="Eastern route", iso3="")
    west = PlaceFactory(code="ROUTE_WEST", name="Western route", iso3="")
    first = ObservationFactory(place=east, value=1000, period_start=dt.date(2015, 1, 1))
    indicator = first.indicator
    indicator.direction = Direction.DOWN
    indicator.target_value, indicator.target_year = 500, 2030
    indicator.save()
    ObservationFactory(indicator=indicator, place=east, value=900, period_start=dt.date(2024, 1, 1))
    ObservationFactory(indicator=indicator, place=west, value=800, period_start=dt.date(2015, 1, 1))
    ObservationFactory(indicator=indicator, place=west, value=850, period_start=dt.date(2024, 1, 1))
    ObservationFactory(
        indicator=indicator,
        place=west,
        value=400,
        period_start=dt.date(2024, 1, 1),
        disaggregation={"sex": "female"},
        disaggregation_key="sex=female",
    )
    return Indicator.objects.get(pk=indicator.pk), east, west


def statuses(indicator: Indicator) -> dict[str, str]:
    return {item.place: item.status for item in figures_kept.indicator_figures(indicator).progress}


def kept_is_fresh(indicator: Indicator) -> figures_kept.IndicatorFigures:
    """What is served equals what is read from the figures now; returns it."""
    indicator = Indicator.objects.get(pk=indicator.pk)
    kept = figures_kept.indicator_figures(indicator)
    assert kept == figures_kept.figures_read(indicator)
    return kept


def test_kept_figures_are_served_without_reading_the_figures(crossings, django_assert_num_queries):
    indicator, _east, _west = crossings
    first = kept_is_fresh(indicator)
    assert {p.place: p.status for p in first.progress} == {
        "Eastern route": "negligible",
        "Western route": "deterioration",
    }
    assert first.dimensions == {"sex": ["female"]}
    assert [place.code for place in first.places] == ["ROUTE_EAST", "ROUTE_WEST"]
    # The version of the figures, then the kept entry: two reads, no figure read.
    with django_assert_num_queries(2):
        assert figures_kept.indicator_figures(indicator) == first


def test_every_orm_write_makes_the_figures_read_anew(crossings):
    indicator, east, west = crossings
    kept_is_fresh(indicator)
    # a row added
    ObservationFactory(indicator=indicator, place=east, value=400, period_start=dt.date(2025, 1, 1))
    assert statuses(indicator)["Eastern route"] == "target_achieved"
    kept_is_fresh(indicator)
    # rows changed in bulk (one UPDATE, no save())
    Observation.objects.filter(indicator=indicator, place=west, period_start__year=2024).update(
        value=500
    )
    assert statuses(indicator)["Western route"] == "target_achieved"
    kept_is_fresh(indicator)
    # rows deleted in bulk
    Observation.objects.filter(indicator=indicator, place=east, period_start__year=2025).delete()
    assert statuses(indicator)["Eastern route"] == "negligible"
    # bulk_create
    Observation.objects.bulk_create(
        [
            Observation(
                indicator=indicator,
                place=east,
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 12, 31),
                period_precision="year",
                value=2000,
            )
        ]
    )
    assert statuses(indicator)["Eastern route"] == "deterioration"
    kept_is_fresh(indicator)


def test_raw_sql_writes_make_the_figures_read_anew(crossings):
    indicator, east, _west = crossings
    kept_is_fresh(indicator)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evidence_observation SET value = 100 WHERE indicator_id = %s AND place_id = %s "
            "AND period_start = %s",
            [indicator.pk, east.pk, dt.date(2024, 1, 1)],
        )
    assert statuses(indicator)["Eastern route"] == "target_achieved"
    kept_is_fresh(indicator)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM evidence_observation WHERE indicator_id = %s AND place_id = %s",
            [indicator.pk, east.pk],
        )
    assert "Eastern route" not in statuses(indicator)
    assert [place.code for place in kept_is_fresh(indicator).places] == ["ROUTE_WEST"]


def test_targets_and_the_indicator_make_the_figures_read_anew(crossings, make_user):
    indicator, east, _west = crossings
    secretariat = make_user("sec", ("IOM-RO-BRU", "secretariat"))
    kept_is_fresh(indicator)
    target = indicator_target_set(
        user=secretariat, indicator=indicator, place=east, year=2030, value=950
    )
    assert statuses(indicator)["Eastern route"] == "target_achieved"
    kept_is_fresh(indicator)
    indicator_target_remove(user=secretariat, indicator=indicator, pk=target.pk)
    assert statuses(indicator)["Eastern route"] == "negligible"
    # the indicator's own target and direction
    from accord.evidence.services import indicator_update

    indicator = indicator_update(
        indicator=indicator, data={"target_value": 950.0}, version=indicator.version
    )
    assert statuses(indicator)["Eastern route"] == "target_achieved"
    kept_is_fresh(indicator)
    IndicatorTarget.objects.create(indicator=indicator, place=east, year=2030, value=10)
    assert statuses(indicator)["Eastern route"] == "negligible"


def test_a_place_renamed_or_removed_makes_every_indicator_read_anew(crossings):
    indicator, east, west = crossings
    kept_is_fresh(indicator)
    Place.objects.filter(pk=west.pk).update(name="Route of the west")
    assert "Route of the west" in statuses(indicator)
    kept_is_fresh(indicator)
    Observation.objects.filter(place=east).delete()
    east.delete()  # a place with figures is protected: they go first
    assert set(statuses(indicator)) == {"Route of the west"}
    kept_is_fresh(indicator)


def test_figures_of_another_indicator_leave_the_kept_ones(crossings, django_assert_num_queries):
    indicator, east, _west = crossings
    kept = kept_is_fresh(indicator)
    ObservationFactory(place=east, value=1.0)  # another indicator's
    with django_assert_num_queries(2):
        assert figures_kept.indicator_figures(indicator) == kept


def test_an_import_makes_the_figures_read_anew(crossings, write_file):
    from accord.evidence.importing import Options, observations_import

    indicator, _east, _west = crossings
    kept_is_fresh(indicator)
    path: Path = write_file(
        "crossings.csv", "Year,GeoCode,Value\n2015,ROUTE_NORTH,100\n2024,ROUTE_NORTH,50\n"
    )
    PlaceFactory(code="ROUTE_NORTH", name="Northern route", iso3="")
    observations_import(path=path, options=Options(indicator=indicator.code))
    assert statuses(indicator)["Northern route"] == "target_achieved"
    kept_is_fresh(indicator)


@on_postgres
def test_copy_and_truncate_make_the_figures_read_anew(crossings):
    indicator, east, _west = crossings
    kept_is_fresh(indicator)
    with connection.cursor() as cursor:
        columns = ", ".join(OBSERVATION_COLUMNS)
        with cursor.cursor.copy(f"COPY evidence_observation ({columns}) FROM STDIN") as copy:
            period = ["2025-01-01", "2025-12-31", "year"]
            copy.write_row([indicator.pk, east.pk, *period, "", "{}", 10, "final", "", "", ""])
    assert statuses(indicator)["Eastern route"] == "target_achieved"
    kept_is_fresh(indicator)
    with connection.cursor() as cursor:
        # The foreign keys' checks, deferred to the end of the test's transaction, first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE evidence_observation")
    assert statuses(indicator) == {}
    kept_is_fresh(indicator)


@on_postgres
def test_writes_the_triggers_do_not_see_are_counted_by_hand(crossings):
    """The benchmark's COPY turns the triggers off (session_replication_role = replica)
    and raises the counters itself."""
    indicator, _east, _west = crossings
    kept_is_fresh(indicator)
    version = figures_state.figures_version(indicator.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE evidence_observation SET value = 1 WHERE indicator_id = %s", [indicator.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert figures_state.figures_version(indicator.pk) == version
    figures_state.figures_changed([indicator.pk])
    assert figures_state.figures_version(indicator.pk) != version
    kept_is_fresh(indicator)


def test_the_benchmark_figures_are_read_anew_once_generated():
    from accord.bench import generate_evidence

    indicator = Indicator.objects.create(code="BENCH_TEST_000", name="Bench", unit="persons")
    assert figures_kept.indicator_figures(indicator).places == []
    generate_evidence.observations("test")
    assert len(kept_is_fresh(indicator).places) == generate_evidence.SIZES["test"]["places"]


@on_postgres
def test_partitioned_observations_still_count_writes(crossings):
    indicator, east, _west = crossings
    call_command("partition_observations", partitions=2, stdout=io.StringIO())
    kept_is_fresh(indicator)
    ObservationFactory(indicator=indicator, place=east, value=10, period_start=dt.date(2025, 1, 1))
    assert statuses(indicator)["Eastern route"] == "target_achieved"
    kept_is_fresh(indicator)


def test_sqlite_tables_rebuilt_by_a_migration_get_their_triggers_back():
    """A migrate (SQLite rebuilds tables and drops their triggers) makes them again."""
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER accord_figures_evidence_observation_insert")
    figures_state.ensure_figures_state()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            ["accord_figures_%"],
        )
        assert cursor.fetchone()[0] == 11


def test_the_page_shows_the_progress_read_anew_after_a_change(crossings, client, make_user):
    indicator, east, _west = crossings
    url = f"/evidence/indicators/{indicator.code}/"
    client.force_login(make_user("sec", ("IOM-RO-BRU", "secretariat")))

    def row(place: str) -> str:
        page = client.get(url, {"place": "ROUTE_WEST"}).content.decode()
        return page[page.index(f'data-place="{place}"') :].split("</tr>")[0]

    assert "Negligible progress" in row("Eastern route")
    assert "Negligible progress" in row("Eastern route")  # served from what was kept
    saved = client.post(url + "targets/", {"place": "ROUTE_EAST", "year": 2030, "value": 950})
    assert saved.status_code == 302
    assert "Target achieved" in row("Eastern route")
    Observation.objects.filter(indicator=indicator, place=east, period_start__year=2024).update(
        value=5000
    )
    assert "Deterioration" in row("Eastern route")


def test_a_reader_who_may_not_see_the_indicator_gets_nothing_kept(crossings, client, make_user):
    indicator, _east, _west = crossings
    url = f"/evidence/indicators/{indicator.code}/"
    client.force_login(make_user("sec", ("IOM-RO-BRU", "secretariat")))
    Indicator.objects.filter(pk=indicator.pk).update(classification="restricted")
    assert "Eastern route" in client.get(url).content.decode()  # kept now
    client.force_login(make_user("focal", ("IOM", "focal_point")))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)

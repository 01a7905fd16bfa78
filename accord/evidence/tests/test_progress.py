import datetime as dt

import pytest

from accord.evidence.models import Direction, Indicator
from accord.evidence.progress import indicator_progress, progress_for_series
from accord.evidence.tests.factories import ObservationFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def indicator(**fields):
    return Indicator(code="X", name="X", **fields)


@pytest.mark.parametrize(
    ("series", "status"),
    [
        # Needed: 100 -> 50 from 2015 to 2030 (about -4.5% a year).
        ({2015: 100, 2020: 50}, "target_achieved"),
        ({2015: 100, 2020: 79}, "substantial"),  # -4.6% a year: ratio above 0.95
        ({2015: 100, 2020: 86}, "moderate"),  # -3.0%: ratio about 0.66
        ({2015: 100, 2020: 95}, "negligible"),  # -1.0%: ratio about 0.23
        ({2015: 100, 2020: 120}, "deterioration"),
    ],
)
def test_progress_towards_a_target(series, status):
    target = indicator(direction=Direction.DOWN, target_value=50, target_year=2030)
    assert progress_for_series(target, "World", series).status == status


@pytest.mark.parametrize(
    ("direction", "series", "status"),
    [
        (Direction.UP, {2015: 100, 2020: 110}, "substantial"),
        (Direction.UP, {2015: 100, 2020: 103.5}, "moderate"),
        (Direction.UP, {2015: 100, 2020: 101}, "negligible"),
        (Direction.UP, {2015: 100, 2020: 90}, "deterioration"),
        (Direction.DOWN, {2015: 100, 2020: 90}, "substantial"),
    ],
)
def test_progress_without_target_follows_direction(direction, series, status):
    assert progress_for_series(indicator(direction=direction), "World", series).status == status


def test_base_year_is_2015_or_the_first_after():
    result = progress_for_series(
        indicator(direction=Direction.UP), "World", {2013: 1, 2016: 100, 2020: 200}
    )
    assert (result.base_year, result.current_year) == (2016, 2020)


def test_no_progress_without_target_or_direction_or_enough_data():
    assert progress_for_series(indicator(), "World", {2015: 1, 2020: 2}) is None
    assert progress_for_series(indicator(direction=Direction.UP), "World", {2020: 2}) is None


def test_indicator_progress_per_place():
    place = PlaceFactory(code="ROUTE_A", name="Route A")
    series = ObservationFactory(place=place, value=100).indicator
    series.direction = Direction.DOWN
    series.target_value, series.target_year = 10, 2030
    series.save()
    ObservationFactory(indicator=series, place=place, period_start=dt.date(2024, 1, 1), value=5)
    (result,) = indicator_progress(series)
    assert (result.place, result.status) == ("Route A", "target_achieved")

"""Targets per place and year: progress in a place is measured against its own target."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accord.access.models import AuditEvent
from accord.evidence.models import Direction, IndicatorTarget
from accord.evidence.progress import indicator_progress
from accord.evidence.targets import indicator_target_remove, indicator_target_set
from accord.evidence.tests.factories import ObservationFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deaths_in_libya_and_world():
    """Deaths recorded: Libya 30 (2019) -> 45 (2024); World 1000 -> 600. Target: 50 by 2030."""
    libya = PlaceFactory(code="434", name="Libya", iso3="LBY")
    world = PlaceFactory(code="001", name="World")
    first = ObservationFactory(place=libya, value=30, period_start=dt.date(2019, 1, 1))
    indicator = first.indicator
    indicator.direction = Direction.DOWN
    indicator.target_value, indicator.target_year = 50, 2030
    indicator.save()
    ObservationFactory(indicator=indicator, place=libya, value=45, period_start=dt.date(2024, 1, 1))
    ObservationFactory(
        indicator=indicator, place=world, value=1000, period_start=dt.date(2019, 1, 1)
    )
    ObservationFactory(
        indicator=indicator, place=world, value=600, period_start=dt.date(2024, 1, 1)
    )
    return indicator, libya, world


def by_place(indicator):
    return {p.place: p for p in indicator_progress(indicator)}


def test_a_place_is_measured_against_its_own_target(deaths_in_libya_and_world, make_user):
    indicator, libya, _world = deaths_in_libya_and_world
    # one indicator-wide target for every place: Libya's rise from 30 to 45 looks achieved
    assert by_place(indicator)["Libya"].status == "target_achieved"
    secretariat = make_user("sec", ("IOM-RO-BRU", "secretariat"))
    indicator_target_set(user=secretariat, indicator=indicator, place=libya, year=2030, value=15)
    progress = by_place(indicator)
    assert progress["Libya"].status == "deterioration"
    assert (progress["Libya"].target_value, progress["Libya"].target_year) == (15, 2030)
    assert progress["Libya"].target_of_place
    # a place without its own target keeps the indicator's
    assert progress["World"].target_value == 50
    assert not progress["World"].target_of_place
    assert AuditEvent.objects.filter(verb="indicator.target_set").count() == 1


def test_the_next_target_due_applies(deaths_in_libya_and_world, make_user):
    indicator, libya, _world = deaths_in_libya_and_world
    secretariat = make_user("sec", ("IOM-RO-BRU", "secretariat"))
    indicator_target_set(user=secretariat, indicator=indicator, place=libya, year=2020, value=60)
    indicator_target_set(user=secretariat, indicator=indicator, place=libya, year=2027, value=25)
    indicator_target_set(user=secretariat, indicator=indicator, place=libya, year=2030, value=10)
    assert by_place(indicator)["Libya"].target_year == 2027
    # the same place and year again replaces the value
    indicator_target_set(user=secretariat, indicator=indicator, place=libya, year=2027, value=20)
    assert IndicatorTarget.objects.filter(place=libya, year=2027).get().value == 20


def test_only_the_secretariat_sets_targets(deaths_in_libya_and_world, make_user):
    indicator, libya, _world = deaths_in_libya_and_world
    focal = make_user("focal", ("IOM", "focal_point"))
    with pytest.raises(PermissionDenied):
        indicator_target_set(user=focal, indicator=indicator, place=libya, year=2030, value=1)
    secretariat = make_user("sec", ("IOM-RO-BRU", "secretariat"))
    target = indicator_target_set(
        user=secretariat, indicator=indicator, place=libya, year=2030, value=1
    )
    with pytest.raises(PermissionDenied):
        indicator_target_remove(user=focal, indicator=indicator, pk=target.pk)
    indicator_target_remove(user=secretariat, indicator=indicator, pk=target.pk)
    assert not IndicatorTarget.objects.exists()


def test_targets_on_the_indicator_page(deaths_in_libya_and_world, make_user, client):
    indicator, _libya, _world = deaths_in_libya_and_world
    url = f"/evidence/indicators/{indicator.code}/"
    client.force_login(make_user("focal", ("IOM", "focal_point")))
    assert "Set the target" not in client.get(url).content.decode()
    assert (
        client.post(url + "targets/", {"place": "LBY", "year": 2030, "value": 15}).status_code
        == 403
    )
    client.force_login(make_user("sec", ("IOM-RO-BRU", "secretariat")))
    unknown = client.post(url + "targets/", {"place": "NOWHERE", "year": 2030, "value": 15})
    assert unknown.status_code == 422
    assert "NOWHERE" in unknown.content.decode()
    saved = client.post(url + "targets/", {"place": "LBY", "year": 2030, "value": 15})
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    row = page[page.index('data-place="Libya"') :].split("</tr>")[0]
    assert "Deterioration" in row
    assert "Target achieved" not in row

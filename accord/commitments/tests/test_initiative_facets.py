"""The faceted initiative list gives what one query per facet over the filtered
initiatives gives: the same count, facet values, counts and order, and the same page, for
every kind of reader, whether the chosen initiatives are read once by id or not."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from accord.bench.scenarios.commitments_data import COUNTRIES, generate_initiatives
from accord.commitments import selectors
from accord.commitments.models import (
    Initiative,
    InitiativeCommitment,
    InitiativeKind,
    InitiativePlace,
    InitiativeStatus,
    PlaceKind,
)
from accord.commitments.places import is_country
from accord.core.models import Classification
from accord.partners.models import Organisation

pytestmark = pytest.mark.django_db


def _one_query_per_facet(queryset: Any, top: int = 30) -> dict[str, list[tuple[str, int]]]:
    """The facets as counted before they were read together: each its own GROUP BY."""
    ids = queryset.values("pk")
    partner = (
        queryset.order_by()
        .filter(partner__isnull=False)
        .values_list("partner__acronym")
        .annotate(n=Count("pk"))
        .order_by("-n", "partner__acronym")[:top]
    )
    country = (
        InitiativePlace.objects.filter(initiative_id__in=ids, kind=PlaceKind.COUNTRY)
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by("-n", "code")[:top]
    )
    commitment = (
        InitiativeCommitment.objects.filter(initiative_id__in=ids)
        .values_list("commitment__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "commitment__code")[:top]
    )
    return {
        "commitment": list(commitment),
        "country": [(c, n) for c, n in country if is_country(c)],
        "partner": list(partner),
        "status": sorted(queryset.order_by().values_list("status").annotate(n=Count("pk"))),
        "kind": sorted(queryset.order_by().values_list("kind").annotate(n=Count("pk"))),
    }


@pytest.fixture
def initiatives(reference: None) -> list[Initiative]:
    generate_initiatives("test")
    chosen = list(Initiative.objects.filter(source="bench").order_by("pk"))
    restricted_to = Organisation.objects.get(acronym="BP001")
    for initiative in chosen[::7]:  # some restricted to one partner, some policies
        initiative.classification = Classification.RESTRICTED
        initiative.kind = InitiativeKind.POLICY
        initiative.save()
        initiative.restricted_to.add(restricted_to)
    for initiative in chosen[3::11]:
        initiative.start_on = None  # undated ones sort where the database puts them
        initiative.kind = InitiativeKind.POLICY
        initiative.save()
    return chosen


def _readers(make_user: Any) -> dict[str, Any]:
    return {
        "anonymous": AnonymousUser(),
        "member of the partner named": make_user("bp-member", ("BP001", "member")),
        "other member": make_user("bp-other", ("BP002", "member")),
        "secretariat": make_user("bench-secretariat", is_superuser=True),
    }


FILTERS = [
    selectors.InitiativeFilters(),
    selectors.InitiativeFilters(status=InitiativeStatus.ONGOING),
    selectors.InitiativeFilters(
        status=InitiativeStatus.PLANNED, country=COUNTRIES[1], commitment="JVAP-2"
    ),
    selectors.InitiativeFilters(kind=InitiativeKind.POLICY, commitment="JVAP-1"),
    selectors.InitiativeFilters(partner="BP001"),
    selectors.InitiativeFilters(country=COUNTRIES[3], q="initiative 1"),
    selectors.InitiativeFilters(q="no such initiative"),
]


@pytest.mark.parametrize("at_once", [selectors.IDS_AT_ONCE, 40, 0])
def test_facets_count_and_page_are_those_of_the_filtered_initiatives(
    initiatives, make_user, at_once
):
    compared = 0
    for reader, user in _readers(make_user).items():
        for filters in FILTERS:
            queryset = selectors.initiatives_filtered(user=user, filters=filters)
            faceted = selectors.initiatives_faceted(user=user, filters=filters, at_once=at_once)
            got = {f.name: [(value, n) for value, _label, n in f.values] for f in faceted.facets}
            assert got == _one_query_per_facet(queryset), (reader, filters)
            assert list(got) == ["commitment", "country", "partner", "status", "kind"]
            assert faceted.total == queryset.count(), (reader, filters)
            for offset in (0, 50):
                page = selectors.initiatives_page(faceted.queryset, limit=50, offset=offset)
                expected = selectors.initiatives_page(queryset, limit=50, offset=offset)
                assert [i.pk for i in page] == [i.pk for i in expected], (reader, filters)
            compared += faceted.total
    assert compared > 1_000  # the readers and filters chose many initiatives


def test_readers_see_the_restricted_initiatives_only_when_named(initiatives, make_user):
    readers = _readers(make_user)
    restricted = {i.pk for i in initiatives[::7]}
    seen = {}
    for reader, user in readers.items():
        faceted = selectors.initiatives_faceted(user=user, filters=selectors.InitiativeFilters())
        seen[reader] = {i.pk for i in faceted.queryset}
        assert faceted.total == len(seen[reader])
    assert restricted <= seen["member of the partner named"]
    assert restricted <= seen["secretariat"]
    assert not restricted & seen["other member"]
    assert not restricted & seen["anonymous"]
    visible = Initiative.objects.visible_to(readers["anonymous"])
    assert seen["anonymous"] == set(visible.values_list("pk", flat=True))
    assert len(seen["anonymous"]) < len(seen["other member"]) < len(seen["secretariat"])


def test_labels_of_the_column_facets(initiatives, make_user):
    user = make_user("bench-secretariat", is_superuser=True)
    faceted = selectors.initiatives_faceted(user=user, filters=selectors.InitiativeFilters())
    facets = {f.name: f.values for f in faceted.facets}
    assert ("ongoing", "Ongoing") in [(v, label) for v, label, _n in facets["status"]]
    assert [v for v, _label, _n in facets["kind"]] == ["policy", "project"]
    assert all(label for _v, label, _n in facets["country"])
    assert sum(n for _v, _l, n in facets["status"]) == faceted.total == Initiative.objects.count()

"""``members_on`` reads its statement straight from the cursor; the queryset
``memberships_on`` says the same in the ORM. Both must give the same members."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.partners.models import Framework, Membership, OrganisationName
from accord.partners.selectors import members_on, memberships_on
from accord.partners.tests.factories import FrameworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def through_the_orm(framework: Framework, on: dt.date) -> list[tuple[Any, ...]]:
    rows = memberships_on(framework, on).values_list(
        "organisation_id",
        "acronym_then",
        "name_then",
        "organisation__acronym",
        "organisation__name",
        "organisation__kind",
        "joined_on",
        "joined_precision",
        "instrument",
        "left_on",
        "uncertain_fields",
    )
    read = [
        (row[0], row[1] or row[3], row[2] or row[4], row[3], *row[5:10], row[10] or [])
        for row in rows
    ]
    return sorted(read, key=lambda row: row[1])


def as_read(framework: Framework, on: dt.date) -> list[tuple[Any, ...]]:
    return [
        (
            m.organisation_id,
            m.acronym,
            m.name,
            m.current_acronym,
            m.kind,
            m.joined_on,
            m.joined_precision,
            m.instrument,
            m.left_on,
            m.uncertain_fields,
        )
        for m in members_on(framework.code, on)
    ]


def test_the_statement_and_the_queryset_give_the_same_members() -> None:
    framework: Any = FrameworkFactory()
    renamed: Any = OrganisationFactory(acronym="DG INTPA", name="Partnerships")
    OrganisationName.objects.create(organisation=renamed, acronym="DG DEVCO", name="Development")
    OrganisationName.objects.create(
        organisation=renamed,
        acronym="DG INTPA",
        name="Partnerships",
        valid_from=dt.date(2021, 1, 16),
    )
    unnamed: Any = OrganisationFactory(acronym="IOM", name="Migration")
    late: Any = OrganisationFactory(acronym="EEAS", name="External Action")
    OrganisationName.objects.create(
        organisation=late, acronym="EEAS", name="External Action", valid_from=dt.date(2011, 1, 1)
    )
    Membership.objects.create(
        framework=framework,
        organisation=renamed,
        joined_on=dt.date(2012, 7, 1),
        joined_precision="month",
        instrument="founding",
        uncertain_fields=["joined_on"],
    )
    Membership.objects.create(
        framework=framework,
        organisation=unnamed,
        joined_on=dt.date(2012, 7, 1),
        left_on=dt.date(2016, 2, 16),
        instrument="founding",
    )
    Membership.objects.create(
        framework=framework,
        organisation=unnamed,
        joined_on=dt.date(2018, 3, 1),
        instrument="exchange_of_letters",
    )
    Membership.objects.create(
        framework=framework, organisation=late, joined_on=dt.date(2014, 5, 5), instrument="founding"
    )
    other: Any = FrameworkFactory()
    Membership.objects.create(
        framework=other, organisation=late, joined_on=dt.date(2010, 1, 1), instrument="founding"
    )
    days = [dt.date(2011, 12, 31) + dt.timedelta(days=61 * n) for n in range(70)]
    days += [dt.date(2016, 2, 15), dt.date(2016, 2, 16), dt.date(2021, 1, 15), dt.date(2021, 1, 16)]
    for day in days:
        assert as_read(framework, day) == through_the_orm(framework, day), day
    assert [m.acronym for m in members_on(framework, dt.date(2020, 1, 1))] == [
        "DG DEVCO",
        "EEAS",
        "IOM",
    ]
    assert members_on(framework, dt.date(2020, 1, 1))[0].uncertain_fields == ["joined_on"]
    assert [m.acronym for m in members_on(framework, dt.date(2017, 1, 1))] == ["DG DEVCO", "EEAS"]


def test_the_reference_framework_reads_the_same_both_ways(reference: Any) -> None:
    framework = Framework.objects.get(code="eu-iom-scf")
    for year in range(2012, 2027):
        for month in (1, 4, 7, 10):
            day = dt.date(year, month, 1)
            assert as_read(framework, day) == through_the_orm(framework, day), day

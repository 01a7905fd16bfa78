import datetime as dt

import pytest

from accord.core.errors import Conflict, Invalid
from accord.partners.selectors import members_on
from accord.partners.services import (
    membership_create,
    membership_end,
    organisation_create,
    organisation_rename,
    organisation_update,
)
from accord.partners.tests.factories import FrameworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_rename_keeps_the_former_name_for_earlier_dates():
    framework = FrameworkFactory()
    devco = organisation_create(acronym="DG DEVCO", name="Development", kind="eu_service")
    membership_create(
        framework=framework,
        organisation=devco,
        joined_on=dt.date(2012, 7, 1),
        instrument="founding",
    )
    organisation_rename(
        organisation=devco, acronym="DG INTPA", name="Partnerships", on=dt.date(2021, 1, 16)
    )
    devco.refresh_from_db()
    assert devco.acronym == "DG INTPA"
    assert devco.version == 2
    assert [m.acronym for m in members_on(framework, dt.date(2020, 1, 1))] == ["DG DEVCO"]
    assert [m.acronym for m in members_on(framework, dt.date(2021, 1, 16))] == ["DG INTPA"]


def test_rename_to_an_acronym_in_use_is_refused():
    OrganisationFactory(acronym="IOM")
    other = organisation_create(acronym="X", name="X", kind="other")
    with pytest.raises(Invalid, match="already belongs"):
        organisation_rename(organisation=other, acronym="IOM", name="Y", on=dt.date(2020, 1, 1))


def test_leaving_ends_membership_the_day_it_is_dated():
    framework = FrameworkFactory()
    organisation = OrganisationFactory()
    membership = membership_create(
        framework=framework,
        organisation=organisation,
        joined_on=dt.date(2012, 7, 1),
        instrument="founding",
    )
    membership_end(membership=membership, left_on=dt.date(2020, 1, 1), version=1)
    assert members_on(framework, dt.date(2019, 12, 31))
    assert not members_on(framework, dt.date(2020, 1, 1))


def test_leaving_before_joining_is_refused():
    membership = membership_create(
        framework=FrameworkFactory(),
        organisation=OrganisationFactory(),
        joined_on=dt.date(2012, 7, 1),
        instrument="founding",
    )
    with pytest.raises(Invalid):
        membership_end(membership=membership, left_on=dt.date(2010, 1, 1), version=1)


def test_joining_twice_is_refused():
    framework, organisation = FrameworkFactory(), OrganisationFactory()
    membership_create(
        framework=framework,
        organisation=organisation,
        joined_on=dt.date(2012, 7, 1),
        instrument="founding",
    )
    with pytest.raises(Invalid, match="already a member"):
        membership_create(
            framework=framework,
            organisation=organisation,
            joined_on=dt.date(2013, 7, 1),
            instrument="founding",
        )


def test_stale_edit_is_refused_and_changes_nothing():
    organisation = OrganisationFactory(website="https://a.example")
    organisation_update(organisation=organisation, data={"website": "https://b.example"}, version=1)
    with pytest.raises(Conflict):
        organisation_update(
            organisation=organisation, data={"website": "https://c.example"}, version=1
        )
    organisation.refresh_from_db()
    assert organisation.website == "https://b.example"
    assert organisation.version == 2


def test_every_change_keeps_its_history(make_user):
    organisation = OrganisationFactory(website="https://a.example")
    organisation_update(organisation=organisation, data={"website": "https://b.example"}, version=1)
    latest, first = organisation.history.all()[:2]
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "website"] == [
        ("website", "https://a.example", "https://b.example")
    ]

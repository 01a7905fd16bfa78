import datetime as dt

import pytest
from django.core.management import call_command

from accord.partners.models import Membership, Organisation, OrganisationName, Person
from accord.partners.selectors import framework_get, members_on, organisation_get

pytestmark = pytest.mark.django_db


def acronyms_on(day: dt.date) -> list[str]:
    return [member.acronym for member in members_on(framework_get("eu-iom-scf"), day)]


def test_members_before_dg_near_joined(reference):
    assert acronyms_on(dt.date(2015, 6, 1)) == ["DG DEVCO", "DG ECHO", "DG HOME", "EEAS", "IOM"]


def test_dg_near_joins_on_the_third_som_by_exchange_of_letters(reference):
    assert "DG NEAR" not in acronyms_on(dt.date(2016, 2, 15))
    assert "DG NEAR" in acronyms_on(dt.date(2016, 2, 16))
    near = Membership.objects.get(organisation__acronym="DG NEAR")
    assert near.instrument == "exchange_of_letters"


def test_dg_devco_shows_under_the_name_of_each_date(reference):
    assert "DG DEVCO" in acronyms_on(dt.date(2020, 12, 31))
    on_2022 = acronyms_on(dt.date(2022, 1, 1))
    assert "DG INTPA" in on_2022
    assert "DG DEVCO" not in on_2022


def test_both_names_resolve_to_one_organisation(reference):
    assert organisation_get("DG DEVCO") == organisation_get("dg-intpa")


def test_uncertain_renaming_date_is_kept_as_uncertain(reference):
    renaming = OrganisationName.objects.get(acronym="DG INTPA")
    assert renaming.is_uncertain("valid_from")


def test_loading_twice_duplicates_nothing(reference):
    counts = (Organisation.objects.count(), Membership.objects.count(), Person.objects.count())
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (
        Organisation.objects.count(),
        Membership.objects.count(),
        Person.objects.count(),
    )
    assert counts == (8, 6, 12)


def test_dry_run_writes_nothing(db):
    call_command("load_reference", "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Organisation.objects.exists()

"""The members on a date, answered from a framework's history kept in memory, on both
databases.

Committed (``transaction=True``): within a test's own transaction nothing it wrote is
complete, so a history is neither kept nor used there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from accord.core import data_state
from accord.partners import members_kept
from accord.partners.models import Membership, Organisation, OrganisationName
from accord.partners.selectors import members_on
from accord.partners.tests.factories import FrameworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.date(2020, 1, 1)


@pytest.fixture
def framework() -> Any:
    members_kept.forget()
    framework: Any = FrameworkFactory()
    for acronym in ("IOM", "DG HOME"):
        organisation: Any = OrganisationFactory(acronym=acronym, name=f"{acronym} in full")
        Membership.objects.create(
            framework=framework,
            organisation=organisation,
            joined_on=dt.date(2012, 7, 1),
            instrument="founding",
        )
    yield framework
    members_kept.forget()


def acronyms(framework: Any, on: dt.date = DAY) -> list[str]:
    return [member.acronym for member in members_on(framework, on)]


def test_a_kept_history_answers_any_date_with_one_small_statement(framework):
    assert acronyms(framework) == ["DG HOME", "IOM"]
    with CaptureQueriesContext(connection) as asked:
        assert acronyms(framework, dt.date(2013, 1, 1)) == ["DG HOME", "IOM"]
        assert acronyms(framework, dt.date(2011, 1, 1)) == []
    # Each answer asks only whether the partner tables stand as they were read.
    assert len(asked) == 2
    assert all("FROM partners_membership" not in query["sql"] for query in asked)


@pytest.mark.parametrize("write", ["membership", "renamed", "queryset_update", "raw_sql"])
def test_a_write_to_the_partner_tables_makes_the_history_read_anew(framework, write):
    assert acronyms(framework) == ["DG HOME", "IOM"]
    iom = Organisation.objects.get(acronym="IOM")
    expected = ["DG HOME", "IOM"]
    if write == "membership":
        eeas: Any = OrganisationFactory(acronym="EEAS")
        Membership.objects.create(
            framework=framework,
            organisation=eeas,
            joined_on=dt.date(2014, 5, 5),
            instrument="founding",
        )
        expected = ["DG HOME", "EEAS", "IOM"]
    elif write == "renamed":
        OrganisationName.objects.create(
            organisation=iom, acronym="IOM-UN", name="UN Migration", valid_from=dt.date(2016, 9, 19)
        )
        expected = ["DG HOME", "IOM-UN"]
    elif write == "queryset_update":
        Membership.objects.filter(organisation=iom).update(left_on=dt.date(2019, 1, 1))
        expected = ["DG HOME"]
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE partners_organisation SET acronym = %s WHERE id = %s", ["OIM", iom.pk]
            )
        expected = ["DG HOME", "OIM"]
    assert acronyms(framework) == expected


def test_within_a_transaction_the_history_is_read_for_the_call_alone(framework):
    with transaction.atomic():
        Membership.objects.filter(organisation__acronym="IOM").update(left_on=dt.date(2019, 1, 1))
        assert acronyms(framework) == ["DG HOME"]
        transaction.set_rollback(True)
    assert not members_kept._kept
    assert acronyms(framework) == ["DG HOME", "IOM"]


def test_on_postgresql_a_history_is_kept_no_longer_than_the_log_keeps_its_writes(framework):
    key = (connection.alias, str(connection.settings_dict["NAME"]), framework.code)
    with override_settings(ACCORD_RESPONSE_CACHE_SECONDS=0):  # kept whatever answers do
        acronyms(framework)
    state, taken_at, history = members_kept._kept[key]
    members_kept._kept[key] = (state, taken_at - data_state.KEPT_IN_MEMORY_S - 1, history)
    with CaptureQueriesContext(connection) as asked:
        acronyms(framework)
    read_again = any("FROM partners_membership" in query["sql"] for query in asked)
    # PostgreSQL's log keeps a state's writes for KEPT_IN_MEMORY_S; SQLite's counters
    # forget nothing (a history is kept there for an hour).
    assert read_again == (connection.vendor == "postgresql")

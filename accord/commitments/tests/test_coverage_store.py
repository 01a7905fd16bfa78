"""Coverage figures kept between reads: used again only while the commitment data stand,
whatever path a write takes; on both databases."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection

from accord.commitments import coverage_store, selectors
from accord.commitments.coverage_store import DATA_TABLES, CoverageRows
from accord.commitments.models import Funding, Initiative, InitiativePlace
from accord.commitments.tests.test_coverage import add
from accord.core import data_state
from accord.partners.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def jvap(roles):
    sec = roles["secretariat"]
    add(sec, "A", "DG HOME", ["JVAP-5"], ["706"], [("1000", "EUR")], status="completed")
    add(sec, "B", "IOM", ["JVAP-5"], ["231"], [("500", "EUR")])
    return selectors.instrument_get("JVAP")


def figures(jvap, user):
    node = selectors.instrument_coverage(jvap, user=user).by_code()["JVAP-5"]
    return node.initiatives, node.countries, node.funding_eur


def test_every_table_coverage_reads_raises_the_state(jvap, roles):
    """The statements name only tables whose writes the triggers count."""
    statements = selectors.coverage_statements(jvap, roles["member"])
    partners = selectors.overlap_partners_statement(roles["member"], [("JVAP-5", "706")])
    sqls = [sql for sql, _params in [*statements.values(), partners]]
    words = {word for sql in sqls for word in re.findall(r"\w+", sql)}
    tables = set(connection.introspection.table_names()) & words
    assert tables - {"commitments_instrument"} <= set(DATA_TABLES)
    assert "commitments_initiativeplace" in tables


# Committed: within a transaction that has itself written commitment data, PostgreSQL's
# figures are always read anew (its own writes are not complete in any snapshot).
@pytest.mark.django_db(transaction=True)
def test_figures_are_kept_and_used_again(jvap, roles, django_assert_max_num_queries):
    sec = roles["secretariat"]
    first = figures(jvap, sec)
    assert (first[0], first[2]) == (3, Decimal("1500.00"))  # with the Joint Initiative
    kept = CoverageRows.objects.count()
    assert kept == 3  # coverage, overlaps, their partners
    with django_assert_max_num_queries(8):
        assert figures(jvap, sec) == first
    assert CoverageRows.objects.count() == kept
    # Another reader's visibility is another statement: its figures are kept apart.
    assert figures(jvap, None)[0] < first[0]
    assert CoverageRows.objects.count() > kept


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "write",
    [
        "service",
        "bulk_create",
        "queryset_update",
        "queryset_delete",
        "raw_sql",
        "organisation",
    ],
)
def test_any_write_makes_the_figures_read_anew(jvap, roles, write):
    sec = roles["secretariat"]
    before = figures(jvap, sec)
    state = coverage_store.data_state()
    initiative = Initiative.objects.get(title__en="B")
    if write == "service":
        add(sec, "C", "IOM", ["JVAP-5"], ["999"], [("10", "EUR")])

    elif write == "bulk_create":
        InitiativePlace.objects.bulk_create([InitiativePlace(initiative=initiative, code="999")])

    elif write == "queryset_update":
        Funding.objects.filter(initiative=initiative).update(amount=Decimal("700"))

    elif write == "queryset_delete":
        Initiative.objects.filter(pk=initiative.pk).delete()

    elif write == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE commitments_funding SET amount = amount * 2 WHERE initiative_id = %s",
                [initiative.pk],
            )

    else:
        # The overlaps name partners by acronym: renaming one changes what is shown.
        Organisation.objects.filter(acronym="IOM").update(name="Renamed")
    assert not coverage_store.holds(state)
    after = figures(jvap, sec)
    assert coverage_store.holds(coverage_store.data_state())
    CoverageRows.objects.all().delete()
    assert after == figures(jvap, sec)  # what the data now give, read with nothing kept
    if write != "organisation":
        assert after != before


def test_figures_of_a_subtree_are_their_own(jvap, roles):
    sec = roles["secretariat"]
    whole = selectors.instrument_coverage(jvap, user=sec).by_code()
    kept = CoverageRows.objects.count()
    subtree = jvap.commitments.get(code="JVAP-5")
    part = selectors.instrument_coverage(jvap, user=sec, subtree=subtree).by_code()
    assert CoverageRows.objects.count() == kept + 1
    assert part["JVAP-5"].initiatives == whole["JVAP-5"].initiatives == 3


def test_old_figures_are_forgotten(jvap, roles):
    figures(jvap, roles["secretariat"])
    CoverageRows.objects.update(read_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    figures(jvap, None)  # new figures kept: the old ones go
    assert not CoverageRows.objects.filter(read_at__year=2000).exists()


def test_every_data_table_is_watched(jvap):
    """Every table the statements read has the trigger that counts its writes; present
    after migrate, though a migration rebuilt a table (SQLite drops its triggers then):
    post_migrate makes them again."""
    assert set(DATA_TABLES) <= set(data_state.watched_tables(connection))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER accord_watch_partners_organisation_update")
        data_state.ensure()
        state = coverage_store.data_state()
        Organisation.objects.filter(acronym="IOM").update(name="Renamed")
        assert not coverage_store.holds(state)

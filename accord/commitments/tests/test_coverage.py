import datetime as dt
from decimal import Decimal

import pytest

from accord.commitments import selectors, services
from accord.commitments.initiatives import initiative_create
from accord.commitments.models import Instrument, ProgressWeighting
from accord.commitments.records import FundingLine, InitiativeRecord, PlaceLine
from accord.core.models import Classification

pytestmark = pytest.mark.django_db


def add(user, title, partner, commitments, countries=(), fundings=(), status="ongoing", **extra):
    record = InitiativeRecord(
        title={"en": title},
        partner=partner,
        implementers=[partner],
        commitments=list(commitments),
        status=status,
        start_on=dt.date(2020, 6, 1),
        places=[PlaceLine(code) for code in countries],
        fundings=[FundingLine(Decimal(a), c) for a, c in fundings],
        classification=Classification.MEMBERS,
        **extra,
    )
    record.given |= {
        "partner",
        "implementers",
        "commitments",
        "status",
        "start",
        "places",
        "fundings",
        "classification",
        *extra,
    }
    return initiative_create(user=user, record=record)


@pytest.fixture
def jvap(roles):
    sec = roles["secretariat"]
    instrument = Instrument.objects.get(code="JVAP")
    parent = instrument.commitments.get(code="JVAP-5")
    services.commitment_create(
        user=sec, instrument=instrument, code="JVAP-5.1", title={"en": "Readmission"}, parent=parent
    )
    services.commitment_create(
        user=sec,
        instrument=instrument,
        code="JVAP-5.2",
        title={"en": "Reintegration"},
        parent=parent,
    )
    services.exchange_rate_set(currency="USD", date=dt.date(2020, 1, 2), per_eur=Decimal("1.25"))
    add(sec, "A", "DG HOME", ["JVAP-5.1"], ["706"], [("1000", "EUR")], status="completed")
    add(sec, "B", "IOM", ["JVAP-5.1", "JVAP-5.2"], ["706", "231"], [("500", "USD")])
    add(sec, "C", "IOM", ["JVAP-5.2"], ["231"], [("300", "CHF")], status="planned")
    return instrument


def test_coverage_rolls_up_the_tree(jvap, roles, django_assert_max_num_queries):
    # A fixed number of statements, whatever the tree (the figures read are kept, as
    # accord.commitments.coverage_store and its tests say).
    with django_assert_max_num_queries(16):
        coverage = selectors.instrument_coverage(jvap, user=roles["secretariat"])
    by_code = coverage.by_code()
    # B counts once though under both children; the Joint Initiative sits on JVAP-5 itself
    assert by_code["JVAP-5"].initiatives == 4
    assert by_code["JVAP-5"].direct_initiatives == 1
    assert by_code["JVAP-5.1"].initiatives == 2
    assert by_code["JVAP-5.2"].countries == 2
    assert by_code["JVAP-5"].countries == 22
    assert by_code["JVAP-5"].partners == 2
    # 1000 EUR + 500 USD at 1.25 = 1400 EUR; CHF has no rate and is shown as it is
    assert by_code["JVAP-5"].funding_eur == Decimal("1400.00")
    assert by_code["JVAP-5"].unconverted == {"CHF": Decimal("300.00")}
    assert by_code["JVAP-5.1"].progress == 75.0  # completed 100, ongoing 50
    assert by_code["JVAP-5.2"].progress == 25.0  # ongoing 50, planned 0
    assert by_code["JVAP-5"].progress == 50.0  # plain average: children 75, 25; its own 50
    assert {c.code for c in coverage.gaps} == {"JVAP-1", "JVAP-2", "JVAP-4"}
    overlap = next(o for o in coverage.overlaps if o.commitment == "JVAP-5.1")
    assert (overlap.country, overlap.partners) == ("706", ["DG HOME", "IOM"])


def test_progress_weighted_by_funding(jvap, roles):
    jvap.progress_weighting = ProgressWeighting.FUNDING
    jvap.save()
    by_code = selectors.instrument_coverage(jvap, user=roles["secretariat"]).by_code()
    # JVAP-5.1: A 100% with 1000 EUR, B 50% with 400 EUR
    assert by_code["JVAP-5.1"].progress == pytest.approx(85.7, abs=0.1)


def test_coverage_counts_only_what_the_reader_may_see(jvap):
    by_code = selectors.instrument_coverage(jvap, user=None).by_code()
    assert by_code["JVAP-5"].initiatives == 1  # the public EU-IOM Joint Initiative only

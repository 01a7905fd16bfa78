"""The initiatives the commitments scenarios read: JVAP with five priorities under each
domain and many initiatives of a hundred partners linked to them, written in bulk once per
scale and kept.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from accord.commitments.models import (
    DEFAULT_PROGRESS,
    Commitment,
    ExchangeRate,
    Funding,
    Initiative,
    InitiativeCommitment,
    InitiativePlace,
    InitiativeStatus,
    Instrument,
)
from accord.core.models import Classification
from accord.partners.models import Organisation, OrganisationKind

SIZES = {
    "test": {"initiatives": 300, "iati": 100, "iati_memory": 100, "padding": 50},
    "small": {"initiatives": 2_000, "iati": 2_000, "iati_memory": 5_000, "padding": 200},
    "large": {"initiatives": 200_000, "iati": 50_000, "iati_memory": 200_000, "padding": 4_500},
}
COUNTRIES = [
    "012", "120", "148", "231", "262", "270", "288", "324", "384", "434", "466", "478", "504",
    "562", "566", "624", "686", "706", "729", "788", "818", "854", "404", "800", "834", "710",
]  # fmt: skip
CURRENCIES = ["EUR", "EUR", "USD", "CHF"]


def _reference() -> Instrument:
    if not Instrument.objects.filter(code="JVAP").exists():
        call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Instrument.objects.get(code="JVAP")


def _superuser() -> Any:
    user, _created = get_user_model()._default_manager.get_or_create(
        username="bench-secretariat", defaults={"is_superuser": True}
    )
    return user


def generate_initiatives(scale: str, *, seed: int = 2015) -> Instrument:
    """JVAP with five priorities under each domain, and ``initiatives`` initiatives of 100
    partners linked to them, with countries and funding, written in bulk."""
    jvap = _reference()
    count = SIZES[scale]["initiatives"]
    if Initiative.objects.filter(source="bench").count() >= count:
        return jvap
    rng = random.Random(seed)
    leaves = []
    for domain in jvap.commitments.filter(parent__isnull=True):
        for n in range(1, 6):
            child = Commitment.objects.filter(code=f"{domain.code}.{n}").first()
            if child is None:
                child = Commitment(
                    instrument=jvap, parent=domain, code=f"{domain.code}.{n}", position=n
                )
                child.title = {"en": f"Priority {n} of {domain.code}"}
                child.save()
            leaves.append(child)
    partners = list(Organisation.objects.filter(acronym__startswith="BP"))
    if not partners:
        partners = Organisation.objects.bulk_create(
            Organisation(
                acronym=f"BP{n:03d}", name=f"Bench partner {n}", kind=OrganisationKind.OTHER
            )
            for n in range(100)
        )
    for year in range(2015, 2026):
        ExchangeRate.objects.get_or_create(
            currency="USD", date=dt.date(year, 1, 1), defaults={"per_eur": Decimal("1.10")}
        )
    statuses = list(InitiativeStatus.values)
    through = Initiative.implementers.through
    made = 0
    while made < count:
        batch = min(5_000, count - made)
        initiatives: list[Initiative] = []
        for _ in range(batch):
            status = rng.choice(statuses)
            initiatives.append(
                Initiative(
                    title={"en": f"Bench initiative {made + len(initiatives)}"},
                    status=status,
                    progress=DEFAULT_PROGRESS[status],
                    start_on=dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
                    partner=rng.choice(partners),
                    classification=Classification.PUBLIC
                    if rng.random() < 0.5
                    else Classification.MEMBERS,
                    source="bench",
                )
            )
        Initiative.objects.bulk_create(initiatives, batch_size=1_000)
        links, places, fundings, implementers = [], [], [], []
        for initiative in initiatives:
            for leaf in rng.sample(leaves, rng.randint(1, 2)):
                links.append(InitiativeCommitment(initiative=initiative, commitment=leaf))
            for code in rng.sample(COUNTRIES, rng.randint(1, 3)):
                places.append(InitiativePlace(initiative=initiative, code=code))
            fundings.append(
                Funding(
                    initiative=initiative,
                    amount=Decimal(rng.randint(10, 5_000) * 1_000),
                    currency=rng.choice(CURRENCIES),
                )
            )
            implementers.append(
                through(initiative_id=initiative.pk, organisation_id=initiative.partner_id)
            )
        InitiativeCommitment.objects.bulk_create(links, batch_size=2_000)
        InitiativePlace.objects.bulk_create(places, batch_size=2_000)
        Funding.objects.bulk_create(fundings, batch_size=2_000)
        through.objects.bulk_create(implementers, batch_size=2_000)
        made += batch
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    return jvap

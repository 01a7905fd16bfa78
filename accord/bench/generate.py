"""Synthetic records at a named scale, written through the bulk path."""

from __future__ import annotations

import datetime as dt
import random

from accord.partners.models import (
    Framework,
    Membership,
    MembershipInstrument,
    Organisation,
    OrganisationKind,
    OrganisationName,
)

SIZES = {
    "small": {"partners": 20, "membership_changes": 500},
    "large": {"partners": 100, "membership_changes": 5_000},
}


def partners(scale: str, *, seed: int = 2012) -> Framework:
    """A framework whose partners join and leave over the years: ``membership_changes``
    joinings and departures in all, spread evenly over the partners."""
    size = SIZES[scale]
    rng = random.Random(seed)
    framework, _ = Framework.objects.get_or_create(
        code=f"bench-{scale}", defaults={"name": f"Benchmark framework ({scale})"}
    )
    if framework.memberships.exists():
        return framework
    organisations = Organisation.objects.bulk_create(
        Organisation(
            acronym=f"B{scale[0].upper()}{n:03d}",
            name=f"Benchmark partner {n}",
            kind=OrganisationKind.OTHER,
        )
        for n in range(size["partners"])
    )
    OrganisationName.objects.bulk_create(
        OrganisationName(organisation=o, acronym=o.acronym, name=o.name) for o in organisations
    )
    spells_each = max(1, size["membership_changes"] // (2 * size["partners"]))
    memberships = []
    for organisation in organisations:
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 90))
        for _ in range(spells_each):
            joined = day
            left = joined + dt.timedelta(days=rng.randint(30, 400))
            memberships.append(
                Membership(
                    framework=framework,
                    organisation=organisation,
                    joined_on=joined,
                    left_on=left,
                    instrument=MembershipInstrument.FOUNDING,
                )
            )
            day = left + dt.timedelta(days=rng.randint(1, 60))
        memberships[-1].left_on = None
    Membership.objects.bulk_create(memberships, batch_size=1000)
    return framework

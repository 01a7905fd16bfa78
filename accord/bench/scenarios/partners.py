"""members_on through the API against the same query in raw SQL."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db import connection
from django.test import Client

from accord.bench import generate
from accord.bench.harness import scenario, timings
from accord.partners.models import Framework, Membership


@dataclass
class Context:
    framework: Framework
    client: Client
    dates: list[dt.date]
    changes: int
    partners: int
    step: int = 0

    def next_date(self) -> dt.date:
        self.step += 1
        return self.dates[self.step % len(self.dates)]


def setup(scale: str) -> Context:
    framework = generate.partners(scale)
    memberships = Membership.objects.filter(framework=framework)
    changes = memberships.count() + memberships.filter(left_on__isnull=False).count()
    first = dt.date(2000, 6, 1)
    return Context(
        framework=framework,
        client=Client(),
        dates=[first + dt.timedelta(days=97 * n) for n in range(40)],
        changes=changes,
        partners=memberships.values("organisation").distinct().count(),
    )


MEMBERS_SQL = """
SELECT n.acronym, n.name, o.acronym, o.kind, m.joined_on, m.instrument, m.left_on
FROM partners_membership m
JOIN partners_organisation o ON o.id = m.organisation_id
LEFT JOIN partners_organisationname n ON n.id = (
    SELECT n2.id FROM partners_organisationname n2
    WHERE n2.organisation_id = o.id AND (n2.valid_from IS NULL OR n2.valid_from <= %s)
    ORDER BY n2.valid_from IS NULL, n2.valid_from DESC LIMIT 1)
JOIN partners_framework f ON f.id = m.framework_id
WHERE f.code = %s AND m.joined_on <= %s AND (m.left_on IS NULL OR m.left_on > %s)
ORDER BY n.acronym
"""


def raw_sql(context: Context) -> object:
    on = context.next_date()
    with connection.cursor() as cursor:
        cursor.execute(MEMBERS_SQL, [on, context.framework.code, on, on])
        return cursor.fetchall()


def request_overhead(context: Context) -> float:
    """The same client and API stack answering a one-row lookup: what any route pays."""
    url = f"/api/v1/frameworks/{context.framework.code}"
    return statistics.median(timings(lambda: context.client.get(url), 30))


@scenario(
    "members_on_api",
    goal=3.0,
    floor="raw SQL",
    setup=setup,
    baseline=raw_sql,
    size=lambda c: f"{c.partners} partners, {c.changes} membership changes",
    extra=lambda c: {"request_overhead_s": round(request_overhead(c), 6)},
    visitor=True,
)
def members_on_api(context: Context) -> object:
    on = context.next_date()
    response = context.client.get(
        f"/api/v1/frameworks/{context.framework.code}/members", {"on": on.isoformat()}
    )
    if response.status_code != 200:
        raise RuntimeError(f"members API answered {response.status_code}: {response.content!r}")
    return response.content

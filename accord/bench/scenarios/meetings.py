"""The action register through the API against the same reads in raw SQL.

Filter owner + status + overdue, first page of 50: the request a focal point makes
before a meeting. Synthetic meetings and action points are written through bulk_create
(the owners' through table too).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.utils import timezone

from accord.bench.harness import scenario
from accord.core.models import Classification
from accord.meetings.models import (
    ActionPoint,
    ActionPointStatus,
    ActionPointUpdate,
    Meeting,
    MeetingStatus,
    MeetingTier,
)
from accord.partners.models import Organisation, OrganisationKind, OrganisationName

SIZES = {
    "small": {"partners": 20, "meetings": 100, "action_points": 2_500},
    "large": {"partners": 100, "meetings": 2_000, "action_points": 50_000},
}
STATUS_WEIGHTS = {
    ActionPointStatus.OPEN: 4,
    ActionPointStatus.IN_PROGRESS: 3,
    ActionPointStatus.DONE: 4,
    ActionPointStatus.DROPPED: 1,
}


def generate(scale: str, *, seed: int = 2013) -> list[Organisation]:
    """Meetings over three tiers and action points owned by one or two partners each,
    a third of them with one or two progress updates. Returns the partners."""
    size = SIZES[scale]
    prefix = f"M{scale[0].upper()}"
    existing = list(Organisation.objects.filter(acronym__startswith=prefix).order_by("acronym"))
    if existing:
        return existing
    rng = random.Random(seed)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            acronym=f"{prefix}{n:03d}", name=f"Bench partner {n}", kind=OrganisationKind.OTHER
        )
        for n in range(size["partners"])
    )
    OrganisationName.objects.bulk_create(
        OrganisationName(organisation=o, acronym=o.acronym, name=o.name) for o in organisations
    )
    tiers = MeetingTier.objects.bulk_create(
        MeetingTier(code=f"{prefix.lower()}-{code}", name=f"{name} ({scale})")
        for code, name in (("som", "Senior Officials"), ("hou", "Heads of Unit"), ("exp", "Expert"))
    )
    meetings = []
    for index, tier in enumerate(tiers):
        day = dt.date(2000, 1, 10)
        for _ in range(size["meetings"] // len(tiers) + (index < size["meetings"] % len(tiers))):
            day += dt.timedelta(days=rng.randint(2, 8))
            meetings.append(
                Meeting(
                    tier=tier,
                    date=day,
                    city="Brussels",
                    status=MeetingStatus.HELD,
                    classification=Classification.PUBLIC,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=1000)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    points = ActionPoint.objects.bulk_create(
        (
            ActionPoint(
                meeting=meeting,
                text=f"Action {n}: follow up on the agreed point",
                due_date=meeting.date + dt.timedelta(days=rng.randint(30, 720)),
                status=rng.choices(statuses, weights)[0],
                classification=Classification.PUBLIC,
            )
            for n, meeting in enumerate(rng.choice(meetings) for _ in range(size["action_points"]))
        ),
        batch_size=2000,
    )
    through = ActionPoint.owners.through
    owners = []
    for point in points:
        for organisation in rng.sample(organisations, rng.choice((1, 1, 2))):
            owners.append(through(actionpoint_id=point.pk, organisation_id=organisation.pk))
    through.objects.bulk_create(owners, batch_size=5000)
    updates = [
        ActionPointUpdate(
            action_point=point, on=point.meeting.date + dt.timedelta(days=d), text="Progress"
        )
        for point in points
        if rng.random() < 1 / 3
        for d in range(1, rng.randint(2, 3))
    ]
    ActionPointUpdate.objects.bulk_create(updates, batch_size=5000)
    return organisations


@dataclass
class Context:
    client: Client
    owners: list[str]
    today: dt.date
    meetings: int
    action_points: int
    step: int = 0

    def next_owner(self) -> str:
        self.step += 1
        return self.owners[self.step % len(self.owners)]


def setup(scale: str) -> Context:
    organisations = generate(scale)
    # Planner statistics, as PostgreSQL's autovacuum keeps them; without them SQLite walks
    # every open action point instead of starting from the owner. Both sides profit.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    prefix = organisations[0].acronym[:2]
    return Context(
        client=Client(),
        owners=[o.acronym for o in organisations],
        today=timezone.localdate(),
        meetings=Meeting.objects.filter(tier__code__startswith=prefix.lower()).count(),
        action_points=ActionPoint.objects.filter(
            meeting__tier__code__startswith=prefix.lower()
        ).count(),
    )


FILTER = """
FROM meetings_actionpoint ap
JOIN meetings_actionpoint_owners ow ON ow.actionpoint_id = ap.id
JOIN partners_organisation o ON o.id = ow.organisation_id
WHERE o.acronym = %s AND ap.classification = 'public'
  AND ap.status IN ('open', 'in_progress') AND ap.due_date < %s
"""

COUNT_SQL = "SELECT COUNT(*) " + FILTER

PAGE_SQL = f"""
SELECT page.id, page.text, page.due_date, page.status, page.version, page.classification,
       p.full_name, t.code,
       (SELECT COUNT(*) FROM meetings_meeting m2 WHERE m2.tier_id = m.tier_id AND m2.date < m.date)
       + (SELECT COUNT(*) FROM meetings_meeting m2 WHERE m2.tier_id = m.tier_id
          AND m2.date = m.date AND m2.starts_at < m.starts_at) + 1
FROM (SELECT ap.id, ap.meeting_id, ap.assignee_id, ap.text, ap.due_date, ap.status,
             ap.version, ap.classification
      {FILTER}
      ORDER BY ap.due_date, ap.id LIMIT 50) page
JOIN meetings_meeting m ON m.id = page.meeting_id
JOIN meetings_meetingtier t ON t.id = m.tier_id
LEFT JOIN partners_person p ON p.id = page.assignee_id
ORDER BY page.due_date, page.id
"""

OWNERS_SQL = """
SELECT ow.actionpoint_id, o.acronym FROM meetings_actionpoint_owners ow
JOIN partners_organisation o ON o.id = ow.organisation_id
WHERE ow.actionpoint_id IN ({ids}) ORDER BY o.acronym
"""

UPDATES_SQL = """
SELECT u.action_point_id, u."on", u.text, u.status, au.username
FROM meetings_actionpointupdate u LEFT JOIN auth_user au ON au.id = u.author_id
WHERE u.action_point_id IN ({ids}) ORDER BY u."on", u.id
"""


def raw_sql(context: Context) -> object:
    owner = context.next_owner()
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, [owner, context.today])
        count = cursor.fetchone()
        cursor.execute(PAGE_SQL, [owner, context.today])
        page = cursor.fetchall()
        ids = [row[0] for row in page]
        if not ids:
            return count, page
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(OWNERS_SQL.format(ids=marks), ids)
        owners = cursor.fetchall()
        cursor.execute(UPDATES_SQL.format(ids=marks), ids)
        return count, page, owners, cursor.fetchall()


@scenario(
    "action_register_api",
    goal=3.0,
    floor="raw SQL",
    setup=setup,
    baseline=raw_sql,
    size=lambda c: f"{c.meetings} meetings, {c.action_points} action points",
    visitor=True,
)
def action_register_api(context: Context) -> object:
    query: dict[str, str | int] = {
        "owner": context.next_owner(),
        "status": "open,in_progress",
        "overdue": "true",
        "limit": 50,
    }
    response = context.client.get("/api/v1/action-points", query)
    if response.status_code != 200:
        raise RuntimeError(f"action register answered {response.status_code}: {response.content!r}")
    return response.content

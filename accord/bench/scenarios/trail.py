"""The trail of a commitment and the radar of a meeting through the API, against the same
reads in raw SQL.

``commitment_trail``: one commitment with 1,000 linked records (meetings on a topic
linked to it, decisions citing it, the action points they raised, initiatives
implementing it and their verified entries, indicators with observations), first page of
50 as an anonymous reader. ``meeting_radar``: the last meeting of the meetings scenario's
tier at the chosen scale (2,000 meetings and 50,000 action points at the large scale),
whose decisions cite 30 commitments with initiatives, an open cycle and indicators.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone

from accord.bench.harness import scenario
from accord.bench.scenarios.meetings import generate as generate_meetings
from accord.commitments.models import (
    Commitment,
    Cycle,
    CycleEntry,
    CycleStatus,
    EntryState,
    Initiative,
    InitiativeCommitment,
    InitiativeStatus,
    Instrument,
)
from accord.core.models import Classification
from accord.evidence.models import CommitmentIndicator, Indicator, Observation, Place, PlaceKind
from accord.meetings.models import (
    ActionPoint,
    ActionPointStatus,
    Decision,
    DecisionCommitment,
    Meeting,
    MeetingStatus,
    MeetingTier,
    Topic,
    TopicCommitment,
)
from accord.partners.models import Organisation, OrganisationKind

PUBLIC = Classification.PUBLIC
# 40 meetings on the topic + 200 decisions + 300 action points + 300 initiatives
# + 150 verified entries + 10 indicators = 1,000 records tied to the commitment.
TRAIL = {"meetings": 40, "decisions": 200, "action_points": 300, "initiatives": 300}
TRAIL_ENTRIES, TRAIL_INDICATORS = 150, 10
RADAR_COMMITMENTS = 30
RADAR_INITIATIVES = {"small": 300, "large": 3_000}


def _indicators(prefix: str, count: int, rng: random.Random) -> list[Indicator]:
    place, _ = Place.objects.get_or_create(
        code=f"{prefix}_PLACE", defaults={"name": "Bench route", "kind": PlaceKind.ROUTE}
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(code=f"{prefix}_{n}", name=f"Bench indicator {n}", direction="up")
        for n in range(count)
    )
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            place=place,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            period_precision="year",
            value=rng.uniform(50, 150),
        )
        for indicator in indicators
        for year in range(2015, 2025)
    )
    return indicators


def _initiatives(count: int, partners: list[Organisation], rng: random.Random) -> list[Initiative]:
    return Initiative.objects.bulk_create(
        (
            Initiative(
                title={"en": f"Bench initiative {n}"},
                partner=rng.choice(partners),
                status=rng.choice((InitiativeStatus.ONGOING, InitiativeStatus.COMPLETED)),
                start_on=dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 2000)),
                end_on=dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 2500)),
                progress=rng.randint(0, 100),
                classification=PUBLIC,
            )
            for n in range(count)
        ),
        batch_size=1000,
    )


@dataclass
class TrailContext:
    client: Client
    code: str
    commitment_id: int
    linked: int


def trail_setup(scale: str) -> TrailContext:
    code = "BTR-1"
    existing = Commitment.objects.filter(code=code).first()
    if existing is None:
        rng = random.Random(2017)
        instrument = Instrument.objects.create(code="BTR", name="Bench trail instrument")
        existing = Commitment.objects.create(instrument=instrument, code=code, title={"en": "T"})
        tier = MeetingTier.objects.create(code="btr-som", name="Bench trail meetings")
        meetings = Meeting.objects.bulk_create(
            Meeting(
                tier=tier,
                date=dt.date(2005, 1, 1) + dt.timedelta(days=90 * n),
                status=MeetingStatus.HELD,
                classification=PUBLIC,
                agenda_published_at=timezone.now(),
            )
            for n in range(TRAIL["meetings"])
        )
        topic = Topic.objects.create(slug="bench-trail-topic", name="Bench trail topic")
        TopicCommitment.objects.create(topic=topic, commitment_code=code)
        Meeting.topics.through.objects.bulk_create(
            Meeting.topics.through(meeting_id=m.pk, topic_id=topic.pk) for m in meetings
        )
        decisions = Decision.objects.bulk_create(
            Decision(
                meeting=meetings[n % len(meetings)],
                position=n // len(meetings) + 1,
                text=f"Bench decision {n}",
                classification=PUBLIC,
            )
            for n in range(TRAIL["decisions"])
        )
        DecisionCommitment.objects.bulk_create(
            DecisionCommitment(decision=d, commitment_code=code) for d in decisions
        )
        held_on = {m.pk or 0: m.date for m in meetings}
        ActionPoint.objects.bulk_create(
            ActionPoint(
                meeting=decision.meeting,
                raised_by_decision=decision,
                text=f"Bench action {n}",
                due_date=held_on[decision.meeting_id or 0]
                + dt.timedelta(days=rng.randint(30, 900)),
                status=rng.choice(list(ActionPointStatus)),
                classification=PUBLIC,
            )
            for n, decision in enumerate(
                rng.choice(decisions) for _ in range(TRAIL["action_points"])
            )
        )
        partner = Organisation.objects.create(
            acronym="BTRP", name="Bench trail partner", kind=OrganisationKind.OTHER
        )
        initiatives = _initiatives(TRAIL["initiatives"], [partner], rng)
        InitiativeCommitment.objects.bulk_create(
            InitiativeCommitment(initiative=i, commitment=existing) for i in initiatives
        )
        cycle = Cycle.objects.create(
            name="Bench trail cycle",
            status=CycleStatus.CLOSED,
            opens_on=dt.date(2023, 1, 1),
            closes_on=dt.date(2023, 3, 31),
        )
        CycleEntry.objects.bulk_create(
            CycleEntry(cycle=cycle, initiative=i, state=EntryState.VERIFIED, progress=50)
            for i in initiatives[:TRAIL_ENTRIES]
        )
        for indicator in _indicators("BTR", TRAIL_INDICATORS, rng):
            CommitmentIndicator.objects.create(commitment_code=code, indicator=indicator)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    linked = sum(TRAIL.values()) + TRAIL_ENTRIES + TRAIL_INDICATORS
    return TrailContext(client=Client(), code=code, commitment_id=existing.pk, linked=linked)


TRAIL_SQL = [
    # meetings on a topic linked to the code, with their ordinals
    """SELECT m.id, m.date, t.code,
       (SELECT COUNT(*) FROM meetings_meeting m2 WHERE m2.tier_id = m.tier_id AND m2.date < m.date)
       + 1, tp.name
       FROM meetings_topiccommitment tc
       JOIN meetings_topic tp ON tp.id = tc.topic_id
       JOIN meetings_meeting_topics mt ON mt.topic_id = tc.topic_id
       JOIN meetings_meeting m ON m.id = mt.meeting_id
       JOIN meetings_meetingtier t ON t.id = m.tier_id
       WHERE tc.commitment_code = %s AND m.classification = 'public'""",
    """SELECT ai.id, ai.title, ai.meeting_id FROM reports_agendacommitment ac
       JOIN meetings_agendaitem ai ON ai.id = ac.agenda_item_id
       WHERE ac.commitment_code = %s""",
    """SELECT d.id, d.position, d.text, m.date, t.code,
       (SELECT COUNT(*) FROM meetings_meeting m2 WHERE m2.tier_id = m.tier_id AND m2.date < m.date)
       + 1
       FROM meetings_decisioncommitment dc
       JOIN meetings_decision d ON d.id = dc.decision_id
       JOIN meetings_meeting m ON m.id = d.meeting_id
       JOIN meetings_meetingtier t ON t.id = m.tier_id
       WHERE dc.commitment_code = %s AND d.classification = 'public'
         AND m.classification = 'public'""",
    """SELECT ap.id, ap.raised_by_decision_id, ap.text, ap.status, ap.due_date
       FROM meetings_actionpoint ap
       JOIN meetings_decisioncommitment dc ON dc.decision_id = ap.raised_by_decision_id
       WHERE dc.commitment_code = %s AND ap.classification = 'public'""",
    """SELECT ci.id, ci.code, ci.name, ci.unit, o.period_start, o.value, o.place_id
       FROM evidence_commitmentindicator l
       JOIN evidence_indicator ci ON ci.id = l.indicator_id
       JOIN evidence_observation o ON o.indicator_id = ci.id
       WHERE l.commitment_code = %s AND ci.classification = 'public'
         AND o.disaggregation_key = '' AND o.period_precision = 'year'""",
]
TRAIL_BY_ID_SQL = [
    """SELECT i.id, i.title, i.start_on, i.status, i.progress
       FROM commitments_initiativecommitment l
       JOIN commitments_initiative i ON i.id = l.initiative_id
       WHERE l.commitment_id = %s AND i.classification = 'public'""",
    """SELECT e.id, e.initiative_id, c.name, c.closes_on, e.submitted_at, e.progress
       FROM commitments_initiativecommitment l
       JOIN commitments_cycleentry e ON e.initiative_id = l.initiative_id
       JOIN commitments_cycle c ON c.id = e.cycle_id
       JOIN commitments_initiative i ON i.id = l.initiative_id
       WHERE l.commitment_id = %s AND e.state = 'verified' AND i.classification = 'public'""",
]


def trail_raw(context: TrailContext) -> object:
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for sql in TRAIL_SQL:
            cursor.execute(sql, [context.code])
            rows.extend(cursor.fetchall())
        for sql in TRAIL_BY_ID_SQL:
            cursor.execute(sql, [context.commitment_id])
            rows.extend(cursor.fetchall())
    dated = sorted(rows, key=lambda row: str(row[1]))
    return dated[:50]


@scenario(
    "commitment_trail",
    goal=3.0,
    floor="raw SQL",
    setup=trail_setup,
    baseline=trail_raw,
    size=lambda c: f"1 commitment, {c.linked} linked records",
    repeat=10,
)
def commitment_trail(context: TrailContext) -> object:
    response = context.client.get(f"/api/v1/commitments/{context.code}/trail", {"limit": 50})
    if response.status_code != 200:
        raise RuntimeError(f"trail answered {response.status_code}: {response.content!r}")
    return response.content


@dataclass
class RadarContext:
    client: Client
    key: str
    meeting_id: int
    previous_id: int
    codes: list[str]
    size: str
    today: dt.date


def radar_setup(scale: str) -> RadarContext:
    organisations = generate_meetings(scale)
    prefix = organisations[0].acronym[:2].lower()
    tier = MeetingTier.objects.get(code=f"{prefix}-som")
    last, previous = list(Meeting.objects.filter(tier=tier).order_by("-date", "-pk")[:2])
    codes = [f"BRD-{n}" for n in range(RADAR_COMMITMENTS)]
    if not Commitment.objects.filter(code=codes[0]).exists():
        rng = random.Random(2018)
        instrument = Instrument.objects.create(code="BRD", name="Bench radar instrument")
        commitments = [
            Commitment.objects.create(instrument=instrument, code=code, title={"en": code})
            for code in codes
        ]
        decisions = Decision.objects.bulk_create(
            Decision(
                meeting=meeting, position=n + 1, text=f"Radar decision {n}", classification=PUBLIC
            )
            for meeting in (last, previous)
            for n in range(RADAR_COMMITMENTS)
        )
        DecisionCommitment.objects.bulk_create(
            DecisionCommitment(decision=d, commitment_code=codes[n % RADAR_COMMITMENTS])
            for n, d in enumerate(decisions)
        )
        # Action points of the tier raised by the decisions (half of the decisions).
        points = list(
            ActionPoint.objects.filter(meeting__tier=tier).order_by("pk")[: RADAR_COMMITMENTS * 20]
        )
        for n, point in enumerate(points):
            point.raised_by_decision = decisions[n % RADAR_COMMITMENTS]
        ActionPoint.objects.bulk_update(points, ["raised_by_decision"], batch_size=1000)
        initiatives = _initiatives(RADAR_INITIATIVES[scale], organisations, rng)
        InitiativeCommitment.objects.bulk_create(
            InitiativeCommitment(initiative=i, commitment=commitments[n % (RADAR_COMMITMENTS - 3)])
            for n, i in enumerate(initiatives)
        )
        cycle = Cycle.objects.create(
            name="Bench radar cycle",
            status=CycleStatus.OPEN,
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 12, 31),
        )
        cycle.instruments.add(instrument)
        CycleEntry.objects.bulk_create(
            CycleEntry(
                cycle=cycle,
                initiative=i,
                state=rng.choice((EntryState.DRAFT, EntryState.SUBMITTED)),
            )
            for i in initiatives[::2]
        )
        for n, indicator in enumerate(_indicators("BRD", 10, rng)):
            CommitmentIndicator.objects.create(commitment_code=codes[n], indicator=indicator)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    key_ordinal = Meeting.objects.filter(tier=tier, date__lt=last.date).count() + 1
    return RadarContext(
        client=Client(),
        key=f"{tier.code}-{key_ordinal}",
        meeting_id=last.pk,
        previous_id=previous.pk,
        codes=codes,
        size=(
            f"{Meeting.objects.filter(tier__code__startswith=prefix).count()} meetings, "
            f"{ActionPoint.objects.filter(meeting__tier__code__startswith=prefix).count()} "
            f"action points, {RADAR_COMMITMENTS} commitments, "
            f"{RADAR_INITIATIVES[scale]} initiatives"
        ),
        today=timezone.localdate(),
    )


RADAR_SQL = """
SELECT DISTINCT dc.commitment_code FROM meetings_decision d
JOIN meetings_decisioncommitment dc ON dc.decision_id = d.id
WHERE d.meeting_id IN (%s, %s) AND d.classification = 'public'
"""
RADAR_DECISIONS_SQL = """
SELECT dc.commitment_code, d.id,
  (SELECT COUNT(*) FROM meetings_actionpoint ap
   WHERE ap.raised_by_decision_id = d.id AND ap.classification = 'public'),
  (SELECT COUNT(*) FROM meetings_actionpoint ap
   WHERE ap.raised_by_decision_id = d.id AND ap.classification = 'public'
     AND ap.status IN ('open', 'in_progress') AND ap.due_date < %s)
FROM meetings_decision d JOIN meetings_decisioncommitment dc ON dc.decision_id = d.id
WHERE dc.commitment_code IN ({codes}) AND d.classification = 'public'
"""
RADAR_INITIATIVES_SQL = """
SELECT c.code, i.id, i.partner_id, o.acronym, i.status, i.start_on, i.end_on, i.progress
FROM commitments_initiativecommitment l
JOIN commitments_commitment c ON c.id = l.commitment_id
JOIN commitments_initiative i ON i.id = l.initiative_id
LEFT JOIN partners_organisation o ON o.id = i.partner_id
WHERE c.code IN ({codes}) AND i.classification = 'public'
"""
RADAR_ENTRIES_SQL = """
SELECT e.cycle_id, e.initiative_id FROM commitments_cycleentry e
JOIN commitments_cycle c ON c.id = e.cycle_id
JOIN commitments_initiativecommitment l ON l.initiative_id = e.initiative_id
JOIN commitments_commitment k ON k.id = l.commitment_id
WHERE c.status = 'open' AND e.state IN ('submitted', 'verified') AND k.code IN ({codes})
"""
RADAR_INDICATORS_SQL = """
SELECT l.commitment_code, o.indicator_id, o.period_start, o.value
FROM evidence_commitmentindicator l
JOIN evidence_indicator i ON i.id = l.indicator_id
JOIN evidence_observation o ON o.indicator_id = i.id
WHERE l.commitment_code IN ({codes}) AND i.classification = 'public'
  AND o.disaggregation_key = '' AND o.period_precision = 'year'
"""


def radar_raw(context: RadarContext) -> object:
    with connection.cursor() as cursor:
        cursor.execute(RADAR_SQL, [context.meeting_id, context.previous_id])
        codes = [row[0] for row in cursor.fetchall()]
        marks = ", ".join(["%s"] * len(codes))
        cursor.execute(RADAR_DECISIONS_SQL.format(codes=marks), [context.today, *codes])
        decisions = cursor.fetchall()
        found = []
        for sql in (RADAR_INITIATIVES_SQL, RADAR_ENTRIES_SQL, RADAR_INDICATORS_SQL):
            cursor.execute(sql.format(codes=marks), codes)
            found.append(cursor.fetchall())
    return decisions, found


@scenario(
    "meeting_radar",
    goal=3.0,
    floor="raw SQL",
    setup=radar_setup,
    baseline=radar_raw,
    size=lambda c: c.size,
    repeat=10,
)
def meeting_radar(context: RadarContext) -> object:
    response = context.client.get(f"/api/v1/meetings/{context.key}/radar")
    if response.status_code != 200:
        raise RuntimeError(f"radar answered {response.status_code}: {response.content!r}")
    return response.content

"""The trail of a commitment and the radar of a meeting on a made situation whose answers
are known: two Senior Officials Meetings, decisions citing commitments, an overdue action
point, an initiative past its end with a verified entry and a draft one in the open cycle,
and an indicator moving the wrong way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from accord.commitments.models import (
    Commitment,
    Cycle,
    CycleEntry,
    CycleStatus,
    EntryState,
    InitiativeCommitment,
    InitiativeStatus,
    Instrument,
    ProgressWeighting,
)
from accord.commitments.rollup import commitment_rollup
from accord.commitments.tests.factories import InitiativeFactory
from accord.core.models import Classification
from accord.evidence.models import CommitmentIndicator
from accord.evidence.tests.factories import IndicatorFactory, ObservationFactory, PlaceFactory
from accord.meetings.models import (
    ActionPointStatus,
    Decision,
    DecisionCommitment,
    Topic,
    TopicCommitment,
)
from accord.meetings.tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    MeetingFactory,
    MeetingTierFactory,
)
from accord.partners.tests.factories import OrganisationFactory
from accord.reports.models import AgendaCommitment
from accord.reports.radar import meeting_radar
from accord.reports.trail import commitment_trail, topic_trail

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


@dataclass
class Situation:
    som1: Any
    som2: Any
    initiative: Any


def _decision(meeting: Any, position: int, *codes: str, **fields: Any) -> Decision:
    fields.setdefault("classification", Classification.PUBLIC)
    decision = Decision.objects.create(
        meeting=meeting, position=position, text=f"Decision {position} of {meeting.pk}", **fields
    )
    for code in codes:
        DecisionCommitment.objects.create(decision=decision, commitment_code=code)
    return decision


@pytest.fixture
def situation(db: Any) -> Situation:
    instrument = Instrument.objects.create(code="JV", name="Joint plan")
    for position, code in enumerate(("JV-1", "JV-2", "JV-3", "JV-5")):
        Commitment.objects.create(
            instrument=instrument, code=code, title={"en": f"Domain {code}"}, position=position
        )
    tier = MeetingTierFactory.create(code="som", name="Senior Officials Meeting")
    som1 = MeetingFactory.create(tier=tier, date=dt.date(2024, 3, 1))
    som2 = MeetingFactory.create(
        tier=tier, date=dt.date(2025, 4, 4), agenda_published_at=timezone.now()
    )
    topic = Topic.objects.create(slug="legal-avenues", name="legal avenues")
    TopicCommitment.objects.create(topic=topic, commitment_code="JV-2")
    som1.topics.add(topic)
    item = AgendaItemFactory.create(meeting=som2, title="Legal migration")
    AgendaCommitment.objects.create(agenda_item=item, commitment_code="JV-2")
    AgendaCommitment.objects.create(
        agenda_item=AgendaItemFactory.create(meeting=som2, title="Root causes"),
        commitment_code="JV-1",
    )
    _decision(som1, 1, "JV-2", classification=Classification.MEMBERS)
    _decision(som2, 1, "JV-5")
    _decision(som2, 2, "JV-3")
    third = _decision(som2, 3, "JV-2")
    ActionPointFactory.create(
        meeting=som2,
        text="Pool the legal migration offers",
        raised_by_decision=third,
        due_date=dt.date(2025, 6, 30),
        status=ActionPointStatus.OPEN,
        classification=Classification.PUBLIC,
    )
    partner = OrganisationFactory.create(acronym="PA")
    initiative = InitiativeFactory.create(
        title={"en": "Mobility partnership"},
        partner=partner,
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2025, 12, 31),
        status=InitiativeStatus.ONGOING,
        classification=Classification.PUBLIC,
    )
    InitiativeCommitment.objects.create(
        initiative=initiative, commitment=Commitment.objects.get(code="JV-2")
    )
    done = InitiativeFactory.create(
        title={"en": "Jobs programme"},
        partner=partner,
        status=InitiativeStatus.COMPLETED,
        classification=Classification.PUBLIC,
    )
    InitiativeCommitment.objects.create(
        initiative=done, commitment=Commitment.objects.get(code="JV-1")
    )
    closed = Cycle.objects.create(
        name="2025",
        status=CycleStatus.CLOSED,
        opens_on=dt.date(2025, 9, 1),
        closes_on=dt.date(2025, 11, 30),
    )
    opened = Cycle.objects.create(
        name="2026",
        status=CycleStatus.OPEN,
        opens_on=dt.date(2026, 9, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    for cycle in (closed, opened):
        cycle.instruments.add(instrument)
    CycleEntry.objects.create(
        cycle=closed,
        initiative=initiative,
        state=EntryState.VERIFIED,
        progress=60,
        submitted_at=dt.datetime(2025, 11, 15, 10, tzinfo=dt.UTC),
    )
    CycleEntry.objects.create(cycle=opened, initiative=initiative, state=EntryState.DRAFT)
    indicator = IndicatorFactory.create(code="LEGAL_ENTRIES", name="Legal entries", direction="up")
    CommitmentIndicator.objects.create(commitment_code="JV-2", indicator=indicator)
    place = PlaceFactory.create(code="ROUTE_X", name="Route X")
    for year, value in ((2015, 100.0), (2024, 80.0)):
        ObservationFactory.create(
            indicator=indicator,
            place=place,
            period_start=dt.date(year, 1, 1),
            value=value,
        )
    return Situation(som1=som1, som2=som2, initiative=initiative)


def _rows(items: list[Any]) -> list[tuple[str | None, str, str, str]]:
    return [(i.date and i.date.isoformat(), i.kind, i.tie, i.state) for i in items]


def test_the_trail_of_a_commitment_is_one_dated_timeline_of_what_the_reader_may_see(situation):
    trail = commitment_trail(user=None, code="JV-2", today=TODAY)
    assert trail.code == "JV-2"
    assert _rows(trail.items) == [
        ("2024-01-01", "initiative", "initiative implementing JV-2", "Ongoing, 50%"),
        (
            "2024-01-01",
            "indicator",
            "indicator evidencing JV-2",
            "latest 80 persons (2024, Route X); Deterioration (Route X)",
        ),
        ("2024-03-01", "meeting", "som-1 discussed legal avenues, a topic linked to JV-2", ""),
        ("2025-04-04", "agenda_item", "agenda item “Legal migration” of som-2 discusses JV-2", ""),
        ("2025-04-04", "decision", "decision 3 of som-2 cites JV-2", ""),
        (
            "2025-06-30",
            "action_point",
            "action point raised by decision 3 of som-2, which cites JV-2",
            "Open, overdue since 2025-06-30",
        ),
        (
            "2025-11-15",
            "cycle_entry",
            "verified progress of an initiative implementing JV-2",
            "60% verified",
        ),
    ]
    decision = next(item for item in trail.items if item.kind == "decision")
    assert decision.url.startswith("/meetings/som-2/#decision-")


def test_a_member_also_sees_the_members_only_decision(situation, make_user):
    member = make_user("member", ("PA", "member"))
    ties = [item.tie for item in commitment_trail(user=member, code="JV-2", today=TODAY).items]
    assert "decision 1 of som-1 cites JV-2" in ties
    assert "decision 1 of som-1 cites JV-2" not in [
        item.tie for item in commitment_trail(user=None, code="JV-2", today=TODAY).items
    ]


def test_the_verified_progress_of_a_hidden_initiative_stays_hidden(situation, make_user):
    hidden = InitiativeFactory.create(
        title={"en": "Members-only mobility scheme"},
        partner=situation.initiative.partner,
        start_on=dt.date(2024, 2, 1),
        classification=Classification.MEMBERS,
    )
    InitiativeCommitment.objects.create(
        initiative=hidden, commitment=Commitment.objects.get(code="JV-2")
    )
    CycleEntry.objects.create(
        cycle=Cycle.objects.get(name="2025"),
        initiative=hidden,
        state=EntryState.VERIFIED,
        progress=30,
        submitted_at=dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC),
    )

    def entries(user: Any) -> list[str]:
        items = commitment_trail(user=user, code="JV-2", today=TODAY).items
        return [item.state for item in items if item.kind == "cycle_entry"]

    assert entries(None) == ["60% verified"]
    assert entries(make_user("member", ("PA", "member"))) == ["60% verified", "30% verified"]


def test_a_topic_has_its_own_trail(situation):
    trail = topic_trail(user=None, slug="legal-avenues", today=TODAY)
    assert trail.codes == ["JV-2"]
    ties = [item.tie for item in trail.items]
    assert ties[2] == "som-1 discussed legal avenues"  # the topic's meeting, once
    assert "decision 3 of som-2 cites JV-2" in ties
    assert len(ties) == 7


def test_the_radar_ranks_the_commitments_at_risk_with_their_reasons(situation):
    radar = meeting_radar(user=None, key="som-2", today=TODAY)
    assert radar.considered == 4  # JV-1, JV-2 (agenda), JV-3, JV-5 (decisions)
    ranked = [(row.code, row.score, [r.kind for r in row.reasons]) for row in radar.rows]
    assert ranked == [
        (
            "JV-2",
            10,
            ["overdue_action", "behind_schedule", "indicator_wrong_way", "not_submitted"],
        ),
        # Equal scores and as many reasons: by code.
        ("JV-3", 6, ["no_initiative", "decision_without_action"]),
        ("JV-5", 6, ["no_initiative", "decision_without_action"]),
    ]  # JV-1 (a completed initiative, nothing else) is not at risk
    texts = [reason.text for reason in radar.rows[0].reasons]
    assert "partners who have not submitted in the open cycle: PA" in texts


def test_the_radar_weighs_what_the_reader_may_see(situation, make_user):
    member = make_user("member", ("PA", "member"))
    radar = meeting_radar(user=member, key="som-2", today=TODAY)
    first = radar.rows[0]
    # The previous meeting's members-only decision cites JV-2 and raised no action.
    assert (first.code, first.score) == ("JV-2", 12)
    assert "decision_without_action" in [reason.kind for reason in first.reasons]
    # What the reasons count is members-only: a pack showing them says so.
    assert radar.classifications == ["members", "public"]
    assert meeting_radar(user=None, key="som-2", today=TODAY).classifications == ["public"]


def test_the_roll_up_says_how_it_was_computed(situation):
    commitment = Commitment.objects.get(code="JV-2")
    rollup = commitment_rollup(commitment, user=None)
    assert rollup.weighting == ProgressWeighting.PLAIN
    assert rollup.progress == 50.0
    assert [(part.what, part.progress, part.weight) for part in rollup.parts] == [("", 50.0, 1.0)]
    assert rollup.explanation == "50% = initiatives linked directly 50% (weight 1)"


def test_the_trail_and_radar_through_the_api_and_the_pages(situation, client):
    answer = client.get("/api/v1/commitments/JV-2/trail", {"limit": 2, "offset": 2})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["code"], body["count"]) == ("JV-2", 7)
    assert [item["kind"] for item in body["items"]] == ["meeting", "agenda_item"]
    assert set(body["items"][0]) >= {"date", "kind", "title", "url", "tie"}
    assert client.get("/api/v1/commitments/NOPE/trail").status_code == 404
    assert client.get("/api/v1/commitments/JV-2/trail", {"limit": 0}).status_code == 422
    radar = client.get("/api/v1/meetings/som-2/radar").json()
    assert [row["code"] for row in radar["items"]][:1] == ["JV-2"]
    page = client.get("/commitments/JV-2/")
    assert page.status_code == 200
    assert "decision 3 of som-2 cites JV-2" in page.content.decode()
    assert "Plain average" in page.content.decode() or "plain average" in page.content.decode()
    assert client.get("/meetings/som-2/radar/").status_code == 200
    assert "legal avenues" in client.get("/topics/legal-avenues/").content.decode()


def test_a_decision_adopted_by_procedure_is_on_the_trail(situation):
    from accord.meetings.models import Procedure

    procedure = Procedure.objects.create(
        kind="written",
        text="Adopt the mobility guidelines",
        closes=dt.date(2025, 9, 30),
        closed_on=dt.date(2025, 9, 15),
        state="adopted",
        outcome="all_agreed",
        classification=Classification.PUBLIC,
    )
    decision = Decision.objects.create(
        procedure=procedure, text="Adopt the mobility guidelines", classification="public"
    )
    DecisionCommitment.objects.create(decision=decision, commitment_code="JV-2")
    items = commitment_trail(user=None, code="JV-2", today=TODAY).items
    found = [item for item in items if item.url == f"/procedures/{procedure.pk}/"]
    assert [(f.date, f.tie) for f in found] == [
        (dt.date(2025, 9, 15), f"decision adopted by procedure {procedure.pk} cites JV-2")
    ]

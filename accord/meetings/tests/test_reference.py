import datetime as dt
import io

import pytest
from django.core.management import call_command

from accord.meetings.models import Meeting, MeetingEvent, MeetingTier, Participant
from accord.meetings.selectors import meeting_list
from accord.reference import framework_facts

pytestmark = pytest.mark.django_db


def test_soms_load_in_order_with_their_stated_ordinals(reference):
    meetings = list(meeting_list(user=None, tier="som"))
    stated = [entry["ordinal"] for entry in framework_facts()["senior_officials_meetings"]]
    assert [m.ordinal_number for m in meetings] == stated
    assert [m.date_iso for m in meetings[:3]] == ["2013-05-03", "2014-10-01", "2016-02-16"]
    assert all(m.classification == "public" for m in meetings)


def test_uncertain_facts_and_partial_dates(som):
    assert som(1).uncertain_fields == ["city"]
    assert som(3).host.acronym == "DG INTPA"  # DG DEVCO then, the same partner
    assert som(3).is_uncertain("host")
    assert som(4).is_uncertain("ordinal")
    assert som(6).is_uncertain("date")
    eighth = som(8)
    assert (eighth.date, eighth.date_precision, eighth.date_display) == (
        dt.date(2021, 1, 1),
        "year",
        "2021",
    )
    assert eighth.uncertain_fields == []
    tenth = som(10)
    assert (tenth.date_iso, tenth.is_uncertain("date")) == ("2024", True)
    assert som(7).virtual
    assert som(7).venue == "Online"


def test_participants_and_topics(som):
    third = som(3)
    speaker = third.participants.get(role="opening_speaker")
    assert speaker.person.full_name == "Neven Mimica"
    # The Commission itself is not a member: the override is recorded with its reason.
    assert speaker.organisation.acronym == "EC"
    assert "public record" in speaker.override_reason
    iom = third.participants.filter(organisation__acronym="IOM")
    assert sorted(p.person.full_name for p in iom) == ["Laura Thompson", "William Lacy Swing"]
    co_chairs = som(11).participants.filter(role="co_chair").order_by("person__full_name")
    assert [(p.person.full_name, p.organisation.acronym) for p in co_chairs] == [
        ("Amy Pope", "IOM"),
        ("Beate Gminder", "DG HOME"),
    ]
    assert som(5).participants.filter(person__isnull=True).count() == 5
    assert "legal avenues for migration" in {t.name for t in third.topics.all()}


def test_dg_near_joins_at_the_third_som(som):
    event = MeetingEvent.objects.get()
    assert event.meeting == som(3)
    assert event.membership.organisation.acronym == "DG NEAR"
    assert event.membership.instrument == "exchange_of_letters"


def test_loading_twice_duplicates_nothing(reference):
    before = (Meeting.objects.count(), Participant.objects.count(), MeetingTier.objects.count())
    call_command("load_reference", stdout=io.StringIO())
    after = (Meeting.objects.count(), Participant.objects.count(), MeetingTier.objects.count())
    assert before == after == (11, 25, 3)

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accord.commitments import selectors
from accord.commitments.cycles import (
    cycle_open,
    entry_draft,
    entry_return,
    entry_submit,
    entry_verify,
)
from accord.commitments.initiatives import initiative_create, initiative_update
from accord.commitments.models import EntryState, Initiative
from accord.commitments.records import InitiativeRecord
from accord.core.errors import Conflict, Invalid
from accord.core.models import Classification

pytestmark = pytest.mark.django_db


def enter(user, title="Return support", partner="DG HOME", **fields):
    record = InitiativeRecord(title={"en": title}, partner=partner, **fields)
    record.given |= {"partner", *fields}
    return initiative_create(user=user, record=record)


def open_cycle(roles, name="2024", previous=None):
    return cycle_open(
        user=roles["secretariat"],
        name=name,
        opens_on=dt.date(2024, 1, 1),
        closes_on=dt.date(2024, 3, 31),
        previous=previous,
    )


def test_default_progress_follows_status_unless_given(roles):
    initiative = enter(roles["contributor"], status="completed")
    assert initiative.progress == 100
    initiative = enter(roles["contributor"], status="ongoing", progress_override=70)
    assert initiative.progress == 70


def test_contributor_enters_only_for_own_partner_and_cannot_publish(roles):
    with pytest.raises(PermissionDenied):
        enter(roles["contributor"], partner="IOM")
    with pytest.raises(PermissionDenied):
        enter(roles["contributor"], classification=Classification.PUBLIC)
    assert enter(roles["contributor"]).classification == Classification.MEMBERS


def test_stale_edit_is_refused(roles):
    initiative = enter(roles["contributor"])
    change = InitiativeRecord(title={"en": "New title"})
    initiative_update(user=roles["focal"], initiative=initiative, record=change, version=1)
    with pytest.raises(Conflict):
        initiative_update(
            user=roles["contributor"],
            initiative=initiative,
            record=InitiativeRecord(title={"en": "Other"}),
            version=1,
        )
    assert Initiative.objects.get(pk=initiative.pk).title == {"en": "New title"}


def test_cycle_flow_draft_submit_verify_makes_public(roles):
    initiative = enter(roles["contributor"])
    cycle = open_cycle(roles)
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=initiative)
    with pytest.raises(PermissionDenied):
        entry_submit(user=roles["contributor"], entry=entry)
    with pytest.raises(PermissionDenied):
        entry_submit(user=roles["other_focal"], entry=entry)
    entry = entry_submit(user=roles["focal"], entry=entry)
    assert entry.state == EntryState.SUBMITTED
    with pytest.raises(PermissionDenied):
        entry_verify(user=roles["contributor"], entry=entry)
    with pytest.raises(PermissionDenied):
        entry_verify(user=roles["focal"], entry=entry)
    assert not Initiative.objects.visible_to(None).filter(pk=initiative.pk).exists()
    entry_verify(user=roles["secretariat"], entry=entry)
    assert Initiative.objects.visible_to(None).filter(pk=initiative.pk).exists()
    assert entry.history.count() >= 3  # every state it passed is kept


def test_return_needs_a_comment_and_goes_back_to_the_partner(roles):
    initiative = enter(roles["contributor"])
    cycle = open_cycle(roles)
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=initiative)
    entry = entry_submit(user=roles["focal"], entry=entry)
    with pytest.raises(Invalid):
        entry_return(user=roles["secretariat"], entry=entry, comment=" ")
    entry = entry_return(user=roles["secretariat"], entry=entry, comment="Add funding")
    assert (entry.state, entry.comment) == (EntryState.RETURNED, "Add funding")
    with pytest.raises(Invalid):
        entry_verify(user=roles["secretariat"], entry=entry)
    assert entry_submit(user=roles["focal"], entry=entry).state == EntryState.SUBMITTED


def test_new_cycle_starts_from_previous_and_cycles_compare(roles):
    initiative = enter(roles["contributor"], status="ongoing")
    first = open_cycle(roles, "2022")
    entry = entry_draft(user=roles["contributor"], cycle=first, initiative=initiative)
    entry_verify(
        user=roles["secretariat"],
        entry=entry_submit(user=roles["focal"], entry=entry),
    )
    second = open_cycle(roles, "2024", previous=first)
    carried = second.entries.get()
    assert (carried.initiative_id, carried.state) == (initiative.pk, EntryState.DRAFT)
    initiative_update(
        user=roles["focal"],
        initiative=initiative,
        record=InitiativeRecord(title={"en": "Return support"}, status="completed"),
        version=None,
    )
    entry_submit(user=roles["focal"], entry=carried)
    (row,) = selectors.cycle_compare(first, second)
    assert (row.before.state, row.after.state) == (EntryState.VERIFIED, EntryState.SUBMITTED)
    assert (row.before.progress, row.after.progress) == (50, 100)
    assert row.changed


def test_only_secretariat_opens_cycles(roles):
    with pytest.raises(PermissionDenied):
        cycle_open(
            user=roles["focal"],
            name="x",
            opens_on=dt.date(2024, 1, 1),
            closes_on=dt.date(2024, 2, 1),
        )


def test_entries_only_for_initiatives_of_the_instruments_in_scope(roles):
    from accord.commitments.models import Instrument

    cycle = cycle_open(
        user=roles["secretariat"],
        name="JVAP 2024",
        opens_on=dt.date(2024, 1, 1),
        closes_on=dt.date(2024, 3, 31),
        instruments=[Instrument.objects.get(code="JVAP")],
    )
    outside = enter(roles["contributor"], commitments=["SDG-10.7"])
    with pytest.raises(Invalid, match="JVAP"):
        entry_draft(user=roles["contributor"], cycle=cycle, initiative=outside)
    inside = enter(roles["contributor"], commitments=["JVAP-2"])
    assert entry_draft(user=roles["contributor"], cycle=cycle, initiative=inside).state == "draft"


def test_partner_cannot_hand_an_initiative_to_another_partner(roles):
    initiative = enter(roles["contributor"])
    with pytest.raises(PermissionDenied):
        initiative_update(
            user=roles["focal"],
            initiative=initiative,
            record=InitiativeRecord(title={"en": "x"}, partner="IOM"),
            version=None,
        )


def test_entries_wait_for_the_one_whose_step_is_next(roles):
    from django.utils import timezone

    today = timezone.localdate()
    cycle = cycle_open(
        user=roles["secretariat"],
        name="current",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=10),
    )
    entry = entry_draft(
        user=roles["contributor"], cycle=cycle, initiative=enter(roles["contributor"])
    )

    def waiting(role):
        return list(selectors.cycle_entries_waiting_for(user=roles[role]))

    assert waiting("focal") == [entry]
    assert waiting("secretariat") == []
    assert waiting("other_focal") == []
    entry_submit(user=roles["focal"], entry=entry)
    assert waiting("focal") == []
    assert waiting("secretariat") == [entry]
    assert waiting("member") == []

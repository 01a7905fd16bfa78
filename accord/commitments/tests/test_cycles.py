"""Reporting cycles: planned, opened, closed; carry-over; the lock on verified entries and
its recorded exceptions; completeness; the audit trail; the API and pages that drive them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accord.access.models import AuditEvent
from accord.commitments import completeness
from accord.commitments.cycles import (
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_set_deadline,
    cycle_start,
    entry_draft,
    entry_exception_record,
    entry_return,
    entry_submit,
    entry_verify,
)
from accord.commitments.initiatives import initiative_create
from accord.commitments.models import CycleStatus, EntryException, EntryState
from accord.commitments.records import InitiativeRecord
from accord.core.errors import Conflict, Invalid

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def enter(user, title="Return support", partner="DG HOME", commitments=("JVAP-5",)):
    record = InitiativeRecord(title={"en": title}, partner=partner, commitments=list(commitments))
    record.given.add("partner")
    return initiative_create(user=user, record=record)


def plan(roles, name="N", previous=None, closes_on=None):
    return cycle_create(
        user=roles["secretariat"],
        name=name,
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=closes_on or TODAY + dt.timedelta(days=30),
        previous=previous,
    )


def submitted(roles, cycle, initiative):
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=initiative)
    return entry_submit(user=roles["focal"], entry=entry)


def verbs():
    # The roles the fixtures give are in the log too; these tests read the cycle's events.
    events = AuditEvent.objects.exclude(verb__startswith="role.")
    return list(events.order_by("pk").values_list("verb", flat=True))


def test_a_cycle_is_planned_then_opened_then_closed(roles):
    cycle = plan(roles)
    assert cycle.status == CycleStatus.PLANNED
    initiative = enter(roles["contributor"])
    with pytest.raises(Invalid, match="planned"):
        entry_draft(user=roles["contributor"], cycle=cycle, initiative=initiative)
    with pytest.raises(PermissionDenied):
        cycle_start(user=roles["focal"], cycle=cycle)
    with pytest.raises(Conflict):
        cycle_start(user=roles["secretariat"], cycle=cycle, version=cycle.version + 1)
    cycle = cycle_start(user=roles["secretariat"], cycle=cycle)
    assert cycle.status == CycleStatus.OPEN
    assert cycle.opened_at is not None
    with pytest.raises(Invalid):
        cycle_start(user=roles["secretariat"], cycle=cycle)
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=initiative)
    with pytest.raises(PermissionDenied):
        cycle_close(user=roles["focal"], cycle=cycle)
    cycle = cycle_close(user=roles["secretariat"], cycle=cycle)
    assert cycle.status == CycleStatus.CLOSED
    with pytest.raises(Invalid, match="closed"):
        entry_submit(user=roles["focal"], entry=entry)
    assert verbs() == ["cycle.created", "cycle.opened", "entry.drafted", "cycle.closed"]


def test_opening_a_continuing_cycle_carries_over_every_entry_not_verified(roles):
    first = plan(roles, "N")
    first = cycle_start(user=roles["secretariat"], cycle=first)
    returned = submitted(roles, first, enter(roles["contributor"], "Returned one"))
    returned = entry_return(user=roles["secretariat"], entry=returned, comment="Add funding")
    draft = entry_draft(
        user=roles["contributor"], cycle=first, initiative=enter(roles["contributor"], "Draft")
    )
    verified = submitted(roles, first, enter(roles["contributor"], "Verified one"))
    verified = entry_verify(user=roles["secretariat"], entry=verified)
    second = plan(roles, "N+1", previous=first)
    assert second.entries.count() == 0  # nothing before it opens
    second = cycle_start(user=roles["secretariat"], cycle=second)
    carried = {e.initiative_id: e for e in second.entries.all()}
    assert len(carried) == 3
    back = carried[returned.initiative_id]
    assert (back.state, back.comment, back.carried_from_id) == (
        EntryState.RETURNED,
        "Add funding",
        returned.pk,
    )
    assert carried[draft.initiative_id].state == EntryState.DRAFT
    fresh = carried[verified.initiative_id]
    assert (fresh.state, fresh.comment) == (EntryState.DRAFT, "")
    # the returned entry is fixed and submitted in the new cycle
    assert entry_submit(user=roles["focal"], entry=back).state == EntryState.SUBMITTED
    opened = AuditEvent.objects.filter(verb="cycle.opened").order_by("pk").last()
    assert opened.data == {"previous": "N", "carried": 3}


def test_a_verified_entry_is_locked_and_changes_only_by_a_recorded_exception(roles):
    cycle = plan(roles)
    cycle = cycle_start(user=roles["secretariat"], cycle=cycle)
    entry = submitted(roles, cycle, enter(roles["contributor"]))
    entry = entry_verify(user=roles["secretariat"], entry=entry)
    with pytest.raises(Invalid, match="locked"):
        entry_submit(user=roles["focal"], entry=entry)
    with pytest.raises(Invalid, match="locked"):
        entry_return(user=roles["secretariat"], entry=entry, comment="again")
    with pytest.raises(Invalid):
        entry_draft(user=roles["contributor"], cycle=cycle, initiative=entry.initiative)
    with pytest.raises(PermissionDenied):
        entry_exception_record(
            user=roles["focal"], entry=entry, reason="typo", changes={"progress": 40}
        )
    with pytest.raises(Invalid, match="reason"):
        entry_exception_record(
            user=roles["secretariat"], entry=entry, reason=" ", changes={"progress": 40}
        )
    with pytest.raises(Invalid, match="state"):
        entry_exception_record(
            user=roles["secretariat"], entry=entry, reason="x", changes={"state": "draft"}
        )
    exception = entry_exception_record(
        user=roles["secretariat"],
        entry=entry,
        reason="The partner corrected its figure",
        changes={"progress": 40},
    )
    entry.refresh_from_db()
    assert (entry.state, entry.progress) == (EntryState.VERIFIED, 40)
    assert exception.before == {"progress": 0}
    assert exception.after == {"progress": 40}
    assert list(EntryException.objects.values_list("reason", flat=True)) == [
        "The partner corrected its figure"
    ]
    event = AuditEvent.objects.get(verb="entry.exception")
    assert event.data["reason"] == "The partner corrected its figure"
    assert event.actor_id == roles["secretariat"].pk
    assert {"entry.submitted", "entry.verified"} <= set(verbs())


def test_completeness_counts_expected_submitted_verified_and_late(roles):
    cycle = plan(roles)
    cycle = cycle_start(user=roles["secretariat"], cycle=cycle)
    home = submitted(roles, cycle, enter(roles["contributor"], "Home one"))
    entry_verify(user=roles["secretariat"], entry=home)
    enter(roles["contributor"], "Home two, not entered")
    enter(roles["secretariat"], "IOM one", partner="IOM")
    rows = {r.partner: r for r in completeness.cycle_completeness(cycle)}
    assert (rows["DG HOME"].expected, rows["DG HOME"].submitted, rows["DG HOME"].verified) == (
        2,
        1,
        1,
    )
    assert rows["DG HOME"].timeliness == completeness.IN_PROGRESS
    assert rows["IOM"].expected >= 1
    assert rows["IOM"].submitted == 0
    # the deadline passes: a partner that has not reported everything is late
    cycle = cycle_set_deadline(
        user=roles["secretariat"], cycle=cycle, closes_on=TODAY - dt.timedelta(days=1)
    )
    rows = {r.partner: r for r in completeness.cycle_completeness(cycle)}
    assert rows["IOM"].timeliness == completeness.LATE
    assert rows["DG HOME"].timeliness == completeness.LATE
    assert AuditEvent.objects.filter(verb="cycle.deadline").exists()


def test_an_entry_in_by_the_deadline_in_force_stays_on_time(roles):
    cycle = plan(roles)
    cycle = cycle_start(user=roles["secretariat"], cycle=cycle)
    entry = submitted(roles, cycle, enter(roles["contributor"]))
    assert entry.on_time is True
    cycle = cycle_set_deadline(
        user=roles["secretariat"], cycle=cycle, closes_on=TODAY - dt.timedelta(days=1)
    )
    rows = {r.partner: r for r in completeness.cycle_completeness(cycle)}
    assert rows["DG HOME"].timeliness == completeness.ON_TIME
    assert rows["IOM"].timeliness == completeness.LATE  # its reference initiative is missing
    late = entry_draft(
        user=roles["contributor"], cycle=cycle, initiative=enter(roles["contributor"], "Late")
    )
    assert entry_submit(user=roles["focal"], entry=late).on_time is False


def test_only_the_secretariat_plans_and_sets_deadlines(roles):
    with pytest.raises(PermissionDenied):
        plan({"secretariat": roles["focal"]})
    cycle = plan(roles)
    with pytest.raises(PermissionDenied):
        cycle_set_deadline(user=roles["contributor"], cycle=cycle, closes_on=TODAY)
    cycle = cycle_close(
        user=roles["secretariat"], cycle=cycle_start(user=roles["secretariat"], cycle=cycle)
    )
    with pytest.raises(Invalid, match="closed"):
        cycle_set_deadline(user=roles["secretariat"], cycle=cycle, closes_on=TODAY)


def test_cycle_open_still_plans_and_opens_at_once(roles):
    cycle = cycle_open(user=roles["secretariat"], name="now", opens_on=TODAY, closes_on=TODAY)
    assert cycle.status == CycleStatus.OPEN

"""The sample scenario: beside the real record, never in it, renewed without duplicates."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q

from accord.commitments.models import CycleEntry, CycleStatus, EntryState, Initiative
from accord.core.demo import demo_accounts_ensure
from accord.meetings.models import ActionPoint, ActionPointStatus, Meeting
from accord.meetings.selectors import with_ordinal
from accord.sample.marking import SAMPLE_MODELS, is_loaded, sample_counts
from accord.sample.real_activity import REAL_ACTIVITY_ID, real_activity_import
from accord.sample.scenario import sample_load, sample_reset

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _on_the_scenarios_day() -> Any:
    """The scenario is written for TODAY, and the services it calls read the clock (a
    cycle entry is on time when submitted by the cycle's deadline): the clock says TODAY."""
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=dt.UTC)):
        yield


def _real_som_series() -> list[tuple[str, dt.date]]:
    meetings = with_ordinal(Meeting.objects.filter(tier__code="som", is_sample=False))
    return [(m.key, m.date) for m in meetings.select_related("tier").order_by("date")]


def _all_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in SAMPLE_MODELS}


@pytest.fixture
def demo(reference: Any) -> dict[str, int]:
    demo_accounts_ensure()
    counts = sample_load(today=TODAY)
    assert counts is not None
    return counts


@pytest.mark.django_db
def test_load_reference_loads_no_sample_record(reference: Any) -> None:
    assert not is_loaded()
    assert all(count == 0 for count in sample_counts().values())
    series = _real_som_series()
    assert [key for key, _day in series] == [f"som-{n}" for n in range(1, 12)]


def test_the_scenario_keeps_the_real_series_and_adds_only_the_next_som(demo: Any) -> None:
    series = _real_som_series()
    assert [key for key, _day in series] == [f"som-{n}" for n in range(1, 12)]
    sample_soms = with_ordinal(Meeting.objects.filter(tier__code="som", is_sample=True))
    (upcoming,) = sample_soms.select_related("tier")
    assert upcoming.key == "som-12"
    assert upcoming.date > TODAY
    assert upcoming.date - TODAY < dt.timedelta(weeks=8)
    last_real = Meeting.objects.get(tier__code="som", date=series[-1][1])
    assert not last_real.is_sample
    assert last_real.agenda_items.filter(is_sample=True, parent__isnull=False).exists()
    assert last_real.minutes.filter(is_sample=True, status="approved").exists()
    assert last_real.decisions.filter(is_sample=True).count() == 3


def test_the_scenario_has_action_points_in_every_state(demo: Any) -> None:
    points = ActionPoint.objects.filter(is_sample=True)
    assert 25 <= points.count() <= 35
    assert set(points.values_list("status", flat=True)) == set(ActionPointStatus.values)
    overdue = points.filter(status__in=["open", "in_progress"], due_date__lt=TODAY).count()
    assert overdue >= 5
    assert points.filter(classification="public").exists()
    assert points.filter(updates__isnull=False).distinct().count() >= 15
    assert points.values("owners").distinct().count() >= 6


def test_the_open_cycle_has_entries_in_every_state_and_the_closed_one_a_late_partner(
    demo: Any,
) -> None:
    entries = CycleEntry.objects.filter(is_sample=True)
    open_states = set(
        entries.filter(cycle__status=CycleStatus.OPEN).values_list("state", flat=True)
    )
    assert open_states == set(EntryState.values)
    returned = entries.get(
        cycle__status=CycleStatus.OPEN,
        state=EntryState.RETURNED,
        initiative__partner__acronym="IOM",
    )
    assert returned.comment
    closed = entries.filter(cycle__status=CycleStatus.CLOSED)
    assert (
        closed.filter(on_time=False).values_list("initiative__partner__acronym", flat=True).get()
        == "EEAS"
    )


def test_reset_twice_leaves_the_same_counts(demo: Any) -> None:
    first = sample_reset(today=TODAY)
    totals = _all_counts()
    second = sample_reset(today=TODAY)
    assert first == second == demo
    assert _all_counts() == totals
    assert _real_som_series()[-1][0] == "som-11"


def test_loading_again_keeps_everything_as_it_is(demo: Any) -> None:
    totals = _all_counts()
    assert sample_load(today=TODAY + dt.timedelta(days=3)) is None
    assert _all_counts() == totals


def test_the_real_iom_activity_is_imported_once_and_is_not_sample(reference: Any) -> None:
    assert real_activity_import()
    assert real_activity_import() == ""
    activity = Initiative.objects.get(iati_identifier=REAL_ACTIVITY_ID)
    assert not activity.is_sample
    assert activity.partner is not None
    assert activity.partner.acronym == "IOM"


@pytest.mark.django_db
def test_accord_demo_reset_sample_twice_leaves_the_same_counts(tmp_path: Any) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "Sample scenario loaded" in out.getvalue()
    assert "secretariat" in out.getvalue()
    # Each kind under its own plural, not its name with an "s" added.
    assert "1 calls for contributions," in out.getvalue()
    call_command("demo", "--no-serve", stdout=(again := io.StringIO()))
    assert "already loaded" in again.getvalue()
    totals = _all_counts()
    call_command("demo", "--no-serve", "--reset-sample", stdout=io.StringIO())
    call_command("demo", "--no-serve", "--reset-sample", stdout=io.StringIO())
    assert _all_counts() == totals
    assert (
        not Meeting.objects.filter(Q(is_sample=True) & Q(tier__code="som"))
        .filter(date__lt="2026-01-01")
        .exists()
    )


def test_the_briefing_pack_and_the_pages_badge_the_sample_records(demo: Any, client: Any) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model()._default_manager.get(username="member"))
    briefing = client.get("/meetings/som-12/briefing.html")
    assert briefing.status_code == 200
    assert b"badge--sample" in briefing.content
    real = client.get("/meetings/som-10/")
    assert b"badge--sample" not in real.content


def test_exports_mark_the_sample_records(demo: Any) -> None:
    from django.contrib.auth import get_user_model

    from accord.meetings.decisions import decision_rows
    from accord.reports.exports import action_point_rows, meeting_rows

    secretariat = get_user_model()._default_manager.get(username="secretariat")
    for rows_of in (meeting_rows, action_point_rows, decision_rows):
        columns, rows = rows_of(secretariat, {})
        marked = [row[columns.index("sample")] for row in rows]
        assert "sample" in marked, rows_of.__name__
    columns, rows = meeting_rows(secretariat, {})
    by_key = {row[columns.index("key")]: row[columns.index("sample")] for row in rows}
    assert by_key["som-12"] == "sample"
    assert by_key["som-11"] == ""  # the real last SOM, even with sample content on it


def test_the_scenario_runs_a_silence_procedure_and_a_half_answered_call(demo: Any) -> None:
    from accord.meetings.call_models import ContributionCall
    from accord.meetings.procedure_models import Procedure

    (procedure,) = Procedure.objects.filter(is_sample=True)
    assert (procedure.kind, procedure.state) == ("silence", "open")
    assert procedure.closes > TODAY
    (call,) = ContributionCall.objects.filter(is_sample=True)
    assert call.meeting.key == "som-12"
    assert call.contributions.count() == 1
    assert call.partners.count() == 2

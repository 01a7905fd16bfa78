"""The sample follow-up scenario of ``accord demo``: one function per part.

Loaded once, beside the reference record, with dates counted from the day it is loaded;
``accord demo --reset-sample`` deletes the sample records and loads them again. Each part
writes through the services as the role that would (the secretariat, a partner's focal
point), so the scenario obeys the rules users do. A feature that arrives adds its part
to :data:`PARTS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accord.core.readers import Actor
from accord.sample import between_part, follow_up_part, meetings_part
from accord.sample.marking import is_loaded, sample_counts, sample_delete


@dataclass
class Scenario:
    """What the parts share while the scenario loads."""

    today: dt.date
    secretariat: Actor
    meetings: meetings_part.SampleMeetings | None = None
    initiatives: dict[str, Any] = field(default_factory=dict)


def _meetings(scenario: Scenario) -> meetings_part.SampleMeetings:
    if scenario.meetings is None:
        raise RuntimeError("The meetings part of the scenario runs first.")
    return scenario.meetings


def part_meetings(scenario: Scenario) -> None:
    by, today = scenario.secretariat, scenario.today
    last = meetings_part.last_real_som()
    items = meetings_part.held_som_content(meeting=last, by=by)
    heads, expert = meetings_part.other_meetings(today=today, by=by)
    upcoming = meetings_part.next_som(last=last, today=today, by=by)
    scenario.meetings = meetings_part.SampleMeetings(
        last_som=last, next_som=upcoming, heads_of_unit=heads, expert=expert, items=items
    )


def part_documents(scenario: Scenario) -> None:
    meetings_part.documents(meetings=_meetings(scenario), by=scenario.secretariat)


def part_action_points(scenario: Scenario) -> None:
    follow_up_part.action_points(
        meetings=_meetings(scenario), today=scenario.today, by=scenario.secretariat
    )


def part_initiatives(scenario: Scenario) -> None:
    scenario.initiatives = follow_up_part.initiatives(by=scenario.secretariat)


def part_cycles(scenario: Scenario) -> None:
    follow_up_part.reporting_cycles(
        found=scenario.initiatives, today=scenario.today, by=scenario.secretariat
    )


def part_targets(scenario: Scenario) -> None:
    follow_up_part.indicator_targets(today=scenario.today, by=scenario.secretariat)


def part_press_release(scenario: Scenario) -> None:
    follow_up_part.press_release(meeting=_meetings(scenario).last_som, by=scenario.secretariat)


def part_between_meetings(scenario: Scenario) -> None:
    between_part.silence_procedure(today=scenario.today, by=scenario.secretariat)
    between_part.call_for_contributions(
        meeting=_meetings(scenario).next_som, today=scenario.today, by=scenario.secretariat
    )


QUIET_MAIL = "django.core.mail.backends.locmem.EmailBackend"

# In order: a part may use what the parts before it made.
PARTS: list[Callable[[Scenario], None]] = [
    part_meetings,
    part_documents,
    part_action_points,
    part_initiatives,
    part_cycles,
    part_targets,
    part_press_release,
    part_between_meetings,
]


def sample_load(*, today: dt.date | None = None) -> dict[str, int] | None:
    """Load the scenario unless it is loaded already (None then); the sample counts.

    The demo accounts must exist: the parts act as them. Mail the services send (the
    invitations) goes nowhere: the sample's addresses are not real.
    """
    if is_loaded():
        return None
    secretariat = get_user_model()._default_manager.get(username="secretariat")
    scenario = Scenario(today=today or timezone.localdate(), secretariat=secretariat)
    with (
        override_settings(EMAIL_BACKEND=QUIET_MAIL),
        transaction.atomic(),
    ):
        for part in PARTS:
            part(scenario)
    return sample_counts()


def sample_reset(*, today: dt.date | None = None) -> dict[str, int]:
    """Delete the sample records and load them again, dated from ``today``."""
    with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
        sample_delete()
        counts = sample_load(today=today)
    return counts or {}

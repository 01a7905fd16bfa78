"""Fixtures for the reports tests: the reference record, readers by role, and members-only
records attached to the 3rd and 2nd Senior Officials Meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from accord.core.models import Classification
from accord.meetings.models import ActionPointStatus, AgendaItem, Document, DocumentKind
from accord.meetings.selectors import meeting_get
from accord.meetings.tests.factories import ActionPointFactory

MEMBERS_ONLY = "Members-only note on readmission talks"
PUBLIC_ACTION = "Publish the joint statement on legal pathways"


@pytest.fixture
def secretariat(make_user: Any, reference: None) -> Any:
    return make_user("sec", ("IOM-RO-BRU", "secretariat"))


@pytest.fixture
def member(make_user: Any, reference: None) -> Any:
    return make_user("eeas-member", ("EEAS", "member"))


@dataclass
class Record:
    som3: Any
    som2: Any


@pytest.fixture
def record(reference: None) -> Record:
    """SOM-3 with an agenda, a public and a members-only document; SOM-2 with a public
    action point (overdue) and a members-only one, and one done."""
    som3 = meeting_get(user=None, key="som-3")
    som2 = meeting_get(user=None, key="som-2")
    AgendaItem.objects.create(meeting=som3, position=1, title="Opening and adoption of the agenda")
    AgendaItem.objects.create(meeting=som3, position=2, title="Follow-up of the Valletta Summit")
    Document.objects.create(
        meeting=som3,
        title="Annotated agenda",
        kind=DocumentKind.AGENDA,
        classification=Classification.PUBLIC,
    )
    Document.objects.create(
        meeting=som3,
        title=MEMBERS_ONLY,
        kind=DocumentKind.BACKGROUND_NOTE,
        classification=Classification.MEMBERS,
    )
    ActionPointFactory(
        meeting=som2,
        text=PUBLIC_ACTION,
        due_date=dt.date(2015, 1, 31),
        status=ActionPointStatus.OPEN,
    )
    ActionPointFactory(
        meeting=som2,
        text="Share the return statistics",
        due_date=dt.date(2099, 1, 31),
        status=ActionPointStatus.DONE,
    )
    ActionPointFactory(
        meeting=som2,
        text=f"{MEMBERS_ONLY} (action)",
        classification=Classification.MEMBERS,
        due_date=dt.date(2015, 6, 30),
    )
    return Record(som3=som3, som2=som2)

"""The sample scenario between meetings: a silence procedure running, a call for
contributions to the next SOM half answered, and the notifications they give waiting in
the outbox once the worker has run."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from accord.core.models import Classification
from accord.core.readers import Actor
from accord.meetings.call_models import CallAsks
from accord.meetings.calls import call_open, contribution_submit
from accord.meetings.models import Meeting
from accord.meetings.procedures import procedure_answer, procedure_open
from accord.partners.models import Organisation
from accord.sample.marking import mark


def _account(username: str) -> Actor:
    return get_user_model()._default_manager.get(username=username)


def silence_procedure(*, today: dt.date, by: Actor) -> None:
    """A silence procedure on a draft decision, open for ten more days, IOM agreed."""
    procedure = procedure_open(
        kind="silence",
        text=(
            "SAMPLE: the framework endorses the terms of reference of the expert group on "
            "migration data, as circulated."
        ),
        closes=today + dt.timedelta(days=10),
        classification=Classification.MEMBERS,
        by=by,
        today=today,
    )
    mark(procedure)
    procedure_answer(procedure=procedure, answer="agree", by=_account("iom-focal"))


def call_for_contributions(*, meeting: Meeting, today: dt.date, by: Actor) -> None:
    """A call for the next SOM's briefing pack: IOM has sent its note, DG HOME has not."""
    partners = list(Organisation.objects.filter(acronym__in=["IOM", "DG HOME"]))
    call = call_open(
        meeting=meeting,
        message="SAMPLE: send your background note and agenda requests for the briefing pack.",
        due=today + dt.timedelta(days=14),
        asks=CallAsks.BOTH,
        partners=partners,
        by=by,
        today=today,
    )
    mark(call)
    contribution = contribution_submit(
        call=call,
        title="IOM background note on reintegration (sample)",
        upload=ContentFile(
            b"SAMPLE DOCUMENT: not part of the record.\n\nReintegration: what changed.\n",
            name="iom-background-note.txt",
        ),
        classification=Classification.MEMBERS,
        by=_account("iom-focal"),
    )
    mark(contribution.document)

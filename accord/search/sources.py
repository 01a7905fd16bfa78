"""What each kind of record puts in the index, and which of its records a reader may see.

Each :class:`Source` says, for one model, the entries a record makes (:func:`Source.entries`)
and the records a reader may read (:func:`Source.visible`), the latter always through the
selectors and ``visible_to`` the record's own pages use: search keeps no rule of its own.
Records that live in a meeting (agenda items, minutes, decisions, action points,
documents) are read only when their meeting is, as on the meeting's page.

The entry and source records are in :mod:`accord.search.entry`; each group of kinds says
what it indexes in its own module (:mod:`accord.search.meeting_sources`,
:mod:`accord.search.commitment_sources`, :mod:`accord.search.partner_sources`,
:mod:`accord.search.press_sources`). This module lists the sources and keeps their names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

from accord.commitments.models import Commitment, Initiative
from accord.evidence.models import Indicator
from accord.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
)
from accord.partners.models import Organisation, Person
from accord.search.commitment_sources import (
    _commitment_entries,
    _indicator_entries,
    _initiative_entries,
)
from accord.search.entry import MAX_BODY, Entry, Source
from accord.search.meeting_sources import (
    _action_entries,
    _agenda_entries,
    _agenda_visible,
    _decision_entries,
    _decisions_visible,
    _document_entries,
    _in_visible_meeting,
    _meeting_entries,
    _meetings_visible,
    _minutes_entries,
    _minutes_visible,
)
from accord.search.models import Kind
from accord.search.partner_sources import _partner_entries, _person_entries
from accord.search.press_sources import _press_entries, _press_model, _press_visible

__all__ = ["MAX_BODY", "SOURCES", "Entry", "Source", "batches", "source_of"]


SOURCES: dict[str, Source] = {
    source.kind: source
    for source in [
        Source(
            Kind.MEETING,
            lambda: Meeting,
            _meetings_visible,
            lambda: (
                Meeting.objects.with_ordinal()
                .select_related("tier", "host")
                .prefetch_related("topics")
            ),
            _meeting_entries,
        ),
        Source(
            Kind.AGENDA_ITEM,
            lambda: AgendaItem,
            _agenda_visible,
            lambda: AgendaItem.objects.select_related("meeting").prefetch_related("topics"),
            _agenda_entries,
        ),
        Source(
            Kind.MINUTES,
            lambda: Minutes,
            _minutes_visible,
            lambda: Minutes.objects.select_related("agenda_item").prefetch_related(
                Prefetch(
                    "meeting",
                    queryset=Meeting.objects.with_ordinal().select_related("tier"),
                )
            ),
            _minutes_entries,
        ),
        Source(
            Kind.DECISION,
            lambda: Decision,
            lambda user: _decisions_visible(user),
            lambda: Decision.objects.select_related("meeting", "procedure").prefetch_related(
                "commitment_links"
            ),
            _decision_entries,
        ),
        Source(
            Kind.ACTION_POINT,
            lambda: ActionPoint,
            lambda user: _in_visible_meeting(ActionPoint.objects.visible_to(user), user),
            lambda: ActionPoint.objects.select_related("meeting").prefetch_related(
                "owners", "updates"
            ),
            _action_entries,
        ),
        Source(
            Kind.DOCUMENT,
            lambda: Document,
            lambda user: _in_visible_meeting(Document.objects.visible_to(user), user),
            lambda: Document.objects.select_related("meeting__host").prefetch_related(
                Prefetch("versions", queryset=DocumentVersion.objects.only("pk", "number"))
            ),
            _document_entries,
        ),
        Source(
            Kind.COMMITMENT,
            lambda: Commitment,
            lambda user: Commitment.objects.all(),
            lambda: Commitment.objects.select_related("instrument"),
            _commitment_entries,
        ),
        Source(
            Kind.INITIATIVE,
            lambda: Initiative,
            lambda user: Initiative.objects.visible_to(user),
            lambda: Initiative.objects.select_related("partner").prefetch_related(
                "implementers", "commitments__instrument"
            ),
            _initiative_entries,
        ),
        Source(
            Kind.INDICATOR,
            lambda: Indicator,
            lambda user: Indicator.objects.visible_to(user),
            lambda: Indicator.objects.select_related("organisation").prefetch_related(
                "commitment_links"
            ),
            _indicator_entries,
        ),
        Source(
            Kind.PARTNER,
            lambda: Organisation,
            lambda user: Organisation.objects.all(),
            lambda: Organisation.objects.prefetch_related("names"),
            _partner_entries,
        ),
        Source(
            Kind.PERSON,
            lambda: Person,
            lambda user: Person.objects.visible_to(user),
            lambda: Person.objects.prefetch_related("roles__organisation"),
            _person_entries,
        ),
        Source(
            Kind.PRESS_RELEASE,
            _press_model,
            _press_visible,
            lambda: _press_model()._default_manager.select_related("meeting"),
            _press_entries,
        ),
    ]
}


def source_of(model: type[Model]) -> Source | None:
    for source in SOURCES.values():
        if source.model() is model:
            return source
    return None


def batches(queryset: QuerySet, size: int = 2000) -> Iterator[list[Any]]:
    """The records of ``queryset`` in batches by primary key, with their prefetches."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk

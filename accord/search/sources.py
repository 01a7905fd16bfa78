"""What each kind of record puts in the index, and which of its records a reader may see.

Each :class:`Source` says, for one model, the entries a record makes (:func:`Source.entries`)
and the records a reader may read (:func:`Source.visible`), the latter always through the
selectors and ``visible_to`` the record's own pages use: search keeps no rule of its own.
Records that live in a meeting (agenda items, minutes, decisions, action points,
documents) are read only when their meeting is, as on the meeting's page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import translation

from accord.commitments.models import Commitment, Initiative
from accord.commitments.texts import localized
from accord.evidence.models import Indicator
from accord.meetings.minutes_text import paragraphs
from accord.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
)
from accord.meetings.permissions import can_read_draft_agenda
from accord.meetings.selectors import minutes_statuses_for
from accord.partners.models import Organisation, Person
from accord.search.models import DocumentText, Kind
from accord.search.text import joined

if TYPE_CHECKING:
    from accord.core.readers import Actor

#: Characters of a record's text kept for its snippet and its words (a long document's
#: first part): an index entry stays a bounded size.
MAX_BODY = 100_000


@dataclass
class Entry:
    """One row of the index, before it is written."""

    kind: str
    object_id: int
    title: str
    body: str = ""
    url: str = ""
    meeting_id: int | None = None
    anchor: str = ""
    date: dt.date | None = None
    partners: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    kind: str
    model: Callable[[], type[Model]]
    #: The records of this kind a reader may read (a queryset of the model).
    visible: Callable[[Actor], QuerySet]
    #: The records to index, with what ``entries`` reads of them fetched at once.
    indexed: Callable[[], QuerySet]
    entries: Callable[[Any], list[Entry]]


def _meetings_visible(user: Actor) -> QuerySet:
    return Meeting.objects.visible_to(user)


def _in_visible_meeting(queryset: QuerySet, user: Actor) -> QuerySet:
    meetings = _meetings_visible(user)
    if not meetings.query.where:  # every meeting (the secretariat)
        return queryset
    return queryset.filter(meeting__in=meetings.values("pk"))


def _decisions_visible(user: Actor) -> QuerySet:
    """A meeting's decisions as its meeting allows; a procedure's by their own
    classification."""
    decisions = Decision.objects.visible_to(user)
    meetings = _meetings_visible(user)
    if not meetings.query.where:
        return decisions
    return decisions.filter(Q(meeting__in=meetings.values("pk")) | Q(meeting__isnull=True))


def _clip(text: str) -> str:
    return text[:MAX_BODY]


def _date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# --- meetings and what is in them -------------------------------------------------------


def _meeting_title(meeting: Meeting) -> str:
    with translation.override("en"):
        return meeting.display_name


def _meeting_entries(meeting: Meeting) -> list[Entry]:
    host = meeting.host
    return [
        Entry(
            Kind.MEETING,
            meeting.pk,
            title=_meeting_title(meeting),
            body=_clip(
                joined(
                    [
                        meeting.title_fr,
                        meeting.summary,
                        meeting.city,
                        meeting.city_fr,
                        meeting.tier.name,
                        host.name if host else "",
                        *(t.name for t in meeting.topics.all()),
                    ]
                )
            ),
            meeting_id=meeting.pk,
            date=meeting.date,
            partners=[host.acronym] if host else [],
        )
    ]


def _agenda_visible(user: Actor) -> QuerySet:
    items = _in_visible_meeting(AgendaItem.objects.all(), user)
    # A draft agenda is read by whoever reads draft agendas (the meeting page's rule).
    if can_read_draft_agenda(user, Meeting(agenda_published_at=None)):
        return items
    return items.filter(meeting__agenda_published_at__isnull=False)


def _agenda_entries(item: AgendaItem) -> list[Entry]:
    return [
        Entry(
            Kind.AGENDA_ITEM,
            item.pk,
            title=item.title,
            body=_clip(joined([item.description, *(t.name for t in item.topics.all())])),
            meeting_id=item.meeting_id,
            anchor=f"agenda-item-{item.pk}",
            date=item.meeting.date,
        )
    ]


def _minutes_visible(user: Actor) -> QuerySet:
    return _in_visible_meeting(Minutes.objects.all(), user).filter(
        status__in=minutes_statuses_for(user)
    )


def _minutes_entries(minutes: Minutes) -> list[Entry]:
    """One entry per paragraph, opening the minutes at it."""
    with translation.override("en"):
        title = f"Minutes of {minutes.meeting.display_name}"
    if minutes.agenda_item_id:
        title += f": {minutes.agenda_item.title}"  # type: ignore[union-attr]
    found = []
    size = 0
    for paragraph in paragraphs(minutes.body):
        size += len(paragraph.source)
        if size > MAX_BODY:
            break
        found.append(
            Entry(
                Kind.MINUTES,
                minutes.pk,
                title=title,
                body=paragraph.source,
                meeting_id=minutes.meeting_id,
                anchor=paragraph.anchor,
                date=minutes.meeting.date,
            )
        )
    return found


def _instruments_of(codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    if not wanted:
        return []
    return sorted(
        set(Commitment.objects.filter(code__in=wanted).values_list("instrument__code", flat=True))
    )


def _decision_entries(decision: Decision) -> list[Entry]:
    codes = [link.commitment_code for link in decision.commitment_links.all()]
    return [
        Entry(
            Kind.DECISION,
            decision.pk,
            title=decision.text[:200],
            body=_clip(joined([decision.text, *codes])),
            # A procedure's outcome has no meeting: its own page.
            url=""
            if decision.meeting_id
            else reverse("procedure-detail", args=[decision.procedure_id]),
            meeting_id=decision.meeting_id,
            anchor=f"decision-{decision.pk}" if decision.meeting_id else "",
            date=decision.meeting.date
            if decision.meeting is not None
            else (decision.procedure.closed_on if decision.procedure is not None else None),
            instruments=_instruments_of(codes),
        )
    ]


def _action_entries(action: ActionPoint) -> list[Entry]:
    """The action and the progress written on it since."""
    return [
        Entry(
            Kind.ACTION_POINT,
            action.pk,
            title=action.text[:200],
            body=_clip(joined([action.text, *(u.text for u in action.updates.all())])),
            meeting_id=action.meeting_id,
            anchor=f"action-point-{action.pk}",
            date=action.due_date or action.meeting.date,
            partners=sorted(o.acronym for o in action.owners.all()),
        )
    ]


def _latest_text(document: Document) -> str:
    versions = sorted(document.versions.all(), key=lambda v: v.number)
    if not versions:
        return ""
    text = DocumentText.objects.filter(version=versions[-1]).values_list("text", flat=True)
    return next(iter(text), "")


def _document_entries(document: Document) -> list[Entry]:
    return [
        Entry(
            Kind.DOCUMENT,
            document.pk,
            title=document.title,
            body=_clip(_latest_text(document)),
            meeting_id=document.meeting_id,
            anchor=f"document-{document.pk}",
            date=document.meeting.date,
            partners=[document.meeting.host.acronym] if document.meeting.host else [],
        )
    ]


# --- commitments, initiatives, indicators -----------------------------------------------


def _texts(values: dict[str, str] | None) -> list[str]:
    return [text for text in (values or {}).values() if text]


def _commitment_entries(commitment: Commitment) -> list[Entry]:
    with translation.override("en"):
        title = localized(commitment.title)
    return [
        Entry(
            Kind.COMMITMENT,
            commitment.pk,
            title=f"{commitment.code} {title}".strip(),
            body=_clip(joined([*_texts(commitment.title), *_texts(commitment.description)])),
            url=reverse("commitment-detail", args=[commitment.code]),
            date=commitment.target_date,
            instruments=[commitment.instrument.code],
        )
    ]


def _initiative_entries(initiative: Initiative) -> list[Entry]:
    with translation.override("en"):
        title = localized(initiative.title) or f"Initiative {initiative.pk}"
    partners = {o.acronym for o in initiative.implementers.all()}
    if initiative.partner is not None:
        partners.add(initiative.partner.acronym)
    return [
        Entry(
            Kind.INITIATIVE,
            initiative.pk,
            title=title,
            body=_clip(
                joined(
                    [
                        *_texts(initiative.title),
                        *_texts(initiative.description),
                        initiative.iati_identifier,
                    ]
                )
            ),
            url=reverse("initiative-detail", args=[initiative.pk]),
            date=initiative.start_on,
            partners=sorted(partners),
            instruments=sorted({c.instrument.code for c in initiative.commitments.all()}),
        )
    ]


def _indicator_entries(indicator: Indicator) -> list[Entry]:
    codes = [link.commitment_code for link in indicator.commitment_links.all()]
    return [
        Entry(
            Kind.INDICATOR,
            indicator.pk,
            title=f"{indicator.code}: {indicator.name}",
            body=_clip(
                joined(
                    [
                        indicator.definition,
                        indicator.unit,
                        indicator.source_organisation,
                        indicator.sdg_code,
                    ]
                )
            ),
            url=reverse("indicator-detail", args=[indicator.code]),
            partners=[indicator.organisation.acronym] if indicator.organisation else [],
            instruments=_instruments_of(codes),
        )
    ]


# --- partners, people, press releases ---------------------------------------------------


def _partner_entries(organisation: Organisation) -> list[Entry]:
    return [
        Entry(
            Kind.PARTNER,
            organisation.pk,
            title=f"{organisation.acronym}: {organisation.name}",
            body=joined(
                [f"{n.acronym} {n.name}" for n in organisation.names.all()]
                + [organisation.iati_identifier]
            ),
            url=reverse("partner-detail", args=[organisation.acronym]),
            date=organisation.opened_on,
            partners=[organisation.acronym],
        )
    ]


def _person_entries(person: Person) -> list[Entry]:
    roles = sorted(person.roles.all(), key=lambda r: (r.as_of or dt.date.min, r.pk))
    url = ""
    if roles:
        url = reverse("partner-detail", args=[roles[-1].organisation.acronym]) + "#people-title"
    return [
        Entry(
            Kind.PERSON,
            person.pk,
            title=person.full_name,
            body=joined(f"{r.title} {r.organisation.acronym} {r.organisation.name}" for r in roles),
            url=url,
            partners=sorted({r.organisation.acronym for r in roles}),
        )
    ]


def _press_model() -> type[Model]:
    return apps.get_model("reports", "PressRelease")


def _press_visible(user: Actor) -> QuerySet:
    # Reports and search share a layer and do not import each other's modules; the
    # press pages' reading rule is reached through the reports app's selectors.
    from accord.reports.selectors import readable_press_releases

    return readable_press_releases(user)


def _press_entries(release: Any) -> list[Entry]:
    if release.is_published:
        url = reverse("press-detail", args=[release.slug])
    else:
        url = reverse("press-release-edit", args=[release.pk])
    return [
        Entry(
            Kind.PRESS_RELEASE,
            release.pk,
            title=release.title,
            body=_clip(release.body),
            url=url,
            meeting_id=None,
            date=_date(release.published_at) or (release.meeting.date if release.meeting else None),
        )
    ]


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

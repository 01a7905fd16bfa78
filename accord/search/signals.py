"""The index follows every write: each indexed model's saves and deletions (and those of
the records whose text or facets an entry holds) replace the entries concerned, in the
same transaction as the write.

Fixture loading (``raw``) writes records in an order of its own: ``accord search
reindex`` rebuilds the index after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from accord.core.signals import records_written
from accord.search.extract import extract_text
from accord.search.indexing import append_to_body, index_record, index_records, remove_record
from accord.search.models import DocumentText, Kind
from accord.search.sources import SOURCES, source_of

#: A model whose change touches entries of another kind: which records to re-index.
Dependants = Callable[[Any], Iterable[tuple[str, int]]]

UID = "accord.search"


def _own(kind: str) -> Callable[..., None]:
    def saved(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:
            index_record(SOURCES[kind], instance.pk)

    return saved


def _gone(kind: str) -> Callable[..., None]:
    def deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
        remove_record(kind, instance.pk)

    return deleted


def _related(dependants: Dependants) -> Callable[..., None]:
    def changed(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        for kind, pk in dependants(instance):
            if pk is not None:
                index_record(SOURCES[kind], pk)

    return changed


def _m2m(kind: str) -> Callable[..., None]:
    def changed(sender: type[Model], instance: Any, action: str, **kwargs: Any) -> None:
        if action in {"post_add", "post_remove", "post_clear"}:
            source = SOURCES[kind]
            if isinstance(instance, source.model()):
                index_record(source, instance.pk)
            else:  # changed from the other side: the records named by pk_set
                index_records(source, kwargs.get("pk_set") or [])

    return changed


def _progress_saved(
    sender: type[Model], instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """New progress dated last (the usual case) is added to its action point's entry, the
    way a rewrite would place it (updates in order of date, then of recording); any
    other change to the progress rewrites the entry."""
    if raw:
        return
    source = SOURCES[Kind.ACTION_POINT]
    if not created:
        index_record(source, instance.action_point_id)
        return
    # One statement: the entry is extended unless later-dated progress is recorded
    # (then the new text belongs before it, and the entry is rewritten).
    append_to_body(
        source,
        instance.action_point_id,
        instance.text,
        unless_later=(sender, "action_point", "on", instance.on),
    )


def _progress_deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    index_record(SOURCES[Kind.ACTION_POINT], instance.action_point_id)


def _meeting_contents(meeting: Any) -> Iterable[tuple[str, int]]:
    """A meeting's title and date are shown with (and dated on) what it holds."""
    yield from ((Kind.AGENDA_ITEM, pk) for pk in meeting.agenda_items.values_list("pk", flat=True))
    yield from ((Kind.MINUTES, pk) for pk in meeting.minutes.values_list("pk", flat=True))
    yield from ((Kind.DECISION, pk) for pk in meeting.decisions.values_list("pk", flat=True))
    yield from (
        (Kind.ACTION_POINT, pk) for pk in meeting.action_points.values_list("pk", flat=True)
    )
    yield from ((Kind.DOCUMENT, pk) for pk in meeting.documents.values_list("pk", flat=True))


DEPENDANTS: list[tuple[str, Dependants]] = [
    ("meetings.Meeting", _meeting_contents),
    ("meetings.DocumentVersion", lambda v: [(Kind.DOCUMENT, v.document_id)]),
    ("meetings.DecisionCommitment", lambda link: [(Kind.DECISION, link.decision_id)]),
    ("commitments.InitiativeCommitment", lambda link: [(Kind.INITIATIVE, link.initiative_id)]),
    ("evidence.CommitmentIndicator", lambda link: [(Kind.INDICATOR, link.indicator_id)]),
    ("partners.OrganisationName", lambda name: [(Kind.PARTNER, name.organisation_id)]),
    ("partners.PersonRole", lambda role: [(Kind.PERSON, role.person_id)]),
]

MANY_TO_MANY: list[tuple[str, str, str]] = [
    ("meetings.Meeting", "topics", Kind.MEETING),
    ("meetings.AgendaItem", "topics", Kind.AGENDA_ITEM),
    ("meetings.ActionPoint", "owners", Kind.ACTION_POINT),
    ("commitments.Initiative", "implementers", Kind.INITIATIVE),
]


def _read_document(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """An uploaded version's text, read once and kept for the index."""
    if raw:
        return
    with instance.file.open("rb") as stream:
        found = extract_text(stream, instance.original_name)
    DocumentText.objects.update_or_create(
        version=instance, defaults={"text": found.text, "note": found.note}
    )


def _written(sender: type[Model], pks: Iterable[int], **kwargs: Any) -> None:
    """Records written in bulk (no ``post_save``): their entries replaced."""
    source = source_of(sender)
    if source is not None:
        index_records(source, pks)


def connect() -> None:
    records_written.connect(_written, weak=False, dispatch_uid=f"{UID}.written")
    # Before the version's document is re-indexed (handlers run in this order).
    post_save.connect(
        _read_document,
        sender=apps.get_model("meetings.DocumentVersion"),
        weak=False,
        dispatch_uid=f"{UID}.document_text",
    )
    for kind, source in SOURCES.items():
        model = source.model()
        post_save.connect(_own(kind), sender=model, weak=False, dispatch_uid=f"{UID}.save.{kind}")
        post_delete.connect(
            _gone(kind), sender=model, weak=False, dispatch_uid=f"{UID}.delete.{kind}"
        )
    for label, dependants in DEPENDANTS:
        model = apps.get_model(label)
        handler = _related(dependants)
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{UID}.dep.{label}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{UID}.depd.{label}")
    progress = apps.get_model("meetings.ActionPointUpdate")
    post_save.connect(
        _progress_saved, sender=progress, weak=False, dispatch_uid=f"{UID}.progress.save"
    )
    post_delete.connect(
        _progress_deleted, sender=progress, weak=False, dispatch_uid=f"{UID}.progress.delete"
    )
    for label, name, kind in MANY_TO_MANY:
        through = apps.get_model(label)._meta.get_field(name).remote_field.through
        m2m_changed.connect(
            _m2m(kind), sender=through, weak=False, dispatch_uid=f"{UID}.m2m.{label}.{name}"
        )

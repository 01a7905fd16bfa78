"""Writing the index: one record's entries replaced when it changes, removed when it goes,
and the whole index rebuilt (``accord search reindex``).

Called from the signals of every indexed model (see :mod:`accord.search.signals`), so an
entry is written in the transaction of the write that changed its record: a rolled-back
edit leaves the index as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model

from accord.search.entry import MAX_BODY
from accord.search.models import Facet, SearchEntry, SearchTag
from accord.search.sources import SOURCES, Entry, Source, batches
from accord.search.text import stems


def _rows(entries: Iterable[Entry]) -> list[tuple[SearchEntry, Entry]]:
    return [
        (
            SearchEntry(
                kind=entry.kind,
                object_id=entry.object_id,
                meeting_id=entry.meeting_id,
                anchor=entry.anchor,
                url=entry.url,
                title=entry.title[:400],
                body=entry.body,
                date=entry.date,
                year=entry.date.year if entry.date else None,
                stems_title=stems(entry.title),
                stems_body=stems(entry.body),
            ),
            entry,
        )
        for entry in entries
    ]


def _write(entries: Iterable[Entry]) -> int:
    rows = _rows(entries)
    created = SearchEntry.objects.bulk_create([row for row, _entry in rows], batch_size=500)
    tags = [
        SearchTag(entry=row, facet=facet, value=value[:64])
        for row, entry in zip(created, (entry for _row, entry in rows), strict=True)
        for facet, values in (
            (Facet.PARTNER, entry.partners),
            (Facet.INSTRUMENT, entry.instruments),
        )
        for value in values
    ]
    SearchTag.objects.bulk_create(tags, batch_size=1000)
    return len(created)


def _remove(entries: Any) -> None:
    # Tags first, then entries, each in one statement (no rows read back to Python).
    SearchTag.objects.filter(entry__in=entries.values("pk")).delete()
    entries._raw_delete(entries.db)


def remove_record(kind: str, pk: int) -> None:
    _remove(SearchEntry.objects.filter(kind=kind, object_id=pk))


def index_record(source: Source, pk: int) -> None:
    """Replace the entries of one record (or remove them when it is gone)."""
    with transaction.atomic():
        remove_record(source.kind, pk)
        record = source.indexed().filter(pk=pk).first()
        if record is not None:
            _write(source.entries(record))


@functools.cache
def _append_statement(alias: str, later: tuple[type[Model], str, str] | None) -> str:
    """The statement of :func:`append_to_body`, written once from the models' tables:
    built and compiled by the ORM (two concatenations, a length, a subquery), it cost
    three times the rest of recording progress in Python."""
    quote = connections[alias].ops.quote_name
    entry = quote(SearchEntry._meta.db_table)
    statement = f"""
        UPDATE {entry} SET body = body || %s,
            stems_body = CASE WHEN %s = '' THEN stems_body
                              WHEN stems_body = '' THEN %s
                              ELSE stems_body || ' ' || %s END
        WHERE kind = %s AND object_id = %s AND LENGTH(body) <= %s
    """  # noqa: S608
    if later is not None:
        model, record, dated = later
        columns = {field.name: quote(field.column) for field in model._meta.concrete_fields}
        table = quote(model._meta.db_table)
        statement += (
            f" AND NOT EXISTS (SELECT 1 FROM {table}"  # noqa: S608
            f" WHERE {columns[record]} = %s AND {columns[dated]} > %s)"
        )
    return statement


def append_to_body(
    source: Source,
    pk: int,
    text: str,
    *,
    unless_later: tuple[type[Model], str, str, dt.date] | None = None,
) -> None:
    """Add ``text`` at the end of one record's entry, as a full rewrite would write it
    when the text is the last part of its body: the record's other parts are not read
    again (one statement). A record with no entry, a body that would pass ``MAX_BODY``
    (a rewrite clips it), or, with ``unless_later`` (a model, the field naming the
    record, a date field and a date), a record that has a row of that model dated
    later (checked in the same statement), is rewritten instead."""
    if not text:
        if unless_later is not None:
            index_record(source, pk)  # nothing to add, but it may belong before others
        return
    added = stems(text)
    params: list[Any] = ["\n" + text, added, added, added, source.kind, pk]
    params.append(MAX_BODY - 1 - len(text))
    target = connections[router.db_for_write(SearchEntry)]
    later = None
    if unless_later is not None:
        model, record, dated, on = unless_later
        later = (model, record, dated)
        params += [pk, target.ops.adapt_datefield_value(on)]
    with target.cursor() as cursor:
        cursor.execute(_append_statement(target.alias, later), params)
        written = cursor.rowcount
    if written != 1:
        index_record(source, pk)


#: Records indexed a batch at a time: fewer than a thousand, so that the prefetch of a
#: batch's foreign keys (Django 5.2 writes it as one OR term per distinct target on
#: SQLite) stays within SQLite's expression depth of 1,000.
BATCH = 500


def index_records(source: Source, pks: Iterable[int], *, batch_size: int = BATCH) -> None:
    """Replace the entries of many records, a batch at a time (after a bulk write)."""
    wanted = sorted(set(pks))
    with transaction.atomic():
        for start in range(0, len(wanted), batch_size):
            chunk = wanted[start : start + batch_size]
            _remove(SearchEntry.objects.filter(kind=source.kind, object_id__in=chunk))
            entries: list[Entry] = []
            for record in source.indexed().filter(pk__in=chunk):
                entries.extend(source.entries(record))
            _write(entries)


def reindex(kinds: Iterable[str] | None = None, *, batch_size: int = BATCH) -> dict[str, int]:
    """Rebuild the index of these kinds (all by default); returns the entries per kind."""
    chosen = list(kinds) if kinds else list(SOURCES)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind in chosen:
            source = SOURCES[kind]
            _remove(SearchEntry.objects.filter(kind=kind))
            total = 0
            for batch in batches(source.indexed(), batch_size):
                entries: list[Entry] = []
                for record in batch:
                    entries.extend(source.entries(record))
                total += _write(entries)
            counts[kind] = total
    return counts


def entry_count() -> dict[str, Any]:
    return {kind: SearchEntry.objects.filter(kind=kind).count() for kind in SOURCES}

"""The search: records matching a query that the reader may read, ranked, with snippets
and facet counts.

Which entries a reader sees is asked of each kind's own reading rule
(:attr:`accord.search.sources.Source.visible`), compiled into the query as a subquery per
kind, so a result, its snippet and the facet counts only ever come from records the reader
may open. The match is SQLite's FTS5 or PostgreSQL's full-text search over the same words.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accord.core.errors import Invalid
from accord.core.params import MAX_LIMIT, MAX_OFFSET, PAGE_SIZE
from accord.meetings.models import Meeting
from accord.search.models import Facet, Kind, SearchEntry, SearchTag
from accord.search.sources import SOURCES
from accord.search.text import Query, parse_query, snippet

if TYPE_CHECKING:
    from accord.core.readers import Actor

#: A query longer than this is cut: a search is a few words.
MAX_QUERY_CHARS = 500
#: Values listed per facet (the most frequent first).
FACET_VALUES = 20


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    year: int | None = None
    partner: str | None = None
    instrument: str | None = None

    def check(self) -> None:
        if self.kind and self.kind not in Kind.values:
            raise Invalid(
                _("kind: '%(kind)s' is not a kind of record; one of %(kinds)s.")
                % {"kind": self.kind, "kinds": ", ".join(Kind.values)},
                details={"kind": [self.kind]},
            )


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    title: str
    url: str
    snippet: str
    date: dt.date | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchPage:
    query: str
    count: int = 0
    items: list[Result] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def _unrestricted(queryset: QuerySet) -> bool:
    """A reader's queryset that keeps every record (the secretariat's)."""
    return not queryset.query.where


def visible_entries(user: Actor) -> QuerySet:
    """The index entries of records ``user`` may read."""
    conditions = []
    everything = True
    for kind, source in SOURCES.items():
        records = source.visible(user)
        if _unrestricted(records):
            conditions.append(Q(kind=kind))
        else:
            everything = False
            conditions.append(Q(kind=kind, object_id__in=records.values("pk")))
    entries = SearchEntry.objects.all()
    if everything:
        return entries
    condition = Q()
    for each in conditions:
        condition |= each
    return entries.filter(condition)


def _filtered(entries: QuerySet, filters: Filters) -> QuerySet:
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.year:
        entries = entries.filter(year=filters.year)
    for facet, value in ((Facet.PARTNER, filters.partner), (Facet.INSTRUMENT, filters.instrument)):
        if value:
            entries = entries.filter(
                pk__in=SearchTag.objects.filter(facet=facet, value=value).values("entry_id")
            )
    return entries


def _ranked(entries: QuerySet, query: Query) -> QuerySet:
    """The entries that match, best first."""
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(query.tsquery(), search_type="raw", config="simple")
        return (
            entries.filter(document=tsquery)
            .annotate(score=SearchRank(F("document"), tsquery))
            .order_by("-score", F("date").desc(nulls_last=True), "pk")
        )
    return entries.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[query.fts5()],
        select={"score": "search_fts.rank"},
        order_by=["score", "-date", "id"],
    )


def _facets(
    matches: list[tuple[int, str, int | None]], matched_sql: str, params: tuple[Any, ...]
) -> dict[str, list[FacetValue]]:
    """Counts by kind and year of the matches, and by partner and instrument of their tags
    (one query over the same matching entries)."""
    labels = dict(Kind.choices)
    kinds = Counter(kind for _pk, kind, _year in matches)
    years = Counter(year for _pk, _kind, year in matches if year)
    found = {
        "kind": [
            FacetValue(kind, str(labels.get(kind, kind)), n)
            for kind, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        ],
        "year": [
            FacetValue(str(year), str(year), n)
            for year, n in sorted(years.items(), reverse=True)[:FACET_VALUES]
        ],
    }
    tags: dict[str, list[tuple[str, int]]] = {str(Facet.PARTNER): [], str(Facet.INSTRUMENT): []}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT facet, value, COUNT(*) FROM search_searchtag "  # noqa: S608 - compiled ORM SQL
            f"WHERE entry_id IN (SELECT matched.id FROM ({matched_sql}) matched) "
            "GROUP BY facet, value",
            params,
        )
        for facet, value, n in cursor.fetchall():
            tags.setdefault(facet, []).append((value, n))
    for facet, values in tags.items():
        values.sort(key=lambda item: (-item[1], item[0]))
        found[facet] = [FacetValue(v, v, n) for v, n in values[:FACET_VALUES]]
    return found


def _meeting_keys(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = (
        Meeting.objects.with_ordinal().filter(pk__in=ids).values_list("pk", "tier__code", "ordinal")
    )
    return {pk: f"{tier}-{ordinal}" for pk, tier, ordinal in rows}


def _url(row: dict[str, Any], keys: dict[int, str]) -> str:
    if row["url"]:
        return str(row["url"])
    key = keys.get(row["meeting_id"])
    if key is None:
        return ""
    url = reverse("meeting-detail", args=[key])
    return f"{url}#{row['anchor']}" if row["anchor"] else url


def search(
    *,
    user: Actor,
    q: str,
    filters: Filters | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    facets: bool = True,
) -> SearchPage:
    """One page of the records matching ``q`` that ``user`` may read, with facet counts."""
    filters = filters or Filters()
    filters.check()
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_OFFSET))
    text = q[:MAX_QUERY_CHARS]
    query = parse_query(text)
    page = SearchPage(query=text)
    if not query:
        return page
    entries = _filtered(visible_entries(user), filters)
    # Every match, best first, in one query: the count, the page and the facets from it.
    matched_sql, params = (
        _ranked(entries, query).values_list("id", "kind", "year").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(matched_sql, params)
        matches = [(row[0], row[1], row[2]) for row in cursor.fetchall()]
    page.count = len(matches)
    if not page.count:
        return page
    wanted = [pk for pk, _kind, _year in matches[offset : offset + limit]]
    by_pk: dict[int, dict[str, Any]] = {
        row["id"]: dict(row)
        for row in SearchEntry.objects.filter(pk__in=wanted).values(
            "id", "kind", "title", "body", "url", "meeting_id", "anchor", "date"
        )
    }
    rows = [by_pk[pk] for pk in wanted if pk in by_pk]
    keys = _meeting_keys({r["meeting_id"] for r in rows if r["meeting_id"] and not r["url"]})
    labels = dict(Kind.choices)
    page.items = [
        Result(
            kind=row["kind"],
            kind_label=str(labels.get(row["kind"], row["kind"])),
            title=row["title"],
            url=_url(row, keys),
            snippet=snippet(row["body"] or row["title"], query),
            date=row["date"],
        )
        for row in rows
    ]
    if facets:
        page.facets = _facets(matches, matched_sql, params)
    return page

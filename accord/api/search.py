"""One search across the record: what the reader may read, ranked, with facet counts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accord.core.params import PAGE_SIZE, Limit, Offset, Year
from accord.search.models import Kind
from accord.search.selectors import Filters, search

router = Router(tags=["search"])

Text = Annotated[str, Field(max_length=500)]
Code = Annotated[str, Field(max_length=64)]


class SearchParams(Schema):
    q: Text = ""
    kind: Kind | None = None
    year: Year | None = None
    partner: Code | None = None
    instrument: Code | None = None
    limit: Limit = PAGE_SIZE
    offset: Offset = 0


class ResultOut(Schema):
    kind: str
    title: str
    url: str
    snippet: str = Field(description="HTML: the text escaped, the matching words in <mark>.")
    date: dt.date | None


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    count: int
    items: list[ResultOut]
    facets: dict[str, list[FacetOut]]


@router.get("/search", response=SearchOut, summary="Search the whole record")
def search_records(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """Meetings, agenda items, minutes (by paragraph), decisions, action points and their
    progress, documents (their text), commitments, initiatives, indicators, partners,
    people and press releases that the reader may read and that hold every word of ``q``
    (in any of its English or French forms, or starting with it), best first. ``facets``
    counts the matches by ``kind``, ``year``, ``partner`` and ``instrument``; the same
    names filter."""
    page = search(
        user=request.user,
        q=params.q,
        filters=Filters(
            kind=params.kind.value if params.kind else None,
            year=params.year,
            partner=params.partner,
            instrument=params.instrument,
        ),
        limit=params.limit,
        offset=params.offset,
    )
    return {
        "count": page.count,
        "items": [
            {
                "kind": item.kind,
                "title": item.title,
                "url": item.url,
                "snippet": str(item.snippet),
                "date": item.date,
            }
            for item in page.items
        ],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in page.facets.items()
        },
    }

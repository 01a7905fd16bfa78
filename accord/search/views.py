"""The search page: one box for the whole record, results with their facets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.core.errors import Invalid
from accord.core.params import MAX_OFFSET, query_int, query_year
from accord.search.selectors import Filters, SearchPage, search

PAGE_SIZE = 20
FILTERS = ("kind", "year", "partner", "instrument")


def search_page(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    chosen = {name: (request.GET.get(name) or "").strip()[:64] for name in FILTERS}
    error = ""
    page = SearchPage(query=q)
    number = 1
    try:
        number = query_int(request.GET, "page", minimum=1, maximum=MAX_OFFSET // PAGE_SIZE) or 1
        filters = Filters(
            kind=chosen["kind"] or None,
            year=query_year(request.GET),
            partner=chosen["partner"] or None,
            instrument=chosen["instrument"] or None,
        )
        page = search(
            user=request.user,
            q=q,
            filters=filters,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
    except Invalid as problem:
        error = problem.message
    kept = {"q": q, **{k: v for k, v in chosen.items() if v}}

    def link(**changes: object) -> str:
        values = {**kept, **changes}
        return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})

    facets = [
        {
            "name": name,
            "chosen": chosen.get(name, ""),
            "clear": link(**{name: None}),
            "values": [
                {
                    "value": v.value,
                    "label": v.label,
                    "count": v.count,
                    "url": link(**{name: v.value}),
                }
                for v in values
            ],
        }
        for name, values in page.facets.items()
    ]
    pages = (page.count + PAGE_SIZE - 1) // PAGE_SIZE
    context = {
        "q": q,
        "page": page,
        "error": error,
        "facets": facets,
        "chosen": chosen,
        "number": number,
        "pages": pages,
        "previous": link(page=number - 1) if number > 1 else "",
        "next": link(page=number + 1) if number < pages else "",
    }
    return render(request, "search/search.html", context, status=400 if error else 200)

"""The trail on pages: the section of the commitment page (registered in
``accord.core.sections`` when the reports app starts, since the commitments app may not
import this one) and the page of a topic."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from accord.core.errors import NotFound
from accord.reports.trail import TrailItem, topic_trail, trail_of

TRAIL_PAGE_SIZE = 25


def _page(request: HttpRequest, items: list[TrailItem]) -> Any:
    """One page of the trail (``?trail=N``; a number out of range shows the nearest)."""
    return Paginator(items, TRAIL_PAGE_SIZE).get_page(request.GET.get("trail"))


def commitment_trail_section(request: HttpRequest, commitment: Any) -> str:
    items = trail_of(request.user, commitment)
    return render_to_string(
        "reports/_trail.html",
        {
            "trail": _page(request, items),
            "code": commitment.code,
            "api_url": f"/api/v1/commitments/{commitment.code}/trail",
        },
        request=request,
    )


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        trail = topic_trail(user=request.user, slug=slug)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "reports/topic.html",
        {"topic": trail.topic, "codes": trail.codes, "trail": _page(request, trail.items)},
    )

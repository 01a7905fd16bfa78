"""The radar page of a meeting."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.core.errors import NotFound
from accord.reports.radar import POINTS, meeting_radar


def meeting_radar_page(request: HttpRequest, key: str) -> HttpResponse:
    try:
        radar = meeting_radar(user=request.user, key=key)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "reports/radar.html",
        {"radar": radar, "meeting": radar.meeting, "points": POINTS},
    )

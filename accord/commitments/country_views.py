"""Pages of coverage by country: the commitment x country view and a country's page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.commitments import selectors
from accord.commitments.countries import country_matrix, country_page
from accord.core.errors import NotFound


def instrument_countries(request: HttpRequest, code: str) -> HttpResponse:
    try:
        instrument = selectors.instrument_get(code)
    except NotFound as error:
        raise Http404(error.message) from error
    matrix = country_matrix(instrument, user=request.user)
    return render(request, "commitments/instrument_countries.html", {"matrix": matrix})


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        page = country_page(code, user=request.user)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "commitments/country_detail.html", {"country": page})

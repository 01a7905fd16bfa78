"""Pages: the evidence overview, an indicator's page (chart, table, filters, metadata,
sources, downloads), the reporting status and the datasets."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from accord.core.errors import Invalid, NotFound
from accord.evidence import charts, exports, selectors
from accord.evidence.models import Indicator, Observation


def overview(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    context = {
        "indicators": selectors.indicator_list(user=request.user, search=search),
        "q": search,
        "gaps": selectors.evidence_gaps(),
    }
    template = "evidence/overview.html#results" if request.htmx else "evidence/overview.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _indicator(request: HttpRequest, code: str) -> Indicator:
    try:
        return selectors.indicator_get(user=request.user, code=code)
    except NotFound as error:
        raise Http404(error.message) from error


def _shown(
    request: HttpRequest, indicator: Indicator
) -> tuple[selectors.ObservationFilter, list[Observation]]:
    """The rows the page shows for these parameters: the same for chart, table, download.

    Without a dimension chosen the page shows totals, or everything if there are none.
    """
    parameters = request.GET.dict()
    chosen = selectors.observation_filter_parse(indicator, parameters, default_totals=True)
    rows = list(selectors.observation_list(indicator, chosen))
    if not rows and chosen.totals_only:
        chosen.totals_only = False
        rows = list(selectors.observation_list(indicator, chosen))
    return chosen, rows


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator(request, code)
    error = ""
    try:
        chosen, rows = _shown(request, indicator)
    except Invalid as invalid:
        error = invalid.message
        chosen, rows = selectors.ObservationFilter(), []
    dimensions = selectors.dimensions_of(indicator)
    spec = charts.chart_spec(indicator, rows)
    query = request.GET.urlencode()
    context = {
        "indicator": indicator,
        "rows": rows,
        "error": error,
        "chosen": chosen,
        "chosen_place": chosen.places[0].code if chosen.places else "",
        "dimensions": dimensions,
        "dimension_columns": list(dimensions),
        "places": selectors.observation_places(indicator),
        # vl-convert escapes every text it writes into the SVG.
        "chart_svg": mark_safe(charts.chart_svg(spec)),  # noqa: S308
        "sources": selectors.indicator_sources(rows),
        "progress": selectors.indicator_progress(indicator),
        "commitments": selectors.commitment_codes_for_indicator(indicator),
        "query": query,
    }
    template = "evidence/indicator.html#results" if request.htmx else "evidence/indicator.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=422 if error else 200)


def indicator_chart(request: HttpRequest, code: str) -> JsonResponse:
    """The Vega-Lite specification of the chart the page shows, for the same parameters."""
    indicator = _indicator(request, code)
    try:
        _chosen, rows = _shown(request, indicator)
    except Invalid as invalid:
        return JsonResponse({"detail": invalid.message}, status=422)
    return JsonResponse(charts.chart_spec(indicator, rows))


def indicator_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Exactly the rows the page shows, as CSV or XLSX, formula-like cells neutralised."""
    indicator = _indicator(request, code)
    try:
        _chosen, rows = _shown(request, indicator)
    except Invalid as invalid:
        return JsonResponse({"detail": invalid.message}, status=422)
    dimensions = list(selectors.dimensions_of(indicator))
    header = exports.header_for(dimensions)
    lines = exports.rows_for(indicator, rows, dimensions)
    name = slugify(indicator.code) or "indicator"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(header, lines, title=indicator.code),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.csv_bytes(header, lines), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def reporting_status(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evidence/reporting.html",
        {"report": selectors.reporting_status(user=request.user)},
    )


def dataset_list(request: HttpRequest) -> HttpResponse:
    return render(request, "evidence/datasets.html", {"datasets": selectors.dataset_list()})


def commitment_evidence(request: HttpRequest, code: str) -> HttpResponse:
    """The indicators that show a commitment's effect (the commitment page includes them)."""
    indicators = selectors.indicators_for_commitment(code, user=request.user)
    return render(
        request,
        "evidence/commitment.html",
        {"commitment_code": code, "indicators": indicators},
    )

"""Pages: the evidence overview, an indicator's page (chart, table, filters, metadata,
sources, downloads), the reporting status, the datasets and the import of a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accord.access.permissions import require
from accord.core.errors import Invalid, NotFound
from accord.core.uploads import saved_upload
from accord.evidence import charts, exports, figures_kept, progress, selectors
from accord.evidence.importing import ImportRejected, Options, observations_import
from accord.evidence.models import Indicator, Observation
from accord.evidence.permissions import can_import_observations
from accord.evidence.target_forms import targets_context


def overview(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    context = {
        "indicators": selectors.indicator_list(user=request.user, search=search),
        "q": search,
        "gaps": selectors.evidence_gaps(),
        "can_import": can_import_observations(request.user),
    }
    template = "evidence/overview.html#results" if request.htmx else "evidence/overview.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _indicator(request: HttpRequest, code: str) -> Indicator:
    try:
        return selectors.indicator_get(user=request.user, code=code)
    except NotFound as error:
        raise Http404(error.message) from error


def _shown(
    request: HttpRequest,
    indicator: Indicator,
    pairs: list[tuple[str, str]] | None = None,
    dimensions: dict[str, list[str]] | None = None,
) -> tuple[selectors.ObservationFilter, list[Observation]]:
    """The rows the page shows for these parameters: the same for chart, table, download.

    Without a dimension chosen the page shows totals, or everything if there are none.
    ``pairs`` and ``dimensions``, when given, are the indicator's series and breakdowns
    already read.
    """
    parameters = request.GET.dict()
    chosen = selectors.observation_filter_parse(
        indicator, parameters, default_totals=True, series=pairs, dimensions=dimensions
    )
    # As Open SDG does, one unit at a time: the first, unless one is chosen.
    if pairs is None:
        pairs = selectors.indicator_series(indicator)
    units = sorted({units for _series, units in pairs})
    if chosen.units is None and len(units) > 1 and "units" not in parameters:
        chosen.units = units[0]
    rows = list(selectors.observation_list(indicator, chosen))
    if not rows and chosen.totals_only:
        chosen.totals_only = False
        rows = list(selectors.observation_list(indicator, chosen))
    return chosen, rows


def indicator_detail(request: HttpRequest, code: str, target_form: Any = None) -> HttpResponse:
    indicator = _indicator(request, code)
    error = ""
    # What depends on all the figures (progress, places, series, breakdowns): kept per
    # version of the figures, read again only when they change.
    figures = figures_kept.indicator_figures(indicator)
    pairs, dimensions = figures.series, figures.dimensions
    try:
        chosen, rows = _shown(request, indicator, pairs, dimensions)
    except Invalid as invalid:
        error = invalid.message
        chosen, rows = selectors.ObservationFilter(), []
    spec = charts.chart_spec(indicator, rows)
    query = request.GET.urlencode()
    show_series = any(row.series or row.units for row in rows)
    context = {
        "series_choices": sorted({series for series, _units in pairs} - {""}),
        "units_choices": sorted({units for _series, units in pairs} - {""}),
        "show_series": show_series,
        "column_extra": 7 if show_series else 5,
        "data_quality": list(selectors.indicator_data_quality(indicator)),
        "indicator": indicator,
        "rows": rows,
        "error": error,
        "chosen": chosen,
        "chosen_place": chosen.places[0].code if chosen.places else "",
        "dimensions": dimensions,
        "dimension_columns": list(dimensions),
        "places": figures.places,
        # vl-convert escapes every text it writes into the SVG.
        "chart_svg": mark_safe(charts.chart_svg(spec)),  # noqa: S308
        "sources": selectors.indicator_sources(rows),
        "progress": figures.progress,
        "commitments": selectors.commitment_codes_for_indicator(indicator),
        "query": query,
        **targets_context(request, indicator, target_form),
    }
    if target_form is not None:
        return render(request, "evidence/indicator.html", context, status=422)
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
        {"report": progress.reporting_status(user=request.user)},
    )


def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets = selectors.dataset_list(user=request.user)
    return render(request, "evidence/datasets.html", {"datasets": datasets})


def commitment_evidence(request: HttpRequest, code: str) -> HttpResponse:
    """The indicators that show a commitment's effect (the commitment page links here).

    An unknown code answers 404; a former code redirects to the commitment's new one.
    """
    from django.apps import apps

    if apps.is_installed("accord.commitments"):
        from accord.commitments.tree import commitment_resolve

        try:
            commitment, former = commitment_resolve(code)
        except NotFound as error:
            raise Http404(error.message) from error
        if former:
            return redirect("evidence-commitment", code=commitment.code, permanent=True)
    indicators = selectors.indicators_for_commitment(code, user=request.user)
    return render(
        request,
        "evidence/commitment.html",
        {"commitment_code": code, "indicators": indicators},
    )


class ImportForm(forms.Form):
    upload = forms.FileField(
        label=_("File of observations"),
        help_text=_("Tidy CSV (Open SDG), HXL-tagged CSV or XLSX, SDMX-CSV or SDMX-ML."),
    )
    indicator = forms.CharField(
        label=_("Indicator code"),
        max_length=64,
        required=False,
        help_text=_("When the file has no indicator column."),
    )
    place = forms.CharField(
        label=_("Place code"),
        max_length=64,
        required=False,
        help_text=_("When the file has no place column."),
    )
    period_column = forms.CharField(
        label=_("Period column"),
        max_length=64,
        required=False,
        help_text=_("When the period is in a column not named Year or TIME_PERIOD."),
    )
    source = forms.CharField(label=_("Source"), max_length=255, required=False)
    dataset = forms.CharField(
        label=_("Dataset name"),
        max_length=255,
        required=False,
        help_text=_("Empty: the file's name."),
    )
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)


@login_required
def observations_upload(request: HttpRequest) -> HttpResponse:
    """Focal points and the secretariat import a file; the page shows the validation
    report: the summary, or each refused row and column."""
    require(
        can_import_observations(request.user),
        _("Only focal points and the secretariat import observations."),
    )
    form = ImportForm(request.POST or None, request.FILES or None)
    report, refusal, problems = None, "", []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        name = Path(upload.name or "upload.csv").name
        with saved_upload(upload) as path:
            try:
                report = observations_import(
                    path=path,
                    options=Options(
                        indicator=form.cleaned_data["indicator"],
                        place=form.cleaned_data["place"],
                        period_column=form.cleaned_data["period_column"],
                        source=form.cleaned_data["source"],
                        dataset=form.cleaned_data["dataset"],
                        dry_run=form.cleaned_data["dry_run"],
                    ),
                    user=request.user,
                    file_name=name,
                )
            except (ImportRejected, Invalid) as problem:
                refusal = problem.message
                problems = problem.details if isinstance(problem.details, list) else []
    context = {"form": form, "report": report, "refusal": refusal, "problems": problems}
    template = "evidence/import.html#report" if request.htmx else "evidence/import.html"  # type: ignore[attr-defined]
    return render(request, template, context)

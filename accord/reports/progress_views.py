"""The progress report of an instrument in a reporting cycle, as a page and as files."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.core.errors import NotFound
from accord.meetings.views import not_found_as_404
from accord.reports.progress import progress_context, progress_html, progress_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@not_found_as_404
def progress_page(request: HttpRequest, code: str, cycle: str) -> HttpResponse:
    """Coverage and progress from the cycle's verified entries only."""
    report = progress_context(user=request.user, instrument=code, cycle=cycle)
    return render(request, "reports/progress_page.html", {"report": report})


@not_found_as_404
def progress_download(request: HttpRequest, code: str, cycle: str, fmt: str) -> HttpResponse:
    report = progress_context(user=request.user, instrument=code, cycle=cycle)
    if fmt == "xlsx":
        content = progress_xlsx(report)
    elif fmt == "pdf":
        from accord.reports.engines import html_to_pdf

        content = html_to_pdf(progress_html(report))
    else:
        raise NotFound(f"No progress report as {fmt!r}.")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"progress-{report.instrument.code}-{report.cycle.name}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

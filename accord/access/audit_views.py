"""The audit log for the secretariat: a filtered page and its CSV export."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accord.access.selectors_audit import AuditFilters, audit_events, audit_verbs
from accord.core.errors import AccordError

COLUMNS = ["at", "who", "event", "record type", "record id", "record", "details", "address"]


def _filters(request: HttpRequest) -> tuple[AuditFilters, str]:
    try:
        return AuditFilters.from_query(request.GET), ""
    except AccordError as error:
        return AuditFilters(), error.message


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    filters, problem = _filters(request)
    events = audit_events(actor=request.user, filters=filters)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "problem": problem,
        "verbs": audit_verbs(),
        "query": query.urlencode(),
    }
    return render(request, "access/audit_log.html", context)


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting like a formula: it is written as text.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


@login_required
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    filters, _problem = _filters(request)
    events = audit_events(actor=request.user, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="accord-audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for event in events.iterator():
        writer.writerow(
            [
                _cell(value)
                for value in (
                    event.at.isoformat(),
                    event.actor_name,
                    event.verb,
                    event.target_type,
                    event.target_id,
                    event.target_label,
                    json.dumps(event.data, ensure_ascii=False, sort_keys=True),
                    event.address or "",
                )
            ]
        )
    return response

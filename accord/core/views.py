"""Pages every app shares: the history of a record."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access.selectors import access_for
from accord.core.selectors import record_history_entries


def record_history(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    """Who changed what and when on one record: for the secretariat."""
    if not access_for(request.user).is_secretariat:
        raise PermissionDenied("Only the secretariat reads the history of records.")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404("No such kind of record.") from error
    record = model._default_manager.filter(pk=pk).first()
    if record is None or not hasattr(model, "history"):
        raise Http404("No such record, or it keeps no history.")
    return render(
        request,
        "core/history.html",
        {"record": record, "entries": record_history_entries(record)},
    )

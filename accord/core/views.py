"""Pages every app shares: the signed-in reader's dashboard, the history of a record."""

from __future__ import annotations

from itertools import groupby

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accord.access.selectors import access_for, roles_of
from accord.core.dashboard import dashboard_panels, start_here
from accord.core.selectors import record_history_entries
from accord.partners import selectors as partners


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What waits for the reader, their partners and roles, and the framework at a glance."""
    partners_roles = [
        {"organisation": organisation, "roles": [role.get_kind_display() for role in held]}
        for organisation, held in groupby(roles_of(request.user), key=lambda r: r.organisation)
    ]
    framework = partners.framework_default()
    today = timezone.localdate()
    context = {
        "panels": dashboard_panels(request.user),
        "start_here": start_here(request.user),
        "partners_roles": partners_roles,
        "memberships": partners.memberships_of(
            entry["organisation"].pk for entry in partners_roles
        ),
        "framework": framework,
        "today": today,
        "member_count": len(partners.members_on(framework, today)) if framework else 0,
    }
    return render(request, "core/dashboard.html", context)


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


@login_required
def data_quality_clear(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat clears a record's data-quality warning with a comment."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    from accord.access.data_quality import record_warning_clear
    from accord.core.errors import Invalid
    from accord.core.models import RecordWarning

    if request.method != "POST":
        raise Http404("Clear a warning with POST.")
    warning = RecordWarning.objects.filter(pk=pk).first()
    if warning is None:
        raise Http404("No such warning.")
    try:
        record_warning_clear(
            user=request.user, warning=warning, comment=request.POST.get("comment", "")
        )
    except Invalid as error:
        return HttpResponse(error.message, status=422)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)

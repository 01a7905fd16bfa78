"""Pages: the home (dashboard or public page), the framework, the partners, a partner."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accord.core.errors import NotFound
from accord.core.views import dashboard
from accord.partners import selectors
from accord.partners.models import OrganisationKind


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard for a signed-in reader, the framework's public page for a visitor."""
    if request.user.is_authenticated:
        return dashboard(request)
    return framework_page(request, latest=HOME_TIMELINE_EVENTS)


# The home page shows the latest changes of membership; the framework's page shows them all.
HOME_TIMELINE_EVENTS = 15


def framework_page(request: HttpRequest, latest: int | None = None) -> HttpResponse:
    framework = selectors.framework_default()
    today = timezone.localdate()
    # One more than shown tells whether the timeline was cut.
    timeline = (
        selectors.membership_timeline(framework, latest=latest + 1 if latest else None)
        if framework
        else []
    )
    context = {
        "framework": framework,
        "today": today,
        "members": selectors.members_on(framework, today) if framework else [],
        "timeline": timeline[-latest:] if latest else timeline,
        "timeline_cut": bool(latest and len(timeline) > latest),
    }
    return render(request, "partners/home.html", context)


def partner_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    search = request.GET.get("q") or None
    context = {
        "organisations": selectors.organisation_list(kind=kind, search=search),
        "kinds": OrganisationKind.choices,
        "kind": kind,
        "q": search or "",
    }
    template = "partners/list.html#results" if request.htmx else "partners/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def partner_detail(request: HttpRequest, acronym: str) -> HttpResponse:
    try:
        organisation = selectors.organisation_get(acronym)
    except NotFound as error:
        raise Http404(error.message) from error
    context = {
        "organisation": organisation,
        "memberships": organisation.memberships.select_related("framework"),
        "people_roles": selectors.person_roles_visible(
            user=request.user, organisation=organisation
        ),
    }
    return render(request, "partners/detail.html", context)

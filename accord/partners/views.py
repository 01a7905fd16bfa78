"""Pages: the home (dashboard or public page), the framework, the partners, a partner."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accord.core.errors import Invalid, NotFound
from accord.core.params import PAGE_SIZE
from accord.core.views import dashboard
from accord.partners import selectors
from accord.partners.models import OrganisationKind
from accord.partners.profile import parse_on, partner_profile


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard for a signed-in reader, the framework's public page for a visitor."""
    if request.user.is_authenticated and "on" not in request.GET:
        return dashboard(request)
    return framework_page(request, latest=HOME_TIMELINE_EVENTS)


# The home page shows the latest changes of membership; the framework's page shows them all,
# a page at a time.
HOME_TIMELINE_EVENTS = 15
TIMELINE_PAGE = 100


def _on(request: HttpRequest) -> tuple[dt.date | None, str]:
    """The date asked with ``?on=`` (None: today), and the refusal of a bad one."""
    try:
        return parse_on(request.GET.get("on")), ""
    except Invalid as problem:
        return None, problem.message


def framework_page(request: HttpRequest, latest: int | None = None) -> HttpResponse:
    """The members on a date (``?on=2015-06-01``, default today) under their names then."""
    framework = selectors.framework_default()
    asked, error = _on(request)
    today = asked or timezone.localdate()
    # One more than shown tells whether the timeline was cut.
    timeline = (
        selectors.membership_timeline(framework, latest=latest + 1 if latest else None)
        if framework
        else []
    )
    if latest:
        page, shown = None, timeline[-latest:]
    else:
        page = Paginator(timeline, TIMELINE_PAGE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
    context = {
        "framework": framework,
        "today": today,
        "members": selectors.members_on(framework, today) if framework else [],
        "timeline": shown,
        "timeline_cut": bool(latest and len(timeline) > latest),
        "timeline_page": page,
        "on": asked,
        "on_error": error,
    }
    return render(request, "partners/home.html", context, status=400 if error else 200)


def partner_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    search = request.GET.get("q") or None
    organisations = selectors.organisation_list(kind=kind, search=search)
    # As many a page as the API's lists.
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
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
    asked, on_error = _on(request)
    profile = partner_profile(user=request.user, organisation=organisation, on=asked)
    context = {
        "organisation": organisation,
        "profile": profile,
        "on": asked,
        "on_error": on_error,
        "memberships": organisation.memberships.select_related("framework"),
        "people_roles": profile.people_roles,
    }
    return render(request, "partners/detail.html", context, status=400 if on_error else 200)

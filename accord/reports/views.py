"""Pages: the documents section, briefing packs, press releases (edit, publish, public
pages, Atom feed) and the exports of list pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.access.permissions import require
from accord.core.errors import Conflict, Invalid, NotFound
from accord.core.headers import allow_own_styles
from accord.core.params import whole_number
from accord.meetings.selectors import meeting_get, meeting_list
from accord.meetings.views import not_found_as_404
from accord.reports import permissions, selectors, services
from accord.reports.briefing import briefing_context, render_briefing
from accord.reports.exports import FORMATS, TABLES, export
from accord.reports.models import PressRelease
from accord.reports.rendering import press_release_file, press_release_html


def report_list(request: HttpRequest) -> HttpResponse:
    """The documents section: press releases and the meetings' briefing packs."""
    releases = selectors.press_release_list(user=request.user)
    meetings = list(meeting_list(user=request.user).order_by("-date")[:12])
    return render(
        request,
        "reports/list.html",
        {
            "releases": releases,
            "meetings": meetings,
            "can_edit": permissions.can_edit_press_release(request.user),
        },
    )


@not_found_as_404
def meeting_briefing(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    briefing = briefing_context(user=request.user, key=key)
    content, media_type = render_briefing(briefing, fmt)
    response = HttpResponse(content, content_type=media_type)
    filename = f"briefing-{slugify(briefing.meeting.key)}.{fmt}"
    disposition = "inline" if fmt in {"html", "pdf"} else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return allow_own_styles(response) if fmt == "html" else response


# --- press releases -----------------------------------------------------------------


@require_POST
@login_required
@not_found_as_404
def press_release_new(request: HttpRequest) -> HttpResponseBase:
    meeting = meeting_get(user=request.user, key=request.POST.get("meeting", ""))
    release = services.press_release_create_draft(meeting=meeting, by=request.user)
    return redirect("press-release-edit", pk=release.pk)


@login_required
@not_found_as_404
def press_release_edit(request: HttpRequest, pk: int) -> HttpResponse:
    release = selectors.press_release_get(user=request.user, pk=pk)
    require(
        permissions.can_edit_press_release(request.user, release),
        "Only the secretariat edits press releases.",
    )
    error, status = "", 200
    form = {"title": release.title, "body": release.body, "version": release.version}
    if request.method == "POST":
        form = {
            "title": request.POST.get("title", "").strip(),
            "body": request.POST.get("body", ""),
            "version": request.POST.get("version", ""),
        }
        version = whole_number(str(form["version"]))
        try:
            if request.POST.get("action") == "publish":
                release = services.press_release_update(
                    release=release,
                    data={"title": form["title"], "body": form["body"]},
                    version=version,
                    by=request.user,
                )
                release = services.press_release_publish(
                    release=release, version=release.version, by=request.user
                )
                messages.success(request, _("Press release published."))
                return redirect("press-detail", slug=release.slug)
            release = services.press_release_update(
                release=release,
                data={"title": form["title"], "body": form["body"]},
                version=version,
                by=request.user,
            )
            messages.success(request, _("Press release saved."))
            return redirect("press-release-edit", pk=release.pk)
        except Conflict as problem:
            error, status = problem.message, 409
        except Invalid as problem:
            error, status = problem.message, 400
    try:
        preview = press_release_html(str(form["title"]), str(form["body"]), standalone=False)
    except Invalid:
        preview = ""
    return render(
        request,
        "reports/press_release_edit.html",
        {"release": release, "form": form, "error": error, "preview": preview},
        status=status,
    )


def press_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/press_list.html", {"releases": selectors.published_press_releases()}
    )


def press_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        release = selectors.published_press_release_get(slug)
    except (NotFound, PermissionDenied) as error:
        raise Http404("No published press release here.") from error
    return render(
        request,
        "reports/press_detail.html",
        {
            "release": release,
            "body": press_release_html(release.title, release.body, standalone=False),
        },
    )


@not_found_as_404
def press_release_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    release = selectors.press_release_get(user=request.user, pk=pk)
    content, media_type, extension = press_release_file(release.title, release.body, fmt)
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{release.slug}.{extension}"'
    return response


class PressFeed(Feed):
    feed_type = Atom1Feed
    title = "Press releases"
    subtitle = "Published press releases of the framework"

    def link(self) -> str:
        return reverse("press-list")

    def items(self) -> Any:
        return selectors.published_press_releases()[:30]

    def item_title(self, item: PressRelease) -> str:
        return item.title

    def item_description(self, item: PressRelease) -> str:
        return press_release_html(item.title, item.body, standalone=False)

    def item_link(self, item: PressRelease) -> str:
        return reverse("press-detail", args=[item.slug])

    def item_pubdate(self, item: PressRelease) -> Any:
        return item.published_at

    def item_updateddate(self, item: PressRelease) -> Any:
        return item.updated_at


# --- exports --------------------------------------------------------------------------


def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """A list page's rows, with the page's filters, in CSV, XLSX or JSON."""
    if kind not in TABLES or fmt not in FORMATS:
        raise Http404("No such export.")
    filters: dict[str, str] = {
        key: str(value) for key, value in request.GET.items() if key != "page" and value
    }
    try:
        content, _rows = export(kind, fmt, user=request.user, filters=filters, via="page")
    except NotFound as error:
        raise Http404(error.message) from error
    except Invalid as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response


# --- the compiled minutes of a tier, printed ------------------------------------------


@not_found_as_404
def tier_minutes_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The compiled minutes of a tier (the page's content) through WeasyPrint."""
    from django.template.loader import render_to_string

    from accord.meetings.minutes_views import compiled_context
    from accord.reports.engines import html_to_pdf

    html = render_to_string(
        "meetings/tier_minutes_print.html", compiled_context(request, code), request=request
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-minutes.pdf"'
    return response


def observations_sdmx_download(request: HttpRequest) -> HttpResponse:
    """An indicator's figures as SDMX-CSV 1.0 (``?indicator=CODE``, optional ``place``)."""
    filters = {key: str(value) for key, value in request.GET.items() if value}
    try:
        content, _rows = export(
            "observations", "sdmx-csv", user=request.user, filters=filters, via="page"
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except Invalid as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="observations.sdmx.csv"'
    return response

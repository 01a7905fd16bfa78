"""The private calendar feed (its secret URL is the key: no session), the account page's
renewal of that URL, and an invitation's ``.ics`` through its signed link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accord.core.errors import NotFound
from accord.meetings import calendar_feeds, invitations
from accord.meetings.models import Meeting
from accord.meetings.views import _ics


@never_cache
def private_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A calendar app reads this without signing in: the token names the user."""
    try:
        user = calendar_feeds.feed_user(token)
    except NotFound as error:
        raise Http404(error.message) from error
    content = calendar_feeds.private_calendar(user, base_url=request.build_absolute_uri("/"))
    response = _ics(content, "accord.ics")
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@login_required
def account_calendar_renew(request: HttpRequest) -> HttpResponse:
    """A new secret URL; the old one stops working."""
    calendar_feeds.calendar_feed_renew(user=request.user, by=request.user)
    messages.success(request, _("Your calendar has a new address: the old one no longer works."))
    return redirect(reverse("account") + "#calendar-title")


def invitation_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's meeting as an ``.ics``, through the invitation's signed link."""
    try:
        invitation = invitations.invitation_from_token(token)
    except NotFound as error:
        raise Http404(error.message) from error
    invitation.meeting = Meeting.objects.with_ordinal().get(pk=invitation.meeting_id)
    content = invitations.invitation_ics(invitation, base_url=request.build_absolute_uri("/"))
    return _ics(content, "invitation.ics")

"""The user's own page (tokens, two-factor sign-in) and the privacy notice."""

from __future__ import annotations

import base64
from typing import cast

import segno
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accord.access import twofactor
from accord.access.forms import CodeConfirmForm, TokenForm
from accord.access.models import ApiToken
from accord.access.selectors import roles_of
from accord.access.selectors_audit import tokens_of
from accord.access.services import token_create, token_revoke
from accord.core.errors import AccordError


def _me(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in user of a ``login_required`` view."""
    return cast(AbstractBaseUser, request.user)


# Sections the apps above this one add to the account page, by dotted path to a function
# of the request answering the section's HTML; shown only when the app is installed.
ACCOUNT_SECTIONS = {"accord.meetings": "accord.meetings.calendar_feeds.account_section"}


def _account_sections(request: HttpRequest) -> list[str]:
    return [
        import_string(path)(request)
        for app, path in ACCOUNT_SECTIONS.items()
        if apps.is_installed(app)
    ]


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """My account: roles, API tokens (create, see, revoke), two-factor sign-in."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_create(
            user=_me(request),
            name=form.cleaned_data["name"],
            expires_days=form.cleaned_data["expires_days"],
            actor=request.user,
        )
        form = TokenForm()
    context = {
        "roles": roles_of(request.user),
        "tokens": tokens_of(request.user),
        "form": form,
        "new_token": new_token,
        "token_days": settings.ACCORD_TOKEN_DAYS,
        "two_factor_on": twofactor.has_two_factor(_me(request)),
        "two_factor_required": twofactor.two_factor_required(request.user),
        "sections": _account_sections(request),
    }
    return render(request, "access/account.html", context)


@login_required
@require_POST
def account_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("account")


def _qr_svg(uri: str) -> str:
    """The key as a QR code, an SVG data URI (an image from 'self' data: under the CSP)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#1a1a1a", light="#ffffff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def account_two_factor(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor sign-in: scan, confirm with a code, keep the recovery codes."""
    user = _me(request)
    if request.method == "POST" and request.POST.get("action") == "disable":
        try:
            twofactor.two_factor_disable(user=user)
        except AccordError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
        return redirect("account")
    if request.method == "POST" and request.POST.get("action") == "renew":
        if twofactor.has_two_factor(user):
            codes = twofactor.recovery_codes_renew(user=user)
            return render(request, "access/recovery_codes.html", {"codes": codes})
        return redirect("account-two-factor")
    device = twofactor.totp_pending(user)
    form = CodeConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, codes = twofactor.totp_confirm(user=user, code=form.cleaned_data["code"])
        except AccordError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, confirmed)
            return render(request, "access/recovery_codes.html", {"codes": codes})
    key = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "qr": _qr_svg(device.config_url),
        "two_factor_on": twofactor.has_two_factor(user),
        "two_factor_required": twofactor.two_factor_required(user),
    }
    return render(request, "access/two_factor.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    """What personal data Accord holds, how long, and how a person is removed."""
    return render(
        request,
        "access/privacy.html",
        {
            "address_days": settings.ACCORD_AUDIT_ADDRESS_DAYS,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )

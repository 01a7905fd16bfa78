"""Signing in: password, then a second factor when the user has one; lockout; audit.

django-axes counts failures per user name and per address and refuses a locked one
before any password is checked (:func:`lockout_response` is what it answers). Each
success, failure and lockout goes to the audit log through Django's and axes' signals.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import match_token

from accord.access.audit import audit_record
from accord.access.twofactor import has_two_factor
from accord.core.errors import ErrorCode

PENDING_USER = "accord_signin_pending_user"
PENDING_BACKEND = "accord_signin_pending_backend"
PENDING_NEXT = "accord_signin_pending_next"


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Too many failed sign-ins: signing in is refused for %(minutes)s minutes. "
        "Try again later, or ask the secretariat."
    ) % {"minutes": lockout_minutes()}


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out user name or address: the page, saying why."""
    if request.path.startswith("/api/"):
        return too_many()
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")},
        status=429,
    )


def too_many() -> JsonResponse:
    """The API's answer while an address or user name is locked out."""
    response = JsonResponse(
        {"detail": lockout_message(), "code": str(ErrorCode.LOCKED_OUT)}, status=429
    )
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    """The password step; a user with a second factor goes on to :func:`signin_verify`."""

    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if has_two_factor(user):
            self.request.session[PENDING_USER] = user.pk
            self.request.session[PENDING_BACKEND] = user.backend  # type: ignore[attr-defined]
            self.request.session[PENDING_NEXT] = self.get_redirect_url()
            return redirect("login-verify")
        return super().form_valid(form)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("From your authenticator app, or one of your recovery codes."),
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def signin_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator, or a recovery code."""
    from axes.handlers.proxy import AxesProxyHandler

    user_model = get_user_model()
    pending = request.session.get(PENDING_USER)
    user = (
        user_model._default_manager.filter(pk=pending, is_active=True).first() if pending else None
    )
    if user is None:
        return redirect("login")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is not None:
            next_url = _safe_next(request, request.session.get(PENDING_NEXT, ""))
            user.otp_device = device  # type: ignore[attr-defined]
            login(request, user, backend=request.session.get(PENDING_BACKEND))
            return HttpResponseRedirect(next_url)
        user_login_failed.send(
            sender=__name__, credentials={**credentials, "via": "second factor"}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        form.add_error("code", _("This code is wrong or has been used."))
    return render(request, "registration/login_verify.html", {"form": form})


def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, verb="signin.succeeded", target=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        verb="signin.failed",
        data={"username": username, "via": credentials.get("via", "password")},
        address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )


def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        verb="signin.locked_out",
        data={"username": (username or "")[:150], "minutes": lockout_minutes()},
        address=kwargs.get("ip_address")
        or (request.META.get("REMOTE_ADDR") if request is not None else None),
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="accord-audit-logged-in")
    user_login_failed.connect(on_login_failed, dispatch_uid="accord-audit-login-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="accord-audit-locked-out")

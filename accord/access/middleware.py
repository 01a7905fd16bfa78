"""Token authentication for scripts (``Authorization: Bearer <token>``), and the second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accord.access.lockout import cool_off_start
from accord.access.services import token_digest, token_mark_used
from accord.access.tokens import token_lookup
from accord.core.errors import ErrorCode


class BearerTokenMiddleware:
    """Sets ``request.user`` from a bearer token; a bad token is refused with 401.

    Wrong tokens count as failed sign-ins from their address (django-axes), so guessing
    is locked out like guessing passwords: 429 until the cool-off has passed.

    Requests authenticated by token carry no cookies a browser would send on its own,
    so they are exempt from the CSRF check that session requests go through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header:
            from axes.handlers.proxy import AxesProxyHandler

            from accord.access.signin import too_many

            scheme, _, credentials = header.partition(" ")
            if scheme.lower() != "bearer" or not credentials.strip():
                return _unauthorised("Use 'Authorization: Bearer <token>'.")
            plain = credentials.strip()
            attempt = {"username": f"token:{plain[:12]}", "via": "token"}
            now = timezone.now()
            # The token, its user and whether any failure is recent: one statement. With
            # no recent failure and a live token, no lockout can apply.
            found = token_lookup(token_digest(plain), now=now, since=cool_off_start(request))
            if (found.token is None or found.recent_failure) and AxesProxyHandler.is_locked(
                request, attempt
            ):
                return too_many()
            token = found.token
            if token is None:
                user_login_failed.send(sender=__name__, credentials=attempt, request=request)
                if getattr(request, "axes_locked_out", False):
                    return too_many()
                return _unauthorised("This token is unknown, expired or revoked.")
            token_mark_used(token, now=now)
            request.user = token.user
            request.api_token = token  # type: ignore[attr-defined]
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)


def _unauthorised(message: str) -> JsonResponse:
    response = JsonResponse(
        {"detail": message, "code": str(ErrorCode.AUTHENTICATION_REQUIRED)}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="accord"'
    return response


class AuditAddressMiddleware:
    """Makes the request's address known to the audit log for the rest of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from accord.access.audit import request_address

        with request_address(request.META.get("REMOTE_ADDR")):
            return self.get_response(request)


#: Pages a signed-in user who still owes a second factor may reach.
TWO_FACTOR_OPEN = ("account-two-factor", "login-verify", "logout", "set_language")


class TwoFactorRequiredMiddleware:
    """With ``ACCORD_REQUIRE_MFA``, the secretariat and staff set up and use a second factor.

    A session of such a user without a verified second factor reaches only the set-up
    page (and signing out); API requests with a token are not concerned.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.ACCORD_REQUIRE_MFA and getattr(request, "api_token", None) is None:
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        from accord.access.twofactor import has_two_factor, two_factor_required

        user = request.user
        if not user.is_authenticated or not two_factor_required(user):
            return None
        if getattr(user, "is_verified", lambda: False)():
            return None
        open_paths = {reverse(name) for name in TWO_FACTOR_OPEN}
        static = "/" + settings.STATIC_URL.lstrip("/")
        if request.path in open_paths or request.path.startswith(static):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": "Two-factor sign-in is required: set it up on your account page.",
                    "code": str(ErrorCode.PERMISSION_DENIED),
                },
                status=403,
            )
        if has_two_factor(user):
            # A session from before the rule: the code is asked for again.
            from django.contrib.auth import BACKEND_SESSION_KEY

            from accord.access.signin import PENDING_BACKEND, PENDING_NEXT, PENDING_USER

            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = request.session.get(BACKEND_SESSION_KEY)
            request.session[PENDING_NEXT] = request.get_full_path()
            return redirect("login-verify")
        return redirect("account-two-factor")

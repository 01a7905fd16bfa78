"""Token authentication for scripts: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from accord.access.services import token_authenticate
from accord.core.errors import ErrorCode


class BearerTokenMiddleware:
    """Sets ``request.user`` from a bearer token; a bad token is refused with 401.

    Requests authenticated by token carry no cookies a browser would send on its own,
    so they are exempt from the CSRF check that session requests go through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, credentials = header.partition(" ")
            if scheme.lower() != "bearer" or not credentials.strip():
                return _unauthorised("Use 'Authorization: Bearer <token>'.")
            token = token_authenticate(credentials.strip())
            if token is None:
                return _unauthorised("This token is unknown or has been revoked.")
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

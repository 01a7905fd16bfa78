"""A request whose parameters hold a NUL character is refused before any view runs.

No text Accord stores or looks up may hold NUL (PostgreSQL's text cannot), so a query or
form parameter with one can only be malformed input: it answers 422 naming the parameter
(JSON under ``/api/``), instead of failing deep in a query. In what a request sends to be
stored (an API body, a form) NUL is a control character like the others, stripped on input:
``strip_nul`` does it where the API reads a body, forms refuse it themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from accord.core.errors import ErrorCode

NUL = "\x00"
# How JSON writes a NUL inside a string (a raw NUL byte is not JSON at all).
JSON_NUL = b"\\u0000"


def strip_nul(value: Any) -> Any:
    """``value`` (a JSON document) with NUL removed from every string and key."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, dict):
        return {strip_nul(key): strip_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [strip_nul(item) for item in value]
    return value


def _first_with_nul(request: HttpRequest) -> str | None:
    if NUL in request.path:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "")
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _first_with_nul(request)
        if name is None:
            return self.get_response(request)
        detail = f"Invalid input: parameter {name!r} holds a NUL character."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "code": str(ErrorCode.INVALID)}, status=422)
        return HttpResponse(detail, status=422, content_type="text/plain; charset=utf-8")

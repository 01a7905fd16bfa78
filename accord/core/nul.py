"""A request whose parameters or fields hold a NUL character is refused before any view runs.

No text Accord stores or looks up may hold NUL (PostgreSQL's text cannot), so a query
parameter, form field or JSON string with one can only be malformed input: it answers 422
naming the parameter or field (JSON under ``/api/``), instead of failing deep in a query.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from accord.core.errors import ErrorCode

NUL = "\x00"
# How JSON writes a NUL inside a string; a raw NUL byte is not JSON at all (the API
# answers 400 for it), so a body without this sequence needs no parsing here.
JSON_NUL = b"\\u0000"


def _with_nul(value: Any, where: str) -> Iterator[str]:
    """The JSON paths (``field.0.name``) whose key or string holds a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if NUL in str(key):
                yield path.replace(NUL, "")
            else:
                yield from _with_nul(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _with_nul(item, f"{where}.{index}" if where else str(index))


def _json_field_with_nul(request: HttpRequest) -> str | None:
    if not request.content_type or "json" not in request.content_type:
        return None
    body = request.body
    if JSON_NUL not in body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None  # not JSON: the API answers 400 for it
    return next(_with_nul(data, ""), None)


def _first_with_nul(request: HttpRequest) -> tuple[str, str] | None:
    if NUL in request.path:
        return "parameter", "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return "parameter", name.replace(NUL, "")
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            for name, values in request.POST.lists():
                if NUL in name or any(NUL in value for value in values):
                    return "field", name.replace(NUL, "")
        field = _json_field_with_nul(request)
    except Exception:  # too large or unreadable: the view meets it again and answers it
        return None
    return None if field is None else ("field", field or "body")


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _first_with_nul(request)
        if found is None:
            return self.get_response(request)
        kind, name = found
        detail = f"Invalid input: {kind} {name!r} holds a NUL character."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "code": str(ErrorCode.INVALID)}, status=422)
        return HttpResponse(detail, status=422, content_type="text/plain; charset=utf-8")

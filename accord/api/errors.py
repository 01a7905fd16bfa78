"""Every answer under ``/api/`` that is an error is JSON ``{"detail", "code"}``.

Errors raised inside a route go through the API's exception handlers (``base.py``); this
module covers what Django answers before or around the API: an unknown path (404), a
method a path does not take (405), a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), a
failed CSRF check, a server error outside a route. It also writes those answers into the
OpenAPI document, once for every operation, so a client (and the fuzzer) knows them.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as page_csrf_failure

from accord.core.errors import ErrorCode

API_PREFIX = "/api/"
_STATUSES = {status.value for status in HTTPStatus}

CODE_FOR_STATUS: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.AUTHENTICATION_REQUIRED,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.TOO_LARGE,
    422: ErrorCode.INVALID,
}

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "code": {"type": "string", "description": "What went wrong, for a program."},
        "errors": {"description": "The problems one by one, where there are several."},
    },
    "required": ["detail", "code"],
}

# The answers every operation may give, and those only some give.
ANY_OPERATION = {
    401: "The token is unknown, revoked or malformed, or the route needs one.",
    403: "You may not do this, or may not see this record.",
    404: "A record the path or a parameter names does not exist, or is hidden from you.",
    422: "A parameter or field is malformed or out of range; `detail` names it.",
    429: "Too many failed sign-ins for this user or from this address: refused for a while.",
    500: "An unexpected error, logged on the server.",
}
# Answered by the HTTP server (gunicorn) before the request reaches Accord, so not JSON.
FRONT_SERVER = {414: "The request line (path and query) is longer than the server reads."}
WITH_BODY = {
    400: "The body cannot be read (malformed JSON or multipart).",
    413: "The body is larger than the server accepts.",
}
WRITES = {409: "The `version` sent is stale, or the change clashes with another record."}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_response(status: int, detail: str, code: str | None = None, **extra: Any) -> JsonResponse:
    code = code or str(CODE_FOR_STATUS.get(status, ErrorCode.SERVER_ERROR))
    return JsonResponse({"detail": detail, "code": str(code), **extra}, status=status)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the standard error answers to every operation of an OpenAPI document.

    An answer a route documents itself (``response={422: ...}``) is kept as it is.
    """
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = dict(ANY_OPERATION)
            if "requestBody" in operation:
                answers |= WITH_BODY
            if method in WRITE_METHODS:
                answers |= WRITES
            responses = operation["responses"]
            for status, description in sorted(answers.items()):
                responses.setdefault(status, {"description": description, "content": content})
            for status, description in FRONT_SERVER.items():
                responses.setdefault(status, {"description": description})
    return schema


class ApiErrorsAsJson:
    """Turns an error that Django (not a route) answered under ``/api/`` into JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        detail = HTTPStatus(status).phrase if status in _STATUSES else "Error"
        if status == 404:
            detail = f"No API route answers {request.path}; see /api/v1/docs."
        elif status == 405:
            detail = f"{request.method} is not allowed here; use {response.get('Allow', '')}."
        elif status == 413:
            detail = "The request is larger than the server accepts."
        json = error_response(status, detail)
        for header in ("Allow", "WWW-Authenticate"):
            if header in response:
                json[header] = response[header]
        return json


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: JSON under ``/api/``, Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return error_response(
            403,
            "CSRF check failed: send the X-CSRFToken header, or a bearer token.",
            ErrorCode.CSRF_FAILED,
        )
    return page_csrf_failure(request, reason=reason)

"""The JSON API's one NinjaAPI instance, its error handling and its authentication.

Conventions every route follows:
- lists answer ``{"count": N, "items": [...]}`` and take ``limit`` and ``offset``;
- records are named by their natural keys where they have one;
- writable records carry an integer ``version``; a write based on a stale one gets 409;
- unknown things answer 404, malformed parameters 422, refusals 401 or 403, each with a
  JSON ``detail`` message; never 500 for bad input.
"""

from __future__ import annotations

import logging
from typing import Any

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.utils import check_csrf

from accord.api.errors import CODE_FOR_STATUS, document_errors
from accord.api.renderer import FastJSONRenderer
from accord.core.errors import AccordError, ErrorCode
from accord.core.nul import JSON_NUL, strip_nul
from accord.core.services import validation_message

logger = logging.getLogger("accord.api")


class NulStrippingParser(Parser):
    """Reads bodies and forms as ninja does, NUL removed from every string (as the other
    control characters are when a record is cleaned): PostgreSQL's text cannot hold it,
    and a lookup by a key holding one must find nothing, not fail."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        return strip_nul(data) if JSON_NUL in request.body else data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> Any:
        return strip_nul(super().parse_querydict(data, list_fields, request))


class AccordAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document lists the error answers of every operation."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(**kwargs))


api = AccordAPI(
    title="Accord API",
    version="1",
    description=(
        "The record and follow-up of a strategic cooperation framework on migration. "
        "Send `Authorization: Bearer <token>` (from `accord token create USERNAME`) to act "
        "as a user; without it you read what is public."
    ),
    urls_namespace="api",
    docs_url="/docs",
    parser=NulStrippingParser(),
    renderer=FastJSONRenderer(),
)


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(AccordError)
def _accord_error(request: HttpRequest, error: AccordError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.status)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    problems = []
    for item in error.errors:
        location = [str(part) for part in item.get("loc", [])]
        where, name = (location[0], ".".join(location[1:])) if location else ("input", "")
        if where == "body" and len(location) > 2:
            name = ".".join(location[2:])  # drop the payload argument's own name
        label = {"query": "query parameter", "path": "path parameter", "body": "field"}.get(
            where, where
        )
        problems.append(f"{label} {name!r}: {item.get('msg', 'invalid')}")
    return _error(
        request,
        422,
        "Invalid input: " + "; ".join(problems),
        ErrorCode.INVALID,
        errors=error.errors,
    )


@api.exception_handler(ValidationError)
def _model_invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return _error(request, 422, validation_message(error), ErrorCode.INVALID)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, str(error) or "Not found.", ErrorCode.NOT_FOUND)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(error) or "You may not do this.", ErrorCode.PERMISSION_DENIED)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        "Authentication required: send 'Authorization: Bearer <token>' "
        "(create one with 'accord token create USERNAME').",
        ErrorCode.AUTHENTICATION_REQUIRED,
    )
    response["WWW-Authenticate"] = 'Bearer realm="accord"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    code = CODE_FOR_STATUS.get(error.status_code, ErrorCode.BAD_REQUEST)
    return _error(request, error.status_code, str(error), code)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(
        request, 413, f"The request body is larger than {limit} bytes.", ErrorCode.TOO_LARGE
    )


def _bad_request(request: HttpRequest, error: object) -> HttpResponse:
    return _error(request, 400, f"The request cannot be read: {error}", ErrorCode.BAD_REQUEST)


# A malformed body (multipart without a boundary, too many fields, ...).
for _unreadable in (SuspiciousOperation, MultiPartParserError, UnreadablePostError):
    api.add_exception_handler(_unreadable, _bad_request)


@api.exception_handler(DefusedXmlException)
def _unsafe_xml(request: HttpRequest, error: DefusedXmlException) -> HttpResponse:
    # openpyxl reads a workbook's XML through defusedxml, which refuses DTDs and entities.
    return _error(
        request,
        422,
        f"The file is refused: it declares a DTD or entities ({error}).",
        ErrorCode.IMPORT_REJECTED,
    )


@api.exception_handler(IntegrityError)
def _clash(request: HttpRequest, error: IntegrityError) -> HttpResponse:
    # Services check uniqueness first; this is the database's word when two writes race.
    logger.warning("Integrity error on %s %s: %s", request.method, request.path, error)
    return _error(
        request,
        409,
        "The change clashes with a record that exists already (a value that must be unique).",
        ErrorCode.CONFLICT,
    )


@api.exception_handler(OverflowError)
def _out_of_range(request: HttpRequest, error: OverflowError) -> HttpResponse:
    # An integer past the database's 64 bits that a route did not bound (SQLite refuses it).
    logger.warning("Integer out of range on %s %s: %s", request.method, request.path, error)
    return _error(
        request, 422, "Invalid input: a number is larger than the record allows.", ErrorCode.INVALID
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("Unexpected error on %s %s", request.method, request.path)
    return _error(
        request,
        500,
        "An unexpected error occurred; it has been logged.",
        ErrorCode.SERVER_ERROR,
    )


def authenticated(request: HttpRequest) -> Any:
    """Ninja auth for writes: a bearer token, or a browser session with its CSRF token."""
    user = request.user
    if not user.is_authenticated:
        return None
    if getattr(request, "api_token", None) is None:
        refusal = check_csrf(request)
        if refusal is not None:
            raise AccordError(
                "CSRF check failed: send the X-CSRFToken header, or a bearer token.",
                code=ErrorCode.CSRF_FAILED,
            )
    return user

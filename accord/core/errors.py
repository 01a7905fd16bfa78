"""Errors that services raise and that pages and the API turn into the same message.

Each error carries a code from :class:`ErrorCode`, so a client can act on the code and
a person can read the message; the HTTP status follows from the code.
"""

from __future__ import annotations

from enum import StrEnum
from http import HTTPStatus


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    AUTHENTICATION_REQUIRED = "authentication_required"
    INVALID = "invalid"
    CONFLICT = "conflict"
    IMPORT_REJECTED = "import_rejected"
    LOCKED_OUT = "locked_out"
    BAD_REQUEST = "bad_request"
    CSRF_FAILED = "csrf_failed"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    TOO_LARGE = "too_large"
    SERVER_ERROR = "server_error"


STATUS_FOR_CODE: dict[ErrorCode, int] = {
    ErrorCode.NOT_FOUND: HTTPStatus.NOT_FOUND,
    ErrorCode.PERMISSION_DENIED: HTTPStatus.FORBIDDEN,
    ErrorCode.AUTHENTICATION_REQUIRED: HTTPStatus.UNAUTHORIZED,
    ErrorCode.INVALID: HTTPStatus.UNPROCESSABLE_ENTITY,
    ErrorCode.CONFLICT: HTTPStatus.CONFLICT,
    ErrorCode.IMPORT_REJECTED: HTTPStatus.UNPROCESSABLE_ENTITY,
    ErrorCode.LOCKED_OUT: HTTPStatus.TOO_MANY_REQUESTS,
    ErrorCode.BAD_REQUEST: HTTPStatus.BAD_REQUEST,
    ErrorCode.CSRF_FAILED: HTTPStatus.FORBIDDEN,
    ErrorCode.METHOD_NOT_ALLOWED: HTTPStatus.METHOD_NOT_ALLOWED,
    ErrorCode.TOO_LARGE: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    ErrorCode.SERVER_ERROR: HTTPStatus.INTERNAL_SERVER_ERROR,
}


class AccordError(Exception):
    """A refusal a person can read: what went wrong, in the domain's words."""

    code: ErrorCode = ErrorCode.INVALID

    def __init__(self, message: str, *, code: ErrorCode | None = None, details: object = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    @property
    def status(self) -> int:
        return STATUS_FOR_CODE[self.code]

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"detail": self.message, "code": str(self.code)}
        if self.details is not None:
            body["errors"] = self.details
        return body


class NotFound(AccordError):
    code = ErrorCode.NOT_FOUND


class Conflict(AccordError):
    """A write based on a version of a record that someone else has changed since."""

    code = ErrorCode.CONFLICT


class Invalid(AccordError):
    code = ErrorCode.INVALID

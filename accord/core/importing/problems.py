"""What an import says about a file: its problems, its refusal and its report.

A *problem* names where it is (the record: an activity identifier or a row; the file
line; the field or column; the value read), what is wrong and what Accord did about it.
An *error* refuses the whole file (:class:`ImportRejected`); a *warning* is imported,
kept with the import run and with the record, and listed in the report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accord.core.errors import AccordError, ErrorCode

# A report lists at most this many problems of each kind; the counts are always whole.
MAX_LISTED = 200


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem of a file: ``line`` 0 means the file as a whole."""

    line: int
    field: str
    message: str
    value: str = ""
    record: str = ""
    action: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""
    publisher: str = ""

    @property
    def column(self) -> str:
        return self.field

    def as_warning(self) -> Problem:
        return Problem(
            self.line,
            self.field,
            self.message,
            value=self.value,
            record=self.record,
            action=self.action,
            severity=Severity.WARNING,
            code=self.code,
            publisher=self.publisher,
        )

    def as_strict_error(self) -> Problem:
        """The warning as an error refusing the file (``--strict``)."""
        return Problem(
            self.line,
            self.field,
            self.message,
            value=self.value,
            record=self.record,
            action="refused (strict)",
            severity=Severity.ERROR,
            code=self.code,
            publisher=self.publisher,
        )

    def __str__(self) -> str:
        parts = [f"line {self.line}" if self.line else "file"]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(f"column {self.field!r}" + (f" = {self.value!r}" if self.value else ""))
        elif self.value:
            parts.append(repr(self.value))
        text = ", ".join(parts) + f": {self.message}"
        if self.action:
            text += f" ({self.action})"
        return text

    def as_dict(self) -> dict[str, Any]:
        """``{line, column, message}``, plus what else is known (record, value, action,
        code) and ``severity`` for a warning."""
        body: dict[str, Any] = {"line": self.line, "column": self.field, "message": self.message}
        for key in ("record", "value", "action", "code"):
            if getattr(self, key):
                body[key] = getattr(self, key)
        if self.severity != Severity.ERROR:
            body["severity"] = str(self.severity)
        return body


class ImportRejected(AccordError):
    """The file as a whole is refused; nothing was written.

    ``problems`` are the errors found (as many as were read before giving up); the API
    answers them as ``errors``, one ``{line, column, message, ...}`` each.
    """

    code = ErrorCode.IMPORT_REJECTED

    def __init__(
        self,
        message: str,
        *,
        problems: list[Problem] | None = None,
        details: object = None,
        code: ErrorCode | None = None,
    ):
        self.problems = list(problems or [])
        if details is None and self.problems:
            details = [p.as_dict() for p in self.problems[:MAX_LISTED]]
        super().__init__(message, code=code, details=details)

    def lines(self) -> list[str]:
        """The refusal as lines of text, for the command line."""
        lines = [self.message]
        if self.problems:
            lines += [f"  {problem}" for problem in self.problems[:MAX_LISTED]]
        elif isinstance(self.details, list):
            for item in self.details[:MAX_LISTED]:
                if isinstance(item, dict):
                    item = Problem(
                        int(item.get("line") or 0),
                        str(item.get("column") or item.get("field") or ""),
                        str(item.get("message") or ""),
                    )
                lines.append(f"  {item}")
        return lines


class BoundExceeded(ImportRejected):
    """A file past one of the import bounds (``ACCORD_IMPORT_*``): refused, naming it."""

    def __init__(self, setting: str, limit: object, what: str, *, line: int = 0):
        self.setting = setting
        self.limit = limit
        message = (
            f"The file exceeds the import bound {setting} ({limit}): {what}. Nothing was imported."
        )
        super().__init__(
            message, problems=[Problem(line, "", f"{what}; bound {setting} = {limit}")]
        )


@dataclass
class ImportReport:
    """What an import did: the counts, the records skipped and the warnings.

    ``created``, ``updated`` and ``unchanged`` count records written or left as they
    were; ``skipped`` and ``warnings`` list problems (:class:`Problem`) that did not
    refuse the file. ``by_publisher`` counts warnings per publisher.
    """

    kind: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    by_publisher: Counter[str] = field(default_factory=Counter)
    strict: bool = False
    dry_run: bool = False
    run_id: int | None = None

    def warn(self, problem: Problem) -> None:
        """Keep a soft problem; under ``strict`` it is an error that refuses the file."""
        if self.strict:
            self.errors.append(problem.as_strict_error())
            return
        warning = problem.as_warning()
        self.warnings.append(warning)
        self.by_publisher[warning.publisher or "-"] += 1

    def error(self, problem: Problem) -> None:
        self.errors.append(problem)

    def skip(self, problem: Problem) -> None:
        self.skipped.append(problem)

    def add_counts(self, *, created: int = 0, updated: int = 0, unchanged: int = 0) -> None:
        self.created += created
        self.updated += updated
        self.unchanged += unchanged

    def refuse_if_errors(self) -> None:
        """Raise :class:`ImportRejected` with every error found so far, if any."""
        if not self.errors:
            return
        count = len(self.errors)
        raise ImportRejected(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.",
            problems=self.errors,
        )

    def publisher_counts(self) -> list[tuple[str, int]]:
        """Warnings per publisher, by name."""
        return sorted(self.by_publisher.items())

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "warnings": len(self.warnings),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "skipped_reasons": [str(p) for p in self.skipped[:MAX_LISTED]],
            "problems": [p.as_dict() for p in (self.skipped + self.warnings)[:MAX_LISTED]],
            "warnings_by_publisher": dict(sorted(self.by_publisher.items())),
            "errors": [str(p) for p in self.errors[:MAX_LISTED]],
            "dry_run": self.dry_run,
            "run": self.run_id,
        }

    def lines(self) -> list[str]:
        """The report for the command line: the counts always, then each problem."""
        c = self.counts()
        lines = [
            f"created {c['created']}, updated {c['updated']}, unchanged {c['unchanged']}, "
            f"skipped {c['skipped']}, warnings {c['warnings']}"
        ]
        lines += [f"  skipped: {p}" for p in self.skipped[:MAX_LISTED]]
        lines += [f"  warning: {p}" for p in self.warnings[:MAX_LISTED]]
        listed = len(self.skipped[:MAX_LISTED]) + len(self.warnings[:MAX_LISTED])
        if listed < len(self.skipped) + len(self.warnings):
            lines.append(f"  ... and {len(self.skipped) + len(self.warnings) - listed} more")
        if len(self.by_publisher) > 1 or (self.by_publisher and "-" not in self.by_publisher):
            lines.append(
                "warnings by publisher: "
                + ", ".join(f"{name} {n}" for name, n in sorted(self.by_publisher.items()))
            )
        if self.dry_run:
            lines.append("Dry run: nothing written.")
        return lines

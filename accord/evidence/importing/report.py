"""What an import of figures answers: the problems that refuse a file, the warnings it
keeps, and the report of what was done."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.core.errors import AccordError, ErrorCode

MAX_REPORTED_PROBLEMS = 200


class ImportRejected(AccordError):
    """The file was refused; ``details`` lists each bad row and column."""

    code = ErrorCode.IMPORT_REJECTED


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    value: str = ""
    rows: int = 1

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        more = f" (and {self.rows - 1} more rows)" if self.rows > 1 else ""
        return f"{where}{more}, column {self.column!r}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    def warning_dict(self) -> dict[str, Any]:
        """A warning also names the value it is about and how many rows share it."""
        return {**self.as_dict(), "value": self.value, "rows": self.rows}


def rejected(message: str, problems: list[Problem]) -> ImportRejected:
    return ImportRejected(message, details=[problem.as_dict() for problem in problems])


@dataclass
class ImportReport:
    dataset: str
    kind: str
    rows: int = 0
    version: int = 0
    replaced: int = 0
    places_added: int = 0
    skipped: int = 0
    unchanged: bool = False
    dry_run: bool = False
    message: str = ""
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        if self.unchanged:
            return (
                f"Dataset {self.dataset!r}: same content as version {self.version}; "
                "nothing changed."
            )
        text = (
            f"Dataset {self.dataset!r} version {self.version}: {self.rows} observations "
            f"imported ({self.kind})"
        )
        if self.replaced:
            text += f", replacing {self.replaced} of the previous version (kept, restorable)"
        if self.places_added:
            text += f", {self.places_added} places added"
        text += f"; {self.skipped} rows skipped, {len(self.warnings)} warnings."
        if self.message:
            text += f" {self.message}"
        if self.dry_run:
            text += " Dry run: nothing written."
        return text

    def lines(self) -> list[str]:
        """The summary, then one line per warning."""
        return [self.summary(), *(f"  warning: {warning}" for warning in self.warnings)]

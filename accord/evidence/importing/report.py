"""What an import of figures answers: the problems (core's) that refuse a file, the
warnings it keeps, and the report of what was done, with the dataset's version."""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.core.importing import ImportRejected, Problem
from accord.core.importing.problems import MAX_LISTED

MAX_REPORTED_PROBLEMS = MAX_LISTED
__all__ = ["ImportRejected", "ImportReport", "Problem", "aggregated", "rejected"]


def rejected(message: str, problems: list[Problem]) -> ImportRejected:
    return ImportRejected(message, problems=problems)


def aggregated(problem: Problem, rows: int) -> Problem:
    """A warning about ``rows`` rows that share one value, named by the first's line."""
    if rows <= 1:
        return problem
    return Problem(
        problem.line, problem.field, problem.message, value=problem.value, record=f"{rows} rows"
    )


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
    run_id: int | None = None  # the import's run (core's ImportRun)

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
        text += (
            f"; created {self.rows}, updated 0, unchanged 0, skipped {self.skipped}, "
            f"warnings {len(self.warnings)}."
        )
        if self.message:
            text += f" {self.message}"
        if self.dry_run:
            text += " Dry run: nothing written."
        return text

    def lines(self) -> list[str]:
        """The summary, then one line per warning."""
        return [self.summary(), *(f"  warning: {warning}" for warning in self.warnings)]

"""What ``accord import iati|initiatives`` and ``accord export initiatives`` run."""

from __future__ import annotations

from typing import Any

from accord.commitments.iati import import_iati
from accord.commitments.models import Initiative
from accord.commitments.spreadsheet import export_initiatives, import_initiatives
from accord.core.errors import Invalid
from accord.core.importing import ImportReport


def _write_report(report: ImportReport, stdout: Any) -> None:
    for line in report.lines():
        stdout.write(line)


def import_iati_command(path: str, options: dict[str, Any], stdout: Any) -> None:
    report = import_iati(
        path, dry_run=bool(options.get("dry_run")), strict=bool(options.get("strict"))
    )
    _write_report(report, stdout)


def import_initiatives_command(path: str, options: dict[str, Any], stdout: Any) -> None:
    report = import_initiatives(
        path, dry_run=bool(options.get("dry_run")), strict=bool(options.get("strict"))
    )
    _write_report(report, stdout)


def export_initiatives_command(options: dict[str, Any], stdout: Any) -> None:
    """The command line runs as the operator of the installation: every initiative."""
    if not options.get("output"):
        raise Invalid("An initiatives export needs --output FILE.")
    with open(options["output"], "wb") as output:
        count = export_initiatives(
            Initiative.objects.all(), output, file_format=options.get("format") or "csv"
        )
    stdout.write(f"{count} initiatives written to {options['output']}")

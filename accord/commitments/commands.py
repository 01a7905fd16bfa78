"""What ``accord import iati|initiatives`` and ``accord export initiatives|iati`` run."""

from __future__ import annotations

from typing import Any

from accord.access.services import command_actor
from accord.commitments.iati import import_iati
from accord.commitments.models import Initiative
from accord.commitments.spreadsheet import export_initiatives, import_initiatives
from accord.core.errors import Invalid
from accord.core.importing import ImportReport


def _write_report(report: ImportReport, stdout: Any) -> None:
    for line in report.lines():
        stdout.write(line)


def import_iati_command(path: str, options: dict[str, Any], stdout: Any) -> None:
    """As ``--as USERNAME`` may write; without it, with the operator's full rights."""
    actor = command_actor(options.get("username"))
    report = import_iati(
        path,
        dry_run=bool(options.get("dry_run")),
        strict=bool(options.get("strict")),
        actor=actor,
    )
    _write_report(report, stdout)


def import_initiatives_command(path: str, options: dict[str, Any], stdout: Any) -> None:
    actor = command_actor(options.get("username"))
    report = import_initiatives(
        path,
        dry_run=bool(options.get("dry_run")),
        strict=bool(options.get("strict")),
        actor=actor,
    )
    _write_report(report, stdout)


def export_initiatives_command(options: dict[str, Any], stdout: Any) -> int:
    """The initiatives ``--as USERNAME`` may read; without it, the public ones."""
    if not options.get("output"):
        raise Invalid("An initiatives export needs --output FILE.")
    readable = Initiative.objects.visible_to(command_actor(options.get("username")))
    with open(options["output"], "wb") as output:
        count = export_initiatives(readable, output, file_format=options.get("format") or "csv")
    stdout.write(f"{count} initiatives written to {options['output']}")
    return count

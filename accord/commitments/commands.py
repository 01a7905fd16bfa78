"""What ``accord import iati|initiatives`` and ``accord export initiatives|iati`` run."""

from __future__ import annotations

import os
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


def export_iati_command(options: dict[str, Any], stdout: Any) -> None:
    """``accord export iati -o FILE``: the initiatives as ``--as`` reads them (default: a
    public reader), with ``--filter`` as on the list page, in IATI 2.03 XML."""
    from accord.commitments.iati_export import export_iati
    from accord.commitments.import_views import no_iati_reason
    from accord.commitments.selectors import InitiativeFilters, initiatives_filtered
    from accord.reports.exports import INITIATIVE_FILTERS
    from accord.reports.services import export_record

    if not options.get("output"):
        raise Invalid("An IATI export needs --output FILE.")
    user = command_actor(options.get("username"))
    filters: dict[str, str] = {}
    for item in options.get("filter") or []:
        name, _sep, value = item.partition("=")
        if name not in INITIATIVE_FILTERS:
            raise Invalid(f"No filter {name!r}; use {', '.join(INITIATIVE_FILTERS)}.")
        filters[name] = value
    chosen = {name: filters.get(name) or None for name in INITIATIVE_FILTERS}
    queryset = initiatives_filtered(user=user, filters=InitiativeFilters(**chosen))
    with open(options["output"], "wb") as output:
        result = export_iati(queryset, output)
    if not result.written:
        os.unlink(options["output"])
        raise Invalid(no_iati_reason(result.left_out))
    export_record(
        user=None,
        kind="initiatives",
        fmt="iati",
        filters=filters,
        rows=result.written,
        via="command",
    )
    stdout.write(
        f"{result.written} initiatives written to {options['output']} (IATI 2.03); "
        f"{result.left_out} left out: their partner has no IATI organisation identifier"
    )

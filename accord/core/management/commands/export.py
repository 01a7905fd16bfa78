"""``accord export KIND``: one command, one exporter per kind of record.

Each domain registers its exporter below as a dotted path to a callable
``(options, stdout)``; the exporter reads through its app's selectors.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from accord.core.errors import AccordError

EXPORTERS: dict[str, str] = {
    "meetings": "accord.reports.exports.export_meetings_command",
    "action-points": "accord.reports.exports.export_action_points_command",
    "initiatives": "accord.reports.exports.export_initiatives_command",
    "iati": "accord.reports.iati.export_iati_command",
    "observations": "accord.reports.exports.export_observations_command",
    "decisions": "accord.reports.exports.export_decisions_command",
    "partners": "accord.reports.list_exports.export_partners_command",
    "commitments": "accord.reports.list_exports.export_commitments_command",
    "coverage": "accord.reports.list_exports.export_coverage_command",
    "cycles": "accord.reports.list_exports.export_cycles_command",
    "cycle-entries": "accord.reports.list_exports.export_cycle_entries_command",
    "indicators": "accord.reports.list_exports.export_indicators_command",
}


class Command(BaseCommand):
    help = "Export records: " + ", ".join(sorted(EXPORTERS)) + "."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(EXPORTERS))
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--format", choices=["csv", "xlsx", "json", "sdmx-csv"], default="csv")
        parser.add_argument(
            "--as", dest="username", default="", help="read as this user (default: public)"
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a filter of the list page (tier=som, status=open, owner=IOM)",
        )
        parser.add_argument("--indicator", help="observations: the indicator code")
        parser.add_argument("--place", help="observations: only this place")

    def handle(self, *args: Any, **options: Any) -> None:
        exporter = import_string(EXPORTERS[options["kind"]])
        try:
            exporter(options, self.stdout)
        except AccordError as error:
            raise CommandError(error.message) from error

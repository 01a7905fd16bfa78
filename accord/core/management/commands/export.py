"""``accord export KIND``: every export, by kind; each app adds its kind below."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# kind -> "module.callable"; the callable takes (options, stdout).
EXPORTERS: dict[str, str] = {
    "initiatives": "accord.commitments.commands.export_initiatives_command",
}


class Command(BaseCommand):
    help = "Export records of the given kind: " + ", ".join(sorted(EXPORTERS))

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(EXPORTERS))
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        import_string(EXPORTERS[options["kind"]])(options, self.stdout)

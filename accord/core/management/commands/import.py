"""``accord import KIND FILE``: every import, by kind; each app adds its kind below."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from accord.core.errors import AccordError

# kind -> "module.callable"; the callable takes (path, options, stdout) and writes its
# summary to stdout. All or nothing: it raises an AccordError and writes nothing on a
# bad file.
IMPORTERS: dict[str, str] = {
    "iati": "accord.commitments.commands.import_iati_command",
    "initiatives": "accord.commitments.commands.import_initiatives_command",
}


class Command(BaseCommand):
    help = "Import a file of the given kind (all or nothing): " + ", ".join(sorted(IMPORTERS))

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        importer = import_string(IMPORTERS[options["kind"]])
        try:
            importer(options["file"], options, self.stdout)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {options['file']}") from error
        except AccordError as error:
            details = error.details if isinstance(error.details, list) else []
            raise CommandError("\n".join([error.message, *map(str, details)])) from error

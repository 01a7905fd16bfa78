"""``accord import KIND FILE``: one command, one importer per kind of file.

Each domain registers its importer below as a dotted path to a callable
``(path, options, stdout)``; the importer does the work through its app's services.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from accord.core.errors import AccordError
from accord.core.importing import ImportRejected

IMPORTERS: dict[str, str] = {
    "iati": "accord.commitments.commands.import_iati_command",
    "initiatives": "accord.commitments.commands.import_initiatives_command",
    "observations": "accord.evidence.importing.import_observations_command",
    "indicator-meta": "accord.evidence.metadata.import_indicator_meta_command",
}


class Command(BaseCommand):
    help = "Import a file: " + ", ".join(sorted(IMPORTERS)) + "."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")
        parser.add_argument(
            "--strict", action="store_true", help="refuse the file on any warning too"
        )
        parser.add_argument("--indicator", help="observations: the indicator code of every row")
        parser.add_argument("--place", help="observations: the place of every row")
        parser.add_argument("--source", help="the source of the data")
        parser.add_argument("--licence", help="the licence of the data")
        parser.add_argument("--dataset", help="the dataset's name (default: the file name)")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="import as this user, with their rights (default: the operator's full rights)",
        )
        parser.add_argument(
            "--period-column",
            help="observations: the column holding the period, when it is not TIME_PERIOD/Year",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        importer = import_string(IMPORTERS[options["kind"]])
        try:
            importer(options["file"], options, self.stdout)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {options['file']}") from error
        except ImportRejected as error:
            raise CommandError("\n".join(error.lines())) from error
        except AccordError as error:
            raise CommandError(error.message) from error

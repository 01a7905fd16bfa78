"""``accord restore FILE``: fill an empty database and data directory from a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.core.backup import restore_read
from accord.core.errors import AccordError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and data directory, then migrate."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No archive at {path}.")
        try:
            report = restore_read(path)
        except AccordError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Restored {report.tables} tables ({report.rows} rows) and {report.files} files."
        )
        if report.migrated:
            self.stdout.write(f"Migrated from an older version: {', '.join(report.migrated)}.")

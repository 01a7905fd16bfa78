"""``accord backup FILE``: the database, the uploaded files and a manifest, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.core.backup import backup_write
from accord.core.errors import AccordError


class Command(BaseCommand):
    help = "Write a backup archive to FILE (exactly that file; written whole or not at all)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_write(Path(options["file"]))
        except AccordError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Backed up {report.tables} tables ({report.rows} rows) and {report.files} files "
            f"to {report.path}."
        )

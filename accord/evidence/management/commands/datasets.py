"""``accord datasets``: list the datasets of observations and their versions, or
restore an earlier version (``--restore NAME VERSION``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.access.services import command_actor
from accord.core.errors import AccordError
from accord.evidence import selectors, services


class Command(BaseCommand):
    help = "List datasets of observations and their versions; restore an earlier version."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--restore",
            nargs=2,
            metavar=("NAME", "VERSION"),
            help="make this version of the dataset current again",
        )
        parser.add_argument(
            "--as", dest="username", default="", help="list as this user reads (default: public)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["restore"]:
            name, number = options["restore"]
            try:
                dataset = services.dataset_get(name)
                version = services.dataset_restore(dataset=dataset, number=int(number))
            except (AccordError, ValueError) as error:
                raise CommandError(getattr(error, "message", str(error))) from error
            self.stdout.write(f"Dataset {name!r}: version {version.number} is current again.")
            return
        try:
            reader = command_actor(options.get("username"))
        except AccordError as error:
            raise CommandError(error.message) from error
        for dataset in selectors.dataset_list(user=reader):
            self.stdout.write(f"{dataset.name} ({dataset.get_kind_display()})")
            for version in dataset.versions.all():
                mark = "*" if version.is_current else " "
                self.stdout.write(
                    f" {mark} v{version.number}: {version.file_name}, {version.rows} rows, "
                    f"{version.imported_at:%Y-%m-%d %H:%M}, sha256 {version.checksum[:12]}"
                )

"""``accord load-reference``: load the reference record, idempotently."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from accord.reference import framework_facts

# Each domain app contributes one loader, run in this order (later ones refer to earlier).
LOADERS = [
    "accord.partners.reference.load",
    "accord.meetings.reference.load",
    "accord.evidence.reference.load",
    "accord.commitments.reference.load",
]


class Command(BaseCommand):
    help = "Load the reference record (framework, partners, meetings, ...) into the database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Load, report, then roll everything back."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = framework_facts()
        with transaction.atomic():
            for path in LOADERS:
                counts = import_string(path)(data)
                summary = ", ".join(f"{count} {what}" for what, count in counts.items())
                self.stdout.write(f"{path.split('.')[1]}: {summary}")
            if options["dry_run"]:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: nothing written.")
                return
            # The loaders write in bulk: the search index is rebuilt from what they wrote.
            if apps.is_installed("accord.search"):
                call_command("search", "reindex", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Reference record loaded."))

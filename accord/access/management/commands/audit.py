"""``accord audit prune``: clear the addresses of audit events older than the set days."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accord.access.retention import audit_addresses_prune


class Command(BaseCommand):
    help = "The audit log: accord audit prune [--days N] clears old addresses."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        prune = sub.add_parser(
            "prune", help="Clear addresses older than ACCORD_AUDIT_ADDRESS_DAYS."
        )
        prune.add_argument("--days", type=int, default=settings.ACCORD_AUDIT_ADDRESS_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        cleared = audit_addresses_prune(days=options["days"])
        self.stdout.write(
            f"Cleared the address of {cleared} audit event(s) older than {options['days']} days."
        )

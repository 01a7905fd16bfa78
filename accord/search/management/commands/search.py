"""``accord search reindex [--kind KIND]``: rebuild the search index from the records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from accord.search.indexing import reindex
from accord.search.models import Kind


class Command(BaseCommand):
    help = "The search index: accord search reindex [--kind KIND ...] rebuilds it."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("reindex", help="Rebuild the index (of these kinds only).")
        rebuild.add_argument(
            "--kind", action="append", choices=Kind.values, help="Only this kind (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        counts = reindex(options.get("kind"))
        seconds = time.perf_counter() - start
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(f"Search index rebuilt in {seconds:.1f} s: {summary}.")

"""``accord partition-observations``: the observations partitioned by indicator (PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.evidence.partitioning import PartitioningRefused, observations_partition


class Command(BaseCommand):
    help = (
        "Turn the observations table into one partitioned by hash of indicator "
        "(PostgreSQL, one transaction; the table is locked while its rows are copied)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partitions", type=int, default=16, help="How many (2-1024).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = observations_partition(partitions=options["partitions"])
        except PartitioningRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Observations partitioned by indicator: {done.rows} rows"
            f" in {done.partitions} partitions."
        )

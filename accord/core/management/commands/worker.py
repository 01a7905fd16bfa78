"""``accord worker``: run the background work (django-q2's cluster on the database queue).

``--once`` runs what is due now (the periodic jobs whose turn has come, the tasks
queued) in this process, then exits: for cron and for tests.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accord.core.worker import run_once, schedules_sync


class Command(BaseCommand):
    help = "Run the background work: periodic jobs and queued tasks (--once: what is due now)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run what is due now in this process, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            done = run_once()
            self.stdout.write(f"Worker: {len(done.done)} task(s) done, {len(done.failed)} failed")
            if done.failed:
                self.stderr.write("Failed: " + ", ".join(done.failed))
            return
        jobs = schedules_sync()
        self.stdout.write(f"Worker started: {jobs} periodic job(s) (Ctrl-C stops it)")
        self.stdout.flush()
        call_command("qcluster")

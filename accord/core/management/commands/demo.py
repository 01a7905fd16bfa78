"""``accord demo``: migrate, load the reference record and demo accounts, then serve, with
the worker (reminders, digests, the outbox) running beside the server."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accord.core.demo import DEMO_PASSWORD, demo_accounts_ensure


class Command(BaseCommand):
    help = "Load the reference record and demo accounts into the database, then serve."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default=settings.ACCORD_ADDR)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data, do not serve."
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve without the background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        accounts = demo_accounts_ensure()
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<14} {description}")
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        if options["no_serve"]:
            return
        worker = None
        if not options["no_worker"]:
            # The worker is its own process (django-q's cluster), stopped with the server.
            worker = subprocess.Popen([sys.executable, "-m", "accord.cli", "worker"])
            self.stdout.write(f"Worker running (process {worker.pid}); mail goes to the outbox")
        try:
            call_command("serve", addr=options["addr"])
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()

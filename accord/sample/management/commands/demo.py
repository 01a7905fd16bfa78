"""``accord demo``: migrate, load the reference record, the demo accounts and the sample
scenario, say what was loaded, then serve, with the worker (reminders, digests, the outbox)
running beside the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accord.core.demo import DEMO_PASSWORD, demo_accounts_ensure
from accord.core.server import serve
from accord.sample.marking import sample_counts
from accord.sample.real_activity import real_activity_import
from accord.sample.scenario import sample_load, sample_reset
from accord.sample.tries import ROLE_TRIES


class Command(BaseCommand):
    help = (
        "Load the reference record, the demo accounts and the sample scenario (once), then serve."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default=settings.ACCORD_ADDR)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data, do not serve."
        )
        parser.add_argument(
            "--reset-sample",
            action="store_true",
            help="Delete the sample records and load them again, dated from today.",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve without the background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        accounts = demo_accounts_ensure()
        activity = real_activity_import()
        if activity:
            self.stdout.write(f"IATI: {activity}")
        if options["reset_sample"]:
            counts = sample_reset()
            call_command("worker", "--once", stdout=self.stdout)
            self.stdout.write("Sample scenario reloaded, dated from today:")
        else:
            loaded = sample_load()
            if loaded is not None:
                # What the scenario's events notify goes out now: the outbox has mail to read.
                call_command("worker", "--once", stdout=self.stdout)
            counts = loaded if loaded is not None else sample_counts()
            self.stdout.write(
                "Sample scenario loaded, dated from today:"
                if loaded is not None
                else "Sample scenario already loaded, kept as it is (--reset-sample renews it):"
            )
        self.stdout.write(
            "  " + ", ".join(f"{count} {name}" for name, count in counts.items() if count)
        )
        addr = options["addr"]
        self.stdout.write(f"Open http://{addr}/ and sign in (password {DEMO_PASSWORD!r}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<14} {description}")
            for line in ROLE_TRIES.get(username, ()):
                self.stdout.write(f"  {'':<14}   try: {line}")
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        if settings.EMAIL_HOST:
            self.stdout.write(f"Mail: through the SMTP server {settings.EMAIL_HOST}")
        else:
            self.stdout.write(
                f"Mail: written to the outbox {settings.ACCORD_OUTBOX_DIR} "
                f"(the secretariat reads it at http://{addr}/outbox/)"
            )
        if options["no_serve"]:
            return
        worker = None
        if not options["no_worker"]:
            # The worker is its own process (django-q's cluster), stopped with the server.
            # It has a session of its own: a signal to the terminal's group (Ctrl-C, or a
            # supervisor stopping the group) reaches the server only, which then stops the
            # cluster in order once its own workers have stopped (signalled at once, while
            # it was still starting, the cluster could take more than 15 s to stop). Its
            # processes, signalled all at once, left its main process waiting for the ones
            # already gone.
            worker = subprocess.Popen(
                [sys.executable, "-m", "accord.cli", "worker"], start_new_session=True
            )
            self.stdout.write(f"Worker running (process {worker.pid})")
        try:
            serve(addr=addr, workers=settings.ACCORD_WORKERS, stdout=self.stdout)
        finally:
            if worker is not None:
                _stop(worker)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """Stop the worker's cluster in order, or its whole session if it does not stop."""
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

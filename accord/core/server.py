"""The production server (gunicorn) that ``accord serve`` and ``accord demo`` run."""

from __future__ import annotations

import signal
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from accord.core.static_build import collect_static_if_changed

#: How often the workers left are told again to stop while the server waits for them.
RESIGNAL_S = 1.0


class _Arbiter(Arbiter):
    """gunicorn's arbiter, telling the workers again until they have stopped.

    A worker forked just before the stop signal still runs the arbiter's signal handlers
    (inherited with the fork) until it installs its own: the signal it is sent then only
    lands in its copy of the arbiter's queue, it goes on to serve, and the arbiter waited
    the whole graceful timeout before killing it.
    """

    def __init__(self, app: BaseApplication):
        super().__init__(app)
        self._stop_signal: int | None = None
        self._resignal_at = 0.0

    def stop(self, graceful: bool = True) -> None:
        self._stop_signal = signal.SIGTERM if graceful else signal.SIGQUIT
        self._resignal_at = time.monotonic() + RESIGNAL_S
        super().stop(graceful)

    def reap_workers(self) -> None:
        super().reap_workers()
        if self._stop_signal is not None and self.WORKERS:
            now = time.monotonic()
            if now >= self._resignal_at:
                self._resignal_at = now + RESIGNAL_S
                self.kill_workers(self._stop_signal)


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported here, after collectstatic: WhiteNoise lists the static files when the
        # application is built, and a first run would otherwise serve none of them.
        from config.wsgi import application

        return application

    def run(self) -> None:
        try:
            _Arbiter(self).run()
        except RuntimeError as error:  # the address taken, say: gunicorn's own answer
            sys.stderr.write(f"\nError: {error}\n\n")
            sys.stderr.flush()
            sys.exit(1)


def serve(*, addr: str, workers: int, stdout: OutputWrapper) -> None:
    """Serve the site on ``addr`` with ``workers`` processes until told to stop; the
    address is said on the command's ``stdout`` before gunicorn's own log."""
    collect_static_if_changed()
    # The cache every process of the site shares (a no-op once the table exists).
    call_command("createcachetable", verbosity=0)
    # The workers are forked from this process: none may inherit its connection.
    connections.close_all()
    stdout.write(f"Accord serving on http://{addr}/ (Ctrl-C stops it)")
    stdout.flush()
    _Gunicorn(
        {
            "bind": addr,
            "workers": workers,
            "accesslog": "-",
            "timeout": 120,
            "graceful_timeout": 10,
            # One server per address: a shared control socket would tie them together.
            "control_socket_disable": True,
        }
    ).run()

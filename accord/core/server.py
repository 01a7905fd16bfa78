"""The production server (gunicorn) that ``accord serve`` and ``accord demo`` run.

``on_stop`` is called as soon as the server is told to stop (Ctrl-C, a supervisor's
TERM or QUIT), before its own workers are stopped: what runs beside the server (the
demo's background worker) then stops at the same time as the server, not after it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from accord.core.static_build import collect_static_if_changed


class _Arbiter(Arbiter):
    def __init__(self, app: BaseApplication, on_stop: Callable[[], None] | None):
        super().__init__(app)
        self._on_stop = on_stop

    def _stopping(self) -> None:
        if self._on_stop is not None:
            on_stop, self._on_stop = self._on_stop, None
            on_stop()

    def handle_int(self) -> None:
        self._stopping()
        super().handle_int()

    def handle_term(self) -> None:
        self._stopping()
        super().handle_term()

    def handle_quit(self) -> None:
        self._stopping()
        super().handle_quit()


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any], on_stop: Callable[[], None] | None):
        self.options = options
        self.on_stop = on_stop
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
            _Arbiter(self, self.on_stop).run()
        except RuntimeError as error:  # the address taken, say: gunicorn's own answer
            sys.stderr.write(f"\nError: {error}\n\n")
            sys.stderr.flush()
            sys.exit(1)


def serve(
    *, addr: str, workers: int, on_stop: Callable[[], None] | None = None, say: Any = None
) -> None:
    """Serve the site on ``addr`` with ``workers`` processes until told to stop."""
    collect_static_if_changed()
    # The cache every process of the site shares (a no-op once the table exists).
    call_command("createcachetable", verbosity=0)
    # The workers are forked from this process: none may inherit its connection.
    connections.close_all()
    if say is not None:
        say(f"Accord serving on http://{addr}/ (Ctrl-C stops it)")
    _Gunicorn(
        {
            "bind": addr,
            "workers": workers,
            "accesslog": "-",
            "timeout": 120,
            "graceful_timeout": 10,
            # One server per address: a shared control socket would tie them together.
            "control_socket_disable": True,
        },
        on_stop,
    ).run()

"""``accord serve``: the production server (gunicorn), not Django's development server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from gunicorn.app.base import BaseApplication

from accord.core.static_build import collect_static_if_changed


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


class Command(BaseCommand):
    help = "Serve Accord with gunicorn on ACCORD_ADDR (default 127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default=settings.ACCORD_ADDR, help="host:port to bind")
        parser.add_argument("--workers", type=int, default=settings.ACCORD_WORKERS)

    def handle(self, *args: Any, **options: Any) -> None:
        collect_static_if_changed()
        # The cache every process of the site shares (a no-op once the table exists).
        call_command("createcachetable", verbosity=0)
        # The workers are forked from this process: none may inherit its connection.
        connections.close_all()
        self.stdout.write(f"Accord serving on http://{options['addr']}/ (Ctrl-C stops it)")
        self.stdout.flush()
        _Gunicorn(
            {
                "bind": options["addr"],
                "workers": options["workers"],
                "accesslog": "-",
                "timeout": 120,
                "graceful_timeout": 10,
                # One server per address: a shared control socket would tie them together.
                "control_socket_disable": True,
            }
        ).run()

"""``accord serve``: the production server (gunicorn), not Django's development server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accord.core.server import serve


class Command(BaseCommand):
    help = "Serve Accord with gunicorn on ACCORD_ADDR (default 127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default=settings.ACCORD_ADDR, help="host:port to bind")
        parser.add_argument("--workers", type=int, default=settings.ACCORD_WORKERS)

    def handle(self, *args: Any, **options: Any) -> None:
        serve(addr=options["addr"], workers=options["workers"], stdout=self.stdout)

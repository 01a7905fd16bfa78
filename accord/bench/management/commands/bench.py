"""``accord bench``: run the benchmark scenarios in a database of their own."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from accord.bench import scenarios
from accord.bench.harness import REGISTRY, SCALES, measure


def load_scenarios() -> None:
    for module in pkgutil.iter_modules(scenarios.__path__):
        importlib.import_module(f"{scenarios.__name__}.{module.name}")


class Command(BaseCommand):
    help = "Time each scenario against its floor and print one JSON line per scenario."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument("--scenario", action="append", help="Run only these (repeatable).")
        parser.add_argument(
            "--repeat", type=int, help="Timed runs per side (default per scenario)."
        )
        parser.add_argument("--list", action="store_true", help="List the scenarios and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        load_scenarios()
        chosen = options["scenario"] or sorted(REGISTRY)
        unknown = set(chosen) - set(REGISTRY)
        if unknown:
            raise CommandError(f"Unknown scenario(s): {', '.join(sorted(unknown))}")
        if options["list"]:
            for name in sorted(REGISTRY):
                self.stdout.write(name)
            return
        # The benchmark writes its synthetic records into a database of its own, never
        # into the one `accord demo` serves.
        test_settings = settings.DATABASES["default"].setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(settings.DATA_DIR / f"bench-{options['scale']}.sqlite3")
        setup_test_environment()
        # serialize=False: the kept benchmark database may hold millions of rows.
        original = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=True, serialize=False
        )
        try:
            for name in chosen:
                result = measure(REGISTRY[name], options["scale"], options["repeat"])
                self.stdout.write(result.json())
        finally:
            connection.creation.destroy_test_db(original, verbosity=0, keepdb=True)
            teardown_test_environment()

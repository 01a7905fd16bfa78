"""``accord bench``: run the benchmark scenarios in a database of their own."""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from accord.bench import scenarios
from accord.bench.harness import REGISTRY, SCALES, measure
from accord.bench.load import load_site, run_load


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
        load = parser.add_argument_group("load (--load)")
        load.add_argument(
            "--load",
            action="store_true",
            help="Serve Accord on its own database and port and load it with concurrent "
            "readers and writers; one JSON line.",
        )
        load.add_argument("--requests", type=int, default=600, help="Requests in all.")
        load.add_argument("--concurrency", type=int, default=8, help="Clients at once.")
        load.add_argument(
            "--writers",
            type=int,
            default=2,
            help="Of every --concurrency requests, how many record progress.",
        )
        load.add_argument("--seconds", type=float, default=120, help="Time allowed.")
        load.add_argument("--workers", type=int, default=2, help="Server worker processes.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["load"]:
            self._load(options)
            return
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
        else:  # one database per scale, as on SQLite
            name = settings.DATABASES["default"]["NAME"]
            test_settings["NAME"] = f"test_{name}_bench_{options['scale']}"
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

    def _load(self, options: dict[str, Any]) -> None:
        if not 1 <= options["concurrency"] <= 256 or options["requests"] < options["concurrency"]:
            raise CommandError("--concurrency must be 1-256 and at most --requests.")
        if not 0 <= options["writers"] < options["concurrency"]:
            raise CommandError("--writers must leave at least one reader.")
        result = run_load(
            site=load_site(settings.DATA_DIR),
            requests=options["requests"],
            concurrency=options["concurrency"],
            writers=options["writers"],
            seconds=options["seconds"],
            workers=options["workers"],
        )
        self.stdout.write(json.dumps(result))

"""``accord export KIND --format csv|xlsx|json -o FILE``: the rows a list page shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accord.core.errors import Invalid, NotFound
from accord.reports.exports import EXPORTERS, export


class Command(BaseCommand):
    help = "Export meetings, action points (and the other apps' lists) to CSV, XLSX or JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(EXPORTERS))
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("-o", "--output", required=True, help="File to write ('-': stdout).")
        parser.add_argument(
            "--as", dest="username", default="", help="Export as this user (default: public)."
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A list filter, as on the page (tier=som, status=open, owner=DG HOME...).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["username"]:
            user = get_user_model()._default_manager.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
        filters = {}
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter {item!r}: use NAME=VALUE.")
            filters[name.strip()] = value.strip()
        try:
            content, rows = export(
                options["kind"], options["fmt"], user=user, filters=filters, via="command"
            )
        except (Invalid, NotFound) as error:
            raise CommandError(error.message) from error
        if options["output"] == "-":
            self.stdout.write(content.decode("utf-8-sig"))
            return
        Path(options["output"]).write_bytes(content)
        self.stderr.write(f"{rows} rows written to {options['output']}")

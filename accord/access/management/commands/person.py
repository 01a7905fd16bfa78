"""``accord person erase NAME``: remove a person's personal data, keep their record."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.access.users import FORMER_PARTICIPANT, person_erase
from accord.core.errors import AccordError


class Command(BaseCommand):
    help = "accord person erase NAME: a user name, e-mail address or full name in the record."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        erase = sub.add_parser("erase", help="Erase a person's personal data.")
        erase.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = person_erase(name=options["name"])
        except AccordError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Erased {done}; their records stay under {FORMER_PARTICIPANT!r}.")

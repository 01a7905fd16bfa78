"""``accord token create USERNAME``: print a new API token for a user."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.access.services import token_create, user_get_by_username
from accord.core.errors import AccordError


class Command(BaseCommand):
    help = "Create an API token: accord token create USERNAME [--name NAME]."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_get_by_username(options["username"])
        except AccordError as error:
            raise CommandError(error.message) from error
        _token, plain = token_create(user=user, name=options["name"])
        self.stdout.write(plain)

"""``accord token create|list|revoke USERNAME``: API tokens from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.access.selectors_audit import tokens_of
from accord.access.services import token_create, tokens_revoke, user_get_by_username
from accord.core.errors import AccordError


class Command(BaseCommand):
    help = (
        "API tokens: accord token create USERNAME [--name NAME] [--expires DAYS]; "
        "accord token list USERNAME; accord token revoke USERNAME [TOKEN-PREFIX]."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create", help="Create a token and print it once, on the last line."
        )
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")
        create.add_argument(
            "--expires",
            type=int,
            default=None,
            metavar="DAYS",
            help="Days until it expires (default ACCORD_TOKEN_DAYS; 0 for never).",
        )
        listing = sub.add_parser("list", help="The user's tokens: prefix, state, dates.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke one token by its prefix, or all.")
        revoke.add_argument("username")
        revoke.add_argument("prefix", nargs="?", default="", metavar="TOKEN-PREFIX")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_get_by_username(options["username"])
            action = options["action"]
            if action == "create":
                token, plain = token_create(
                    user=user, name=options["name"], expires_days=options["expires"]
                )
                until = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
                self.stdout.write(
                    f"Token {token.prefix}… for {user.get_username()}, expires {until}:"
                )
                self.stdout.write(plain)
            elif action == "list":
                for token in tokens_of(user):
                    state = (
                        "revoked" if token.revoked_at else "live" if token.is_live else "expired"
                    )
                    expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
                    used = f"{token.last_used_at:%Y-%m-%d}" if token.last_used_at else "-"
                    self.stdout.write(
                        f"{token.prefix}\t{state}\tcreated {token.created_at:%Y-%m-%d}\t"
                        f"expires {expires}\tused {used}\t{token.name}"
                    )
            else:
                count = tokens_revoke(user=user, prefix=options["prefix"])
                self.stdout.write(f"Revoked {count} token(s) of {user.get_username()}.")
        except AccordError as error:
            raise CommandError(error.message) from error

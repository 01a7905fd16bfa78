"""``accord procedures close-due``: close the written and silence procedures whose last day
has passed (a silence procedure nobody objected to is adopted)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accord.meetings.procedures import close_due_procedures


class Command(BaseCommand):
    help = "Written and silence procedures: accord procedures close-due."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("close-due", help="Close the procedures whose deadline has passed.")

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_procedures()
        for procedure in closed:
            self.stdout.write(
                f"Procedure {procedure.pk} ({procedure.kind}): {procedure.state} "
                f"({procedure.outcome})."
            )
        self.stdout.write(f"{len(closed)} procedure(s) closed.")

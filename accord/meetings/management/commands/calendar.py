"""``accord calendar --tier som -o FILE.ics``: the meetings of a tier (or of a person) as
an iCalendar file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from accord.access.services import user_get_by_username
from accord.core.errors import AccordError
from accord.meetings import selectors
from accord.meetings.calendar import meetings_calendar
from accord.meetings.models import Topic
from accord.partners.models import Person


class Command(BaseCommand):
    help = "Write the meetings of a tier, or of a person, as an iCalendar (.ics) file."

    def add_arguments(self, parser: Any) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--tier", help="Tier code, e.g. som.")
        who.add_argument("--person", help="A person's full name: the meetings they attend.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--user", help="Include what this user may read (default: public meetings only)."
        )
        parser.add_argument(
            "--base-url",
            default=f"http://{settings.ACCORD_ADDR}",
            help="Where the meeting pages are served, for the link in each event.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_get_by_username(options["user"]) if options["user"] else None
            if options["tier"]:
                tier = selectors.tier_get(options["tier"])
                meetings = selectors.meeting_list(user=user, tier=tier.code)
                name = str(tier.name)
            else:
                person = Person.objects.visible_to(user).filter(full_name=options["person"]).first()
                if person is None:
                    raise CommandError(f"No person named {options['person']!r} that you may see.")
                meetings = selectors.person_meetings(user=user, person=person).prefetch_related(
                    Prefetch("topics", queryset=Topic.objects.all())
                )
                name = f"Meetings of {person.full_name}"
        except AccordError as error:
            raise CommandError(error.message) from error
        content = meetings_calendar(meetings, name=name, base_url=options["base_url"])
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
            self.stdout.write(f"{len(list(meetings))} meetings written to {options['output']}.")
        else:
            self.stdout.write(content.decode())

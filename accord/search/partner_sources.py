"""What partners and people put in the index."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accord.partners.models import Organisation, Person
from accord.search.entry import Entry
from accord.search.models import Kind
from accord.search.text import joined


def _partner_entries(organisation: Organisation) -> list[Entry]:
    return [
        Entry(
            Kind.PARTNER,
            organisation.pk,
            title=f"{organisation.acronym}: {organisation.name}",
            body=joined(
                [f"{n.acronym} {n.name}" for n in organisation.names.all()]
                + [organisation.iati_identifier]
            ),
            url=reverse("partner-detail", args=[organisation.acronym]),
            date=organisation.opened_on,
            partners=[organisation.acronym],
        )
    ]


def _person_entries(person: Person) -> list[Entry]:
    roles = sorted(person.roles.all(), key=lambda r: (r.as_of or dt.date.min, r.pk))
    url = ""
    if roles:
        url = reverse("partner-detail", args=[roles[-1].organisation.acronym]) + "#people-title"
    return [
        Entry(
            Kind.PERSON,
            person.pk,
            title=person.full_name,
            body=joined(f"{r.title} {r.organisation.acronym} {r.organisation.name}" for r in roles),
            url=url,
            partners=sorted({r.organisation.acronym for r in roles}),
        )
    ]

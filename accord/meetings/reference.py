"""Loads the meeting tiers and the Senior Officials Meetings of the reference record.

Idempotent: a tier is matched on its code, a meeting on its tier and date, a participant
on meeting, person or organisation and role, an event on meeting and text. Reference
meetings are public: they are taken from public announcements.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accord.core.dates import DatePrecision, parse_partial_date
from accord.core.models import Classification
from accord.meetings.models import (
    Meeting,
    MeetingEvent,
    MeetingStatus,
    MeetingTier,
    Participant,
    ParticipantRole,
)
from accord.meetings.services import participant_add, topics_ensure
from accord.partners.models import Framework, Membership, Organisation, Person, PersonRole
from accord.partners.selectors import organisation_get

# ``<key>_uncertain`` flags in the record and the meeting field each one marks.
UNCERTAIN_FLAGS = {
    "city": "city",
    "host": "host",
    "date": "date",
    "year": "date",
    "ordinal": "ordinal",
}

# The French names of the cities of the record's meetings.
CITIES_FR = {"Brussels": "Bruxelles"}

OVERRIDE_REASON = "Named in the public record of the meeting (reference record)."


def _person_organisation(person: Person, meeting: Meeting) -> Organisation | None:
    """The organisation of the position the person held nearest the meeting date."""
    roles = PersonRole.objects.filter(person=person).select_related("organisation")
    ranked = sorted(roles, key=lambda r: abs(((r.as_of or meeting.date) - meeting.date).days))
    return ranked[0].organisation if ranked else None


def _participant(
    meeting: Meeting,
    role: str,
    *,
    person: Person | None = None,
    organisation: Organisation | None = None,
    source: str,
) -> int:
    existing = Participant.objects.filter(meeting=meeting, role=role)
    existing = (
        existing.filter(person=person)
        if person
        else existing.filter(person__isnull=True, organisation=organisation)
    )
    if existing.exists():
        return 0
    participant_add(
        meeting=meeting,
        person=person,
        organisation=organisation,
        role=role,
        attended=True,
        override_reason=OVERRIDE_REASON,
        source=source,
    )
    return 1


def _person(name: str) -> Person:
    person, _created = Person.objects.get_or_create(
        full_name=name, defaults={"classification": Classification.PUBLIC}
    )
    return person


@cache
def _organisation(acronym: str) -> Organisation:
    return organisation_get(acronym)


def load(data: dict[str, Any]) -> dict[str, int]:
    _organisation.cache_clear()
    counts = {"tiers": 0, "meetings": 0, "participants": 0, "events": 0}
    framework = Framework.objects.filter(code=data["framework"]["code"]).first()
    for entry in data.get("meeting_tiers", []):
        MeetingTier.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "name_fr": entry.get("name_fr", ""),
                "framework": framework,
                "cadence": entry.get("cadence", ""),
                "note": entry.get("note", ""),
            },
        )
        counts["tiers"] += 1

    som = MeetingTier.objects.get(code="som")
    for entry in data.get("senior_officials_meetings", []):
        meeting = _load_meeting(som, entry)
        counts["meetings"] += 1
        source = meeting.source
        for acronym in entry.get("eu", []):
            counts["participants"] += _participant(
                meeting,
                ParticipantRole.DELEGATE,
                organisation=_organisation(acronym),
                source=source,
            )
        for key, role in (
            ("iom", ParticipantRole.DELEGATE),
            ("opened_by", ParticipantRole.OPENING_SPEAKER),
            ("co_chairs", ParticipantRole.CO_CHAIR),
        ):
            names = entry.get(key) or []
            for name in [names] if isinstance(names, str) else names:
                person = _person(name)
                organisation = (
                    _organisation("IOM") if key == "iom" else _person_organisation(person, meeting)
                )
                counts["participants"] += _participant(
                    meeting, role, person=person, organisation=organisation, source=source
                )
        for text in entry.get("events", []):
            membership = _membership_event(framework, meeting, text)
            MeetingEvent.objects.update_or_create(
                meeting=meeting,
                text=text,
                defaults={"membership": membership, "source": source},
            )
            counts["events"] += 1
    counts["topic links"] = _topic_links(data.get("topic_commitments") or {})
    return counts


def _topic_links(links: dict[str, list[str]]) -> int:
    """Link the record's topics to the commitments they are about. Codes of the record
    itself (its commitments load after the meetings), added beside any link made since."""
    from accord.meetings.models import TopicCommitment

    by_slug = {slugify(name)[:100]: codes for name, codes in links.items()}
    rows = [
        TopicCommitment(topic=topic, commitment_code=code)
        for topic in topics_ensure(links)
        for code in by_slug.get(topic.slug, [])
    ]
    TopicCommitment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _load_meeting(tier: MeetingTier, entry: dict[str, Any]) -> Meeting:
    if entry.get("date"):
        day, precision = parse_partial_date(entry["date"])
    else:
        day, precision = parse_partial_date(str(entry["year"]))
        precision = DatePrecision.YEAR
    city = entry.get("city", "") or ""
    virtual = city.lower() == "virtual"
    host = _organisation(entry["host"]) if entry.get("host") else None
    defaults = {
        "date_precision": precision,
        "city": "" if virtual else city,
        "virtual": virtual,
        "host": host,
        "status": MeetingStatus.HELD,
        "classification": Classification.PUBLIC,
        "source": str(entry.get("source", "")),
        "uncertain_fields": [
            field for flag, field in UNCERTAIN_FLAGS.items() if entry.get(f"{flag}_uncertain")
        ],
        "city_fr": CITIES_FR.get(city, ""),
    }
    # Meetings of the record were held: their agendas are published (set once, on creation).
    meeting, _created = Meeting.objects.update_or_create(
        tier=tier,
        date=day,
        defaults=defaults,
        create_defaults={**defaults, "agenda_published_at": timezone.now()},
    )
    meeting.topics.set(topics_ensure(entry.get("topics", [])))
    return meeting


def _membership_event(
    framework: Framework | None, meeting: Meeting, text: str
) -> Membership | None:
    """The membership an event of the meeting speaks of: one that began on the meeting
    date, of an organisation the text names."""
    if framework is None:
        return None
    candidates = (
        Membership.objects.filter(framework=framework)
        .filter(Q(joined_on=meeting.date))
        .select_related("organisation")
    )
    for membership in candidates:
        if membership.organisation.acronym in text:
            return membership
    return None

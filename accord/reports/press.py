"""The press release for a meeting, drafted from the record.

Every sentence comes from a record: the meeting (date, city, tier, ordinal, topics,
summary), its participants and the positions they held on the day (``PersonRole``), the
memberships that began on the day, the framework (established when, by whom) and the
people holding a "press contact" position on the day. Only what a public reader may see
is used: a press release is public once published.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from accord.core.dates import format_partial_date
from accord.meetings.decisions import meeting_decisions
from accord.meetings.models import Meeting, MeetingTier, Participant, ParticipantRole
from accord.meetings.selectors import meeting_participants
from accord.partners.models import Framework, MembershipInstrument, Organisation, Person
from accord.partners.selectors import founding_memberships, memberships_begun_on, positions_titled

PRESS_CONTACT_TITLE = "press contact"
# "(probably 8 Nov 2011, uncertain)": a guess the record flags, not stated to the press.
UNCERTAIN_ASIDE = re.compile(r"\s*\([^)]*uncertain[^)]*\)")
# A press contact's position is taken as current for this long after the date it is
# vouched for.
PRESS_CONTACT_VALIDITY = dt.timedelta(days=366)

ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def ordinal_word(number: int) -> str:
    if 1 <= number <= len(ORDINAL_WORDS):
        return ORDINAL_WORDS[number - 1]
    from accord.meetings.models import ordinal_label

    return ordinal_label(number)


def number_word(number: int) -> str:
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)


def join_words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def title_on(person: Person, on: dt.date, organisation: Organisation | None = None) -> str:
    """The position ``person`` held on ``on``: the latest vouched for by then, else the
    nearest one (in ``organisation`` when given)."""
    roles = [
        role
        for role in person.roles.all()
        if role.title.lower() != PRESS_CONTACT_TITLE
        and (organisation is None or role.organisation_id == organisation.pk)
        and (role.ended_on is None or role.ended_on >= on)
        and (role.started_on is None or role.started_on <= on)
    ]
    if not roles:
        return ""
    before = [role for role in roles if role.as_of is not None and role.as_of <= on]
    if before:
        return max(before, key=lambda role: role.as_of or on).title
    return min(roles, key=lambda role: abs(((role.as_of or on) - on).days)).title


@dataclass
class Founders:
    on: str
    groups: list[str]  # "three European Commission services (DG HOME, DG DEVCO, DG ECHO)"
    partners: list[str]  # the international organisations: "IOM"


@dataclass
class PressFacts:
    meeting: Meeting
    framework: Framework | None
    place: str
    date: str
    ordinal: str
    openers: list[str] = field(default_factory=list)
    takers: list[str] = field(default_factory=list)
    delegations: list[str] = field(default_factory=list)
    objective: str = ""
    topics: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    founders: Founders | None = None
    purpose: list[str] = field(default_factory=list)
    tier_counts: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    future: bool = False  # the meeting is still to come: "will meet", not "meets today"


def _people(meeting: Meeting) -> list[Participant]:
    return list(meeting_participants(user=None, meeting=meeting).order_by("pk"))


def _acronym_on(organisation: Organisation, on: dt.date) -> str:
    name = organisation.name_on(on)
    return name.acronym if name else organisation.acronym


def _founders(framework: Framework) -> Founders | None:
    founding = list(founding_memberships(framework))
    if not founding:
        return None
    on = framework.established_on or founding[0].joined_on
    services: dict[Organisation, list[str]] = defaultdict(list)
    groups: list[str] = []
    partners: list[str] = []
    for membership in founding:
        organisation = membership.organisation
        acronym = _acronym_on(organisation, on)
        if organisation.kind == "international_organisation":
            name = organisation.name_on(on)
            partners.append(f"the {name.name if name else organisation.name} ({acronym})")
        elif organisation.parent is not None:
            services[organisation.parent].append(acronym)
        else:
            name = organisation.name_on(on)
            groups.append(f"the {name.name if name else organisation.name} ({acronym})")
    for parent, acronyms in services.items():
        noun = "service" if len(acronyms) == 1 else "services"
        count = number_word(len(acronyms))
        groups.insert(0, f"{count} {parent.name} {noun} ({', '.join(acronyms)})")
    precision = framework.established_precision if framework.established_on else "day"
    return Founders(on=format_partial_date(on, precision), groups=groups, partners=partners)


def press_facts(meeting: Meeting, today: dt.date | None = None) -> PressFacts:
    on = meeting.date
    framework = meeting.tier.framework
    facts = PressFacts(
        meeting=meeting,
        framework=framework,
        place=meeting.venue,
        date=meeting.date_display,
        ordinal=ordinal_word(meeting.ordinal_number),
        future=meeting.period()[0] > (today or timezone.localdate()),
    )
    facts.decisions = [d.text for d in meeting_decisions(user=None, meeting=meeting)]
    participants = _people(meeting)
    taking_part: dict[str, list[str]] = defaultdict(list)
    for participant in participants:
        person = participant.person
        if person is None:
            if participant.organisation is not None:
                facts.delegations.append(_acronym_on(participant.organisation, on))
            continue
        if participant.role == ParticipantRole.OPENING_SPEAKER:
            title = title_on(person, on)
            facts.openers.append(f"{title}, {person.full_name}" if title else person.full_name)
        else:
            org = participant.organisation
            title = title_on(person, on, org)
            who = f"{title} {person.full_name}" if title else person.full_name
            taking_part[_acronym_on(org, on) if org else ""].append(who)
    for acronym, people in taking_part.items():
        facts.takers.append(f"{acronym}'s {join_words(people)}" if acronym else join_words(people))

    topics = [topic.name for topic in meeting.topics.all()]
    # The objective: the topics about implementing commitments (one phrase the record may
    # hold in parts, "implementing Valletta" and "Western Balkans and Turkey commitments").
    objectives = [
        name
        for name in topics
        if name.lower().startswith("implementing") or name.lower().endswith("commitments")
    ]
    objectives.sort(key=lambda name: not name.lower().startswith("implementing"))
    facts.topics = [name for name in topics if name not in objectives]
    if meeting.summary.strip():
        facts.objective = meeting.summary.strip()
    elif objectives:
        facts.objective = f"The overall objective of the meeting is {', '.join(objectives)}."

    covered: set[int] = set()
    for event in meeting.events.select_related("membership__organisation").order_by("pk"):
        if event.membership_id:
            covered.add(event.membership_id)
        facts.events.append(event.text)
    if framework is not None:
        joined = (
            memberships_begun_on(framework, on)
            .exclude(pk__in=covered)
            .exclude(instrument=MembershipInstrument.FOUNDING)
        )
        for membership in joined:
            how = MembershipInstrument(membership.instrument).label.lower()
            facts.events.append(
                f"{_acronym_on(membership.organisation, on)} joins the framework by {how}"
            )
        facts.founders = _founders(framework)
        facts.purpose = list(framework.purpose_topics or [])
        # Counts read as the release's reader, the public; the ordinal is the meeting's own.
        public_meetings = Meeting.objects.visible_to(None)
        for tier in MeetingTier.objects.filter(framework=framework).order_by("pk"):
            held = public_meetings.filter(tier=tier, date__lte=on).count()
            if tier.pk == meeting.tier_id:
                facts.tier_counts.append(
                    f"This is the {facts.ordinal} {tier.name} held within the framework."
                )
                if tier.cadence:
                    facts.tier_counts.append(f"{tier.name}s are held {tier.cadence}.")
            elif held:
                facts.tier_counts.append(
                    f"{number_word(held).capitalize()} {tier.name}"
                    f"{'s' if held > 1 and not tier.name.endswith('meeting') else ''}"
                    f" {'have' if held > 1 else 'has'} been held so far."
                )
    facts.contacts = _press_contacts(on)
    return facts


def _press_contacts(on: dt.date) -> list[str]:
    roles = positions_titled(
        user=None, title=PRESS_CONTACT_TITLE, on=on, vouched_within=PRESS_CONTACT_VALIDITY
    )
    contacts = []
    for role in roles:
        line = f"{role.person.full_name}, {role.organisation.name}"
        if role.person.phone:
            line += f" ({role.person.phone})"
        if role.person.email and role.person.classification == "public":
            line += f", {role.person.email}"
        contacts.append(line)
    return contacts


def press_release_title(facts: PressFacts) -> str:
    meeting = facts.meeting
    name = facts.framework.name if facts.framework else meeting.tier.name
    verb = "will meet" if facts.future else "meets"
    return f"{name}: the {facts.ordinal} {meeting.tier.name} {verb} in {facts.place}".rstrip(" in")


def press_release_slug(meeting: Meeting) -> str:
    return slugify(f"{meeting.key}-{meeting.date.isoformat()}")


def press_release_markdown(facts: PressFacts) -> str:
    """The draft's text in Markdown."""
    meeting = facts.meeting
    framework_name = facts.framework.name if facts.framework else "the framework"
    lines: list[str] = []
    dateline = ", ".join(part for part in (facts.place, facts.date) if part)
    what = f"the {facts.ordinal} {meeting.tier.name} of the {framework_name}"
    if facts.future:
        opening = f"The {facts.ordinal} {meeting.tier.name} of the {framework_name} will meet"
        opening += f" on {facts.date}." if facts.date else "."
        if facts.openers:
            opening += f" {join_words(facts.openers)} will open it."
        if facts.takers or facts.delegations:
            who = join_words([*facts.takers, *(f"a delegation of {d}" for d in facts.delegations)])
            opening += f" {who} will take part."
    else:
        if facts.openers:
            opening = f"{join_words(facts.openers)}, opens today {what}."
        else:
            opening = (
                f"The {facts.ordinal} {meeting.tier.name} of the {framework_name} meets today."
            )
        if facts.takers:
            verb = "take" if len(facts.takers) > 1 or " and " in facts.takers[0] else "takes"
            opening += f" {join_words(facts.takers)} {verb} part"
            if facts.delegations:
                opening += f", with delegations of {join_words(facts.delegations)}"
            opening += "."
        elif facts.delegations:
            opening += f" Delegations of {join_words(facts.delegations)} take part."
    lines.append(f"**{dateline}.** {opening}" if dateline else opening)
    if facts.objective:
        lines.append(facts.objective)
    if facts.topics:
        lines.append(f"Discussions will focus on {join_words(facts.topics)}.")
    for event in facts.events:
        sentence = event.rstrip(".")
        if " today" not in sentence and meeting.date_precision == "day" and not facts.future:
            sentence = sentence.replace(" by ", " today by ", 1)
        lines.append(f"{sentence[0].upper()}{sentence[1:]}.")
    if facts.decisions:
        agreed = "; ".join(text.rstrip(".") for text in facts.decisions)
        lines.append(f"The meeting agreed: {agreed}.")

    lines.append(f"## Background on the {framework_name}")
    background = []
    if facts.founders:
        founders = facts.founders
        purpose = f" on {join_words(facts.purpose)}" if facts.purpose else ""
        by = join_words(founders.groups)
        with_partners = f" with {join_words(founders.partners)}" if founders.partners else ""
        background.append(
            f"To enhance their collaboration{purpose}, {by} established the "
            f"{framework_name}{with_partners} in {founders.on}."
        )
    if facts.framework and facts.framework.builds_on:
        builds_on = UNCERTAIN_ASIDE.sub("", facts.framework.builds_on).strip()
        background.append(f"The framework builds on the {builds_on}.")
    if background:
        lines.append(" ".join(background))
    if facts.tier_counts:
        lines.append(" ".join(facts.tier_counts))
    if facts.contacts:
        lines.append("## Press contacts")
        lines.append("\n".join(f"- {contact}" for contact in facts.contacts))
    return "\n\n".join(lines) + "\n"


def press_release_draft(meeting: Meeting) -> tuple[str, str]:
    """``(title, Markdown body)`` of a press release for ``meeting``, from the record."""
    facts = press_facts(meeting)
    return press_release_title(facts), press_release_markdown(facts)

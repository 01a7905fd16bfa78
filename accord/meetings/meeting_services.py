"""Writes about meetings themselves: a meeting, its co-chairs, topics, participants and
agenda items. One transaction each; who may write is checked here.

``by`` is the user acting; ``None`` is Accord itself (the reference loader, commands).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.dates import DatePrecision, parse_partial_date
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.services import full_clean_or_invalid, model_update
from accord.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    MeetingTier,
    Participant,
    ParticipantRole,
    Topic,
    ordinal_label,
)
from accord.meetings.permissions import (
    can_manage_meetings,
)
from accord.meetings.selectors import ordinal_of
from accord.partners.models import Organisation, Person
from accord.partners.selectors import memberships_on

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def _actor_id(by: Actor) -> int | None:
    return by.pk if by is not None and by.is_authenticated else None


# --- meetings ---------------------------------------------------------------------------


def _ordinal_clash(meeting: Meeting) -> Meeting | None:
    """Another meeting of the tier that cannot be put before or after this one: their
    dates overlap (a meeting known only by its year overlaps every day of that year) and
    no times tell them apart. They would share an ordinal."""
    first, last = meeting.period()
    candidates = Meeting.objects.filter(
        tier_id=meeting.tier_id,
        date__gte=dt.date(first.year, 1, 1),
        date__lte=last,
    ).exclude(pk=meeting.pk)
    for other in candidates:
        other_first, other_last = other.period()
        if other_first > last or other_last < first:
            continue
        both_timed = meeting.starts_at and other.starts_at
        if both_timed and meeting.starts_at != other.starts_at:
            continue
        return other
    return None


def _check_ordinal(meeting: Meeting) -> None:
    other = _ordinal_clash(meeting)
    if other is not None:
        label = ordinal_label(ordinal_of(other))
        raise Invalid(
            f"The {label} {meeting.tier.name} is already on record for "
            f"{other.date_display}; two meetings of a tier on dates that cannot be told "
            "apart would share an ordinal. Give the date (and time) more precisely.",
            details={"date": ["duplicate ordinal"]},
        )


@transaction.atomic
def meeting_create(
    *,
    tier: MeetingTier,
    date: dt.date | str | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    title: str = "",
    city: str = "",
    virtual: bool = False,
    host: Organisation | None = None,
    status: str = MeetingStatus.PLANNED,
    classification: str = Classification.MEMBERS,
    topics: Iterable[str] = (),
    summary: str = "",
    source: str = "",
    uncertain_fields: Sequence[str] = (),
    restricted_to: Sequence[Organisation] = (),
    co_chairs: Sequence[Person] = (),
    by: Actor = None,
) -> Meeting:
    """A new meeting of ``tier``. Give ``starts_at`` (time-zone aware) when the time is
    known, else ``date`` as ``2016-02-16``, ``2021-05`` or ``2021``."""
    require(can_manage_meetings(by), "Only the secretariat may set up meetings.")
    if starts_at is not None:
        if timezone.is_naive(starts_at):
            raise Invalid("Give the start time with its time zone.")
        day, precision = timezone.localdate(starts_at), DatePrecision.DAY
    elif date is not None:
        try:
            day, precision = parse_partial_date(date)
        except ValueError as error:
            raise Invalid(str(error)) from error
    else:
        raise Invalid("A meeting needs a date: at least its year.")
    if ends_at is not None and timezone.is_naive(ends_at):
        raise Invalid("Give the end time with its time zone.")
    meeting = Meeting(
        tier=tier,
        title=title,
        date=day,
        date_precision=precision,
        starts_at=starts_at,
        ends_at=ends_at,
        city=city,
        virtual=virtual,
        host=host,
        status=status,
        classification=classification,
        summary=summary,
        source=source,
        uncertain_fields=list(uncertain_fields),
    )
    full_clean_or_invalid(meeting)
    _check_ordinal(meeting)
    meeting.save()
    if topics:
        meeting.topics.set(topics_ensure(topics))
    if restricted_to:
        meeting.restricted_to.set(restricted_to)
    for person in co_chairs:
        co_chair_add(meeting=meeting, person=person, by=by)
    meeting.ordinal = ordinal_of(meeting)
    if by is not None:
        audit_record(actor=by, verb="meeting.created", target=meeting, data={"key": meeting.key})
    return meeting


def check_restriction(classification: str, restricted_to: Sequence[Organisation]) -> None:
    """A restricted record names the partners that may read it (asked by the forms and
    the API, which pick both at once)."""
    if classification == Classification.RESTRICTED and not restricted_to:
        raise Invalid(
            "A restricted record names the partners that may read it.",
            details={"restricted_to": ["required"]},
        )


def co_chair_add(*, meeting: Meeting, person: Person, by: Actor = None) -> Participant:
    """A co-chair, of the organisation of the position the person held on the meeting date
    (or their latest one)."""
    roles = sorted(
        person.roles.select_related("organisation"),
        key=lambda r: abs(((r.as_of or meeting.date) - meeting.date).days),
    )
    existing = Participant.objects.filter(
        meeting=meeting, person=person, role=ParticipantRole.CO_CHAIR
    ).first()
    if existing is not None:
        return existing
    return participant_add(
        meeting=meeting,
        person=person,
        organisation=roles[0].organisation if roles else None,
        role=ParticipantRole.CO_CHAIR,
        override_reason="Co-chair named by the secretariat.",
        by=by,
    )


def meeting_update(
    *, meeting: Meeting, data: dict[str, Any], version: int | None, by: Actor = None
) -> Meeting:
    require(can_manage_meetings(by), "Only the secretariat may change meetings.")
    with transaction.atomic():
        updated = model_update(instance=meeting, data=data, version=version)
        _check_ordinal(updated)
        return updated


def topics_ensure(names: Iterable[str]) -> list[Topic]:
    """The topics of these names (matched by slug), created if missing, in the order given."""
    wanted = {slugify(name)[:100] or "topic": name[:200] for name in names}
    found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=wanted)}
    missing = [Topic(slug=slug, name=name) for slug, name in wanted.items() if slug not in found]
    if missing:
        Topic.objects.bulk_create(missing, ignore_conflicts=True)
        found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=wanted)}
    return [found[slug] for slug in wanted]


def _membership_warning(meeting: Meeting, organisation: Organisation) -> str | None:
    framework = meeting.tier.framework
    if framework is None:
        return None
    if memberships_on(framework, meeting.date).filter(organisation=organisation).exists():
        return None
    return (
        f"{organisation.acronym} was not a member of {framework.name} on "
        f"{meeting.date_display}. The secretariat can add it anyway, giving the reason."
    )


@transaction.atomic
def participant_add(
    *,
    meeting: Meeting,
    person: Person | None = None,
    organisation: Organisation | None = None,
    role: str = ParticipantRole.DELEGATE,
    attended: bool | None = None,
    override_reason: str = "",
    source: str = "",
    by: Actor = None,
) -> Participant:
    """Add someone to a meeting. An organisation that was not a member on the meeting
    date is refused with a warning, unless the secretariat gives a reason to override
    it; the override is recorded with who and when."""
    require(can_manage_meetings(by), "Only the secretariat may record who takes part in meetings.")
    if person is None and organisation is None:
        raise Invalid("Name the person or the organisation taking part.")
    participant = Participant(
        meeting=meeting,
        person=person,
        organisation=organisation,
        role=role,
        attended=attended,
        source=source,
    )
    if organisation is not None:
        warning = _membership_warning(meeting, organisation)
        if warning and not override_reason.strip():
            raise Invalid(warning, details={"organisation": ["not_a_member"]})
        if warning:
            participant.override_reason = override_reason.strip()
            participant.overridden_by_id = _actor_id(by)
            participant.overridden_at = timezone.now()
    full_clean_or_invalid(participant)
    participant.save()
    return participant


# --- agenda -----------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    parent: AgendaItem | None = None,
    position: int | None = None,
    planned_minutes: int | None = None,
    description: str = "",
    topics: Iterable[str] = (),
    by: Actor = None,
) -> AgendaItem:
    """Add an item (or a sub-item of ``parent``) at the end, or at ``position``.
    Planned durations beyond the meeting's slot are warned about on the agenda, not
    refused: the secretariat decides."""
    require(can_manage_meetings(by), "Only the secretariat may set the agenda.")
    if parent is not None and parent.meeting_id != meeting.pk:
        raise Invalid("A sub-item belongs to an item of the same meeting.")
    if position is None:
        last = AgendaItem.objects.filter(meeting=meeting, parent=parent).aggregate(
            last=Max("position")
        )["last"]
        position = 1 if last is None else last + 1
    item = AgendaItem(
        meeting=meeting,
        parent=parent,
        position=position,
        title=title,
        description=description,
        planned_minutes=planned_minutes,
    )
    full_clean_or_invalid(item)
    item.save()
    if topics:
        item.topics.set(topics_ensure(topics))
    return item

"""Preparing meetings: the next meeting of a tier from the last one, and edits of a
meeting's settings through the same checks as its creation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.dates import DatePrecision, parse_partial_date
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.meetings import services
from accord.meetings.models import AgendaItem, Meeting, MeetingStatus, Participant
from accord.meetings.permissions import can_edit_meeting
from accord.meetings.selectors import ordinal_of
from accord.partners.models import Organisation
from accord.partners.selectors import memberships_on

if TYPE_CHECKING:
    from accord.access.permissions import Actor

REFUSED = "Only the secretariat may set up and change meetings."


def next_date(meeting: Meeting) -> dt.date:
    """A suggestion: the same day a year later (29 February becomes 28)."""
    try:
        return meeting.date.replace(year=meeting.date.year + 1)
    except ValueError:
        return meeting.date.replace(year=meeting.date.year + 1, day=28)


def _copy_standing_items(source: Meeting, target: Meeting) -> int:
    standing = list(
        AgendaItem.objects.filter(meeting=source)
        .filter(standing=True)
        .order_by("parent_id", "position", "pk")
        .prefetch_related("topics")
    )
    copies: dict[int, AgendaItem] = {}
    count = 0
    for item in sorted(standing, key=lambda i: (i.parent_id is not None, i.position, i.pk)):
        if item.parent_id is not None and item.parent_id not in copies:
            continue  # a standing sub-item of an item that is not standing stays behind
        copy = AgendaItem.objects.create(
            meeting=target,
            parent=copies.get(item.parent_id) if item.parent_id else None,
            position=item.position,
            title=item.title,
            description=item.description,
            planned_minutes=item.planned_minutes,
            standing=True,
        )
        copy.topics.set(item.topics.all())
        copies[item.pk] = copy
        count += 1
    return count


def _copy_partners(source: Meeting, target: Meeting, by: Actor) -> list[str]:
    """The partners that took part in ``source`` and are still members on the new date,
    as delegations of ``target``."""
    partner_ids = set(
        Participant.objects.filter(meeting=source, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    framework = target.tier.framework
    if framework is not None:
        partner_ids &= set(
            memberships_on(framework, target.date).values_list("organisation_id", flat=True)
        )
    copied = []
    for organisation in Organisation.objects.filter(pk__in=partner_ids).order_by("acronym"):
        services.participant_add(meeting=target, organisation=organisation, by=by)
        copied.append(organisation.acronym)
    return copied


@transaction.atomic
def meeting_prepare_next(
    *, meeting: Meeting, date: dt.date | str | None = None, by: Actor = None
) -> Meeting:
    """A new meeting of ``meeting``'s tier: its settings (place, host, classification and
    the partners it is restricted to, topics, time of day), its standing agenda items and
    its participants' partners copied; a draft agenda; planned. ``date`` defaults to the
    same day a year later."""
    require(can_edit_meeting(by, meeting), REFUSED)
    day = date if date is not None else next_date(meeting)
    if isinstance(day, str):
        try:
            parsed, precision = parse_partial_date(day)
        except ValueError as error:
            raise Invalid(str(error), details={"date": ["invalid"]}) from error
        if precision == DatePrecision.DAY:
            day = parsed
    starts_at = ends_at = None
    if meeting.starts_at is not None and not isinstance(day, str):
        shift = dt.datetime.combine(day, dt.time()) - dt.datetime.combine(meeting.date, dt.time())
        starts_at = meeting.starts_at + shift
        ends_at = meeting.ends_at + shift if meeting.ends_at else None
    new = services.meeting_create(
        tier=meeting.tier,
        date=None if starts_at else day,
        starts_at=starts_at,
        ends_at=ends_at,
        city=meeting.city,
        virtual=meeting.virtual,
        host=meeting.host,
        status=MeetingStatus.PLANNED,
        classification=meeting.classification,
        restricted_to=list(meeting.restricted_to.all()),
        topics=[topic.name for topic in meeting.topics.all()],
        by=by,
    )
    new.city_fr = meeting.city_fr
    new.save(update_fields=["city_fr"])
    items = _copy_standing_items(meeting, new)
    partners = _copy_partners(meeting, new, by)
    audit_record(
        actor=by,
        verb="meeting.prepared",
        target=new,
        data={"from": meeting.key, "standing_items": items, "partners": partners},
    )
    return new


# What the API and the edit form may change, and how each is read.
EDITABLE = frozenset(
    {"title", "date", "city", "venue", "virtual", "host", "status", "classification"}
)


def meeting_change(
    *,
    meeting: Meeting,
    data: dict[str, Any],
    version: int | None,
    restricted_to: Sequence[Organisation] | None = None,
    by: Actor = None,
) -> Meeting:
    """Change a meeting if nobody has since ``version`` (409 otherwise). ``date`` is read
    like at creation (``2016-02-16``, ``2021-05``, ``2021``); ``venue`` ``online`` makes the
    meeting virtual, another venue is its city."""
    require(can_edit_meeting(by, meeting), REFUSED)
    unknown = set(data) - EDITABLE
    if unknown:
        raise Invalid(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    changes = dict(data)
    if "date" in changes:
        try:
            day, precision = parse_partial_date(changes.pop("date"))
        except ValueError as error:
            raise Invalid(str(error), details={"date": ["invalid"]}) from error
        changes["date"], changes["date_precision"] = day, precision
        if precision != DatePrecision.DAY:
            changes["starts_at"] = changes["ends_at"] = None
    if "venue" in changes:
        venue = (changes.pop("venue") or "").strip()
        changes["virtual"] = venue.lower() == "online"
        if venue and not changes["virtual"]:
            changes.setdefault("city", venue)
    classification = changes.get("classification", meeting.classification)
    partners = (
        list(restricted_to) if restricted_to is not None else list(meeting.restricted_to.all())
    )
    if classification == Classification.RESTRICTED:
        services.check_restriction(classification, partners)
    with transaction.atomic():
        updated = services.meeting_update(meeting=meeting, data=changes, version=version, by=by)
        if restricted_to is not None:
            updated.restricted_to.set(restricted_to)
        updated.ordinal = ordinal_of(updated)
        return updated

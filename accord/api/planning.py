"""Setting up meetings through the API: a new meeting, changes to one (with ``version``),
and the next meeting of a tier prepared from one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.meetings import MeetingOut, meeting_out
from accord.api.meetings import router as meetings_router
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.meetings import planning, selectors, services
from accord.meetings.models import MeetingStatus
from accord.partners.models import Organisation, Person
from accord.partners.selectors import organisation_get

# The meetings router itself: a path served by two routers would answer 405 to the
# methods of the second.
router = meetings_router


def _partners(acronyms: list[str]) -> list[Organisation]:
    return [organisation_get(acronym) for acronym in acronyms]


def _people(names: list[str]) -> list[Person]:
    people = []
    for name in names:
        person = Person.objects.filter(full_name=name).first()
        if person is None:
            raise Invalid(f"No person named {name!r} is on record.", details={"co_chairs": [name]})
        people.append(person)
    return people


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return meeting_out(selectors.meeting_get(user=request.user, key=str(pk)))


class MeetingIn(Schema):
    tier: str
    date: str | None = None
    year: int | None = None
    title: str = ""
    city: str = ""
    venue: str = ""
    virtual: bool = False
    host: str | None = None
    co_chairs: list[str] = []
    status: str = MeetingStatus.PLANNED
    classification: str = Classification.MEMBERS
    restricted_to: list[str] = []
    topics: list[str] = []


@router.post(
    "/meetings",
    response={201: MeetingOut},
    auth=authenticated,
    summary="Set up a meeting (secretariat)",
)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status:
    """``date`` as ``2016-02-16``, ``2021-05`` or ``2021``, or ``year`` alone; ``venue``
    ``online`` for a meeting held online (another venue is taken as the city when ``city``
    is empty); ``host`` and ``restricted_to`` by acronym, ``co_chairs`` by full name."""
    if payload.date is None and payload.year is None:
        raise Invalid("A meeting needs a date or a year.", details={"date": ["required"]})
    restricted = _partners(payload.restricted_to)
    services.check_restriction(payload.classification, restricted)
    venue = payload.venue.strip()
    virtual = payload.virtual or venue.lower() == "online"
    meeting = services.meeting_create(
        tier=selectors.tier_get(payload.tier),
        date=payload.date if payload.date is not None else str(payload.year),
        title=payload.title,
        city=payload.city or ("" if virtual else venue),
        virtual=virtual,
        host=organisation_get(payload.host) if payload.host else None,
        status=payload.status,
        classification=payload.classification,
        restricted_to=restricted,
        co_chairs=_people(payload.co_chairs),
        topics=payload.topics,
        by=request.user,
    )
    return Status(201, _fresh(request, meeting.pk))


class MeetingPatch(Schema):
    version: int
    title: str | None = None
    date: str | None = None
    year: int | None = None
    city: str | None = None
    venue: str | None = None
    virtual: bool | None = None
    host: str | None = None
    status: str | None = None
    classification: str | None = None
    restricted_to: list[str] | None = None
    co_chairs: list[str] | None = None


@router.patch(
    "/meetings/{key}",
    response=MeetingOut,
    auth=authenticated,
    summary="Change a meeting (secretariat)",
)
def meeting_patch(request: HttpRequest, key: str, payload: MeetingPatch) -> dict[str, Any]:
    """Send the fields to change and the ``version`` you read; a stale version answers 409
    and changes nothing. ``host: null`` removes the host; ``co_chairs`` adds co-chairs."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    restricted = changes.pop("restricted_to", None)
    co_chairs = changes.pop("co_chairs", None)
    if "year" in changes:
        year = changes.pop("year")
        if year is not None:
            changes["date"] = str(year)
    for required in ("title", "date", "city", "status", "classification", "virtual"):
        if required in changes and changes[required] is None:
            raise Invalid(f"{required} cannot be empty.", details={required: ["required"]})
    if "host" in changes:
        changes["host"] = organisation_get(changes["host"]) if changes["host"] else None
    updated = planning.meeting_change(
        meeting=meeting,
        data=changes,
        version=version,
        restricted_to=_partners(restricted) if restricted is not None else None,
        by=request.user,
    )
    for person in _people(co_chairs or []):
        services.co_chair_add(meeting=updated, person=person, by=request.user)
    return _fresh(request, updated.pk)


class NextIn(Schema):
    date: str | None = None


@router.post(
    "/meetings/{key}/next",
    response={201: MeetingOut},
    auth=authenticated,
    summary="Prepare the next meeting of the tier from this one (secretariat)",
)
def meeting_prepare_next(request: HttpRequest, key: str, payload: NextIn) -> Status:
    """A new meeting of the tier with this one's settings, standing agenda items and
    participants' partners; ``date`` defaults to the same day a year later."""
    meeting = selectors.meeting_get(user=request.user, key=key)
    new = planning.meeting_prepare_next(meeting=meeting, date=payload.date, by=request.user)
    return Status(201, _fresh(request, new.pk))

"""Partners, frameworks and their members."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import BaseModel
from pydantic import Field as PydanticField

from accord.access.permissions import require
from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.dates import iso_partial_date
from accord.partners import selectors, services
from accord.partners.models import Organisation
from accord.partners.permissions import can_edit_partner

router = Router(tags=["partners"])


class NameOut(Schema):
    acronym: str
    name: str
    valid_from: dt.date | None
    uncertain: bool


class PartnerOut(Schema):
    acronym: str
    name: str
    kind: str
    parent: str | None
    website: str
    names: list[NameOut]
    version: int


def partner_out(organisation: Organisation) -> dict:
    return {
        "acronym": organisation.acronym,
        "name": organisation.name,
        "kind": organisation.kind,
        "parent": organisation.parent.acronym if organisation.parent_id else None,  # type: ignore[union-attr]
        "website": organisation.website,
        "names": [
            {
                "acronym": n.acronym,
                "name": n.name,
                "valid_from": n.valid_from,
                "uncertain": n.is_uncertain("valid_from"),
            }
            for n in organisation.names.all()
        ],
        "version": organisation.version,
    }


class PartnerFilters(Schema):
    kind: str | None = None
    q: str | None = None


@router.get("/partners", response=list[PartnerOut], summary="List partners")
@paginate(Page)
def partner_list(request: HttpRequest, filters: Query[PartnerFilters]) -> list[dict]:
    return [
        partner_out(o) for o in selectors.organisation_list(kind=filters.kind, search=filters.q)
    ]


@router.get("/partners/{acronym}", response=PartnerOut, summary="One partner")
def partner_detail(request: HttpRequest, acronym: str) -> dict:
    """By current or former acronym: ``DG DEVCO`` and ``DG INTPA`` are the same partner."""
    return partner_out(selectors.organisation_get(acronym))


class FrameworkOut(Schema):
    code: str
    name: str
    established: str | None
    purpose_topics: list[str]
    builds_on: str


@router.get("/frameworks", response=list[FrameworkOut], summary="List frameworks")
@paginate(Page)
def framework_list(request: HttpRequest) -> list[dict]:
    return [framework_out(framework) for framework in selectors.Framework.objects.order_by("code")]


def framework_out(framework: selectors.Framework) -> dict:
    return {
        "code": framework.code,
        "name": framework.name,
        "established": iso_partial_date(framework.established_on, framework.established_precision),
        "purpose_topics": framework.purpose_topics,
        "builds_on": framework.builds_on,
    }


@router.get("/frameworks/{code}", response=FrameworkOut, summary="One framework")
def framework_detail(request: HttpRequest, code: str) -> dict:
    return framework_out(selectors.framework_get(code))


class MemberOut(BaseModel):
    # A plain pydantic model: validating dicts needs none of Schema's ORM attribute lookups.
    acronym: str
    name: str
    current_acronym: str
    kind: str
    joined: str
    instrument: str
    left_on: dt.date | None
    uncertain: list[str]


class MembersQuery(Schema):
    on: dt.date | None = None


@router.get(
    "/frameworks/{code}/members",
    response=list[MemberOut],
    summary="Members of a framework on a date",
)
@paginate(Page)
def framework_members(request: HttpRequest, code: str, query: Query[MembersQuery]) -> list[dict]:
    """The members on ``on`` (default today), each under the name it bore on that date."""
    on = query.on or timezone.localdate()
    return [
        {
            "acronym": member.acronym,
            "name": member.name,
            "current_acronym": member.current_acronym,
            "kind": member.kind,
            "joined": iso_partial_date(member.joined_on, member.joined_precision),
            "instrument": member.instrument,
            "left_on": member.left_on,
            "uncertain": member.uncertain_fields,
        }
        for member in selectors.members_on(code, on)
    ]


class TimelineEventOut(BaseModel):
    date: str = PydanticField(
        description="As precise as is known: `2016-02-16`, `2012-07` or `2024`."
    )
    kind: Literal["joined", "left", "renamed"]
    partner: str = PydanticField(description="The partner's acronym today.")
    text: str
    uncertain: bool
    source: str


class TimelineQuery(Schema):
    latest: int | None = Field(
        None, ge=1, le=1000, description="Only the most recent events, this many of them."
    )


@router.get(
    "/frameworks/{code}/timeline",
    response=list[TimelineEventOut],
    summary="A framework's membership timeline",
)
@paginate(Page)
def framework_timeline(request: HttpRequest, code: str, query: Query[TimelineQuery]) -> list[dict]:
    """Joinings, departures and renamings of the framework's members, oldest first; the
    home page shows the latest fifteen (``latest=15``)."""
    framework = selectors.framework_get(code)
    return [
        {
            "date": iso_partial_date(event.date, event.precision),
            "kind": event.kind,
            "partner": event.acronym,
            "text": event.text,
            "uncertain": event.uncertain,
            "source": event.source,
        }
        for event in selectors.membership_timeline(framework, latest=query.latest)
    ]


class PartnerPatch(Schema):
    version: int
    kind: str | None = None
    website: str | None = None
    parent: str | None = None


@router.patch(
    "/partners/{acronym}",
    response=PartnerOut,
    auth=authenticated,
    summary="Edit a partner (secretariat)",
)
def partner_update(request: HttpRequest, acronym: str, payload: PartnerPatch) -> dict:
    """Send the fields to change and the ``version`` you read; a stale version answers 409."""
    require(can_edit_partner(request.user), "Only the secretariat edits partners.")
    organisation = selectors.organisation_get(acronym)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    if "parent" in data:
        data["parent"] = selectors.organisation_get(data["parent"]) if data["parent"] else None
    updated = services.organisation_update(
        organisation=organisation, data=data, version=payload.version, by=request.user
    )
    return partner_out(selectors.organisation_get(updated.acronym))

"""Initiatives: list and filter, read one, enter and edit.

Their routes keep the operation ids they had in :mod:`accord.api.commitments`.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.imports import DataQualityOut, data_quality_out
from accord.api.pagination import Page, PageWindow
from accord.commitments import initiatives as initiative_writes
from accord.commitments import selectors
from accord.commitments.models import Initiative, PlaceKind
from accord.commitments.places import country_alpha3, country_m49, place_name, region_m49
from accord.commitments.records import FundingLine, InitiativeRecord, MilestoneLine, PlaceLine
from accord.core.dates import iso_partial_date, parse_partial_date
from accord.core.errors import Invalid
from accord.core.importing.runs import record_warnings_of

router = Router(tags=["commitments"])


class PlaceOut(Schema):
    code: str
    kind: str
    name: str
    iso3: str | None
    percentage: Decimal | None


class FundingOut(Schema):
    funder: str
    amount: Decimal | None
    currency: str
    value_date: dt.date | None


class MilestoneOut(Schema):
    date: str
    title: str
    done: bool


class InitiativeOut(Schema):
    id: int
    title: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    kind: str
    status: str
    progress: int
    progress_given: int | None
    start: str | None
    end: str | None
    partner: str | None
    implementers: list[str]
    commitments: list[str]
    places: list[PlaceOut]
    fundings: list[FundingOut]
    iati_identifier: str | None
    external_ids: dict[str, Any]
    origin: str
    classification: str
    version: int


class InitiativeDetailOut(InitiativeOut):
    milestones: list[MilestoneOut]
    sectors: list[dict[str, Any]]
    iati: dict[str, Any]
    data_quality: list[DataQualityOut]


def initiative_out(initiative: Initiative, *, detail: bool = False) -> dict:
    body = {
        "id": initiative.pk,
        "title": initiative.title_text,
        "titles": initiative.title,
        "descriptions": initiative.description or {},
        "kind": initiative.kind,
        "status": initiative.status,
        "progress": initiative.progress,
        "progress_given": initiative.progress_override,
        "start": iso_partial_date(initiative.start_on, initiative.start_precision),
        "end": iso_partial_date(initiative.end_on, initiative.end_precision),
        "partner": initiative.partner.acronym if initiative.partner else None,
        "implementers": sorted(o.acronym for o in initiative.implementers.all()),
        "commitments": sorted(c.code for c in initiative.commitments.all()),
        "places": [
            {
                "code": p.code,
                "kind": p.kind,
                "name": place_name(p.code),
                "iso3": country_alpha3(p.code) if p.kind == PlaceKind.COUNTRY else None,
                "percentage": p.percentage,
            }
            for p in initiative.places.all()
        ],
        "fundings": [
            {
                "funder": f.funder_display,
                "amount": f.amount,
                "currency": f.currency,
                "value_date": f.value_date,
            }
            for f in initiative.fundings.all()
        ],
        "iati_identifier": initiative.iati_identifier,
        "external_ids": initiative.external_ids or {},
        "origin": initiative.origin,
        "classification": initiative.classification,
        "version": initiative.version,
    }
    if detail:
        body["milestones"] = [
            {"date": iso_partial_date(m.on, m.precision), "title": m.title, "done": m.done}
            for m in initiative.milestones.all()
        ]
        body["sectors"] = initiative.sectors or []
        body["iati"] = initiative.iati or {}
        body["data_quality"] = [data_quality_out(w) for w in record_warnings_of(initiative)]
    return body


class InitiativeQuery(Schema):
    commitment: str | None = None
    country: str | None = None
    partner: str | None = None
    status: str | None = None
    kind: str | None = None
    cycle: str | None = None
    q: str | None = None


class InitiativePage(Page):
    """Counts with the database and fetches only the page, with its relations."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        window = PageWindow(
            selectors.initiatives_listed(queryset),
            limit=min(pagination.limit, 1000),
            offset=pagination.offset,
        )
        window.read(pagination.cursor)
        answer = window.answer(request, self._items_count(queryset))
        answer["items"] = [initiative_out(i) for i in window.items]
        return answer


@router.get(
    "/initiatives",
    response=list[InitiativeOut],
    summary="List initiatives",
    operation_id="accord_api_commitments_initiative_list",
)
@paginate(InitiativePage)
def initiative_list(request: HttpRequest, filters: Query[InitiativeQuery]) -> Any:
    """Filter by commitment code (its subtree included), country (M49 or ISO code),
    partner (acronym: reporting or implementing), status, kind and reporting cycle."""
    return selectors.initiatives_filtered(
        user=request.user, filters=selectors.InitiativeFilters(**filters.dict())
    )


@router.get(
    "/initiatives/{initiative_id}",
    response=InitiativeDetailOut,
    summary="One initiative",
    operation_id="accord_api_commitments_initiative_detail",
)
def initiative_detail(request: HttpRequest, initiative_id: int) -> dict:
    return initiative_out(
        selectors.initiative_get(user=request.user, pk=initiative_id), detail=True
    )


class FundingIn(Schema):
    amount: Decimal | None = None
    currency: str
    funder: str = ""
    value_date: dt.date | None = None


class MilestoneIn(Schema):
    date: str
    title: str
    done: bool = False


class InitiativeIn(Schema):
    title: dict[str, str]
    description: dict[str, str] | None = None
    kind: str | None = None
    status: str | None = None
    progress: int | None = None
    start: str | None = None
    end: str | None = None
    partner: str | None = None
    implementers: list[str] | None = None
    commitments: list[str] | None = None
    countries: list[str] | None = None
    regions: list[str] | None = None
    fundings: list[FundingIn] | None = None
    milestones: list[MilestoneIn] | None = None
    iati_identifier: str | None = None
    external_ids: dict[str, str] | None = None
    classification: str | None = None


class InitiativePatch(InitiativeIn):
    title: dict[str, str] | None = None  # type: ignore[assignment]
    version: int


def _record(payload: InitiativeIn, current: Initiative | None = None) -> InitiativeRecord:
    given = payload.model_dump(exclude_unset=True)
    given.pop("version", None)

    def date(field: str) -> tuple[dt.date | None, str]:
        value = given.get(field)
        if not value:
            return None, "day"
        try:
            return parse_partial_date(value)
        except ValueError as error:
            raise Invalid(f"{field}: {error}") from error

    places = None
    if {"countries", "regions"} & set(given):
        places = []
        try:
            for code in payload.countries or []:
                places.append(PlaceLine(country_m49(code), PlaceKind.COUNTRY))
            for code in payload.regions or []:
                places.append(PlaceLine(region_m49(code), PlaceKind.REGION))
        except ValueError as error:
            raise Invalid(f"places: {error}") from error
    milestones = None
    if "milestones" in given:
        milestones = []
        for item in payload.milestones or []:
            on, precision = date_of(item.date)
            milestones.append(MilestoneLine(on, item.title, precision, item.done))
    fundings = None
    if "fundings" in given:
        fundings = [
            FundingLine(f.amount, f.currency.upper(), f.funder, f.value_date)
            for f in payload.fundings or []
        ]
    start, start_precision = date("start")
    end, end_precision = date("end")
    title = given.get("title") or (current.title if current else {})
    record = InitiativeRecord(
        title=title,
        description=given.get("description"),
        kind=given.get("kind"),
        status=given.get("status"),
        progress_override=given.get("progress"),
        start_on=start,
        start_precision=start_precision,
        end_on=end,
        end_precision=end_precision,
        partner=given.get("partner"),
        implementers=given.get("implementers"),
        commitments=given.get("commitments"),
        places=places,
        fundings=fundings,
        milestones=milestones,
        iati_identifier=given.get("iati_identifier"),
        external_ids=given.get("external_ids"),
        classification=given.get("classification"),
    )
    names = {"progress": "progress_override"}
    for key in given:
        if key in {"countries", "regions"}:
            record.given.add("places")
        else:
            record.given.add(names.get(key, key))
    return record


def date_of(value: str) -> tuple[dt.date, str]:
    try:
        return parse_partial_date(value)
    except ValueError as error:
        raise Invalid(f"milestones: {error}") from error


@router.post(
    "/initiatives",
    response={201: InitiativeDetailOut},
    auth=authenticated,
    summary="Enter an initiative",
    operation_id="accord_api_commitments_initiative_create",
)
def initiative_create(request: HttpRequest, payload: InitiativeIn) -> Status:
    """Partners' contributors and focal points enter their partner's initiatives; the
    secretariat any. An initiative becomes public when the secretariat verifies it."""
    initiative = initiative_writes.initiative_create(user=request.user, record=_record(payload))
    return Status(
        201,
        initiative_out(selectors.initiative_get(user=request.user, pk=initiative.pk), detail=True),
    )


@router.patch(
    "/initiatives/{initiative_id}",
    response=InitiativeDetailOut,
    auth=authenticated,
    summary="Edit an initiative",
    operation_id="accord_api_commitments_initiative_update",
)
def initiative_update(request: HttpRequest, initiative_id: int, payload: InitiativePatch) -> dict:
    """Send the ``version`` you read; if someone saved since, the answer is 409."""
    initiative = selectors.initiative_get(user=request.user, pk=initiative_id)
    initiative_writes.initiative_update(
        user=request.user,
        initiative=initiative,
        record=_record(payload, initiative),
        version=payload.version,
    )
    return initiative_out(
        selectors.initiative_get(user=request.user, pk=initiative_id), detail=True
    )

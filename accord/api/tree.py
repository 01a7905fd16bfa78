"""Writes of commitment trees and indicator targets: the API twins of their pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.access.permissions import require
from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.commitments import permissions, selectors, services
from accord.commitments.models import Commitment
from accord.commitments.tree import commitment_edit, commitment_resolve
from accord.core.errors import Invalid
from accord.evidence import permissions as evidence_permissions
from accord.evidence import selectors as evidence_selectors
from accord.evidence import targets

router = Router(tags=["commitment trees and targets"])


class CommitmentOut(Schema):
    code: str
    instrument: str
    parent: str | None
    titles: dict[str, str]
    descriptions: dict[str, str]
    position: int
    former_codes: list[str]
    version: int


def commitment_out(commitment: Commitment) -> dict:
    return {
        "code": commitment.code,
        "instrument": commitment.instrument.code,
        "parent": commitment.parent.code if commitment.parent else None,
        "titles": commitment.title,
        "descriptions": commitment.description or {},
        "position": commitment.position,
        "former_codes": sorted(a.code for a in commitment.aliases.all()),
        "version": commitment.version,
    }


@router.get("/commitments/{code}", response=CommitmentOut, summary="One commitment")
def commitment_detail(request: HttpRequest, code: str) -> dict:
    """A former code (before a re-coding) answers the commitment under its new code."""
    commitment, _former = commitment_resolve(code)
    return commitment_out(commitment)


class CommitmentIn(Schema):
    instrument: str
    code: str
    titles: dict[str, str]
    descriptions: dict[str, str] = {}
    parent: str | None = None
    position: int = 0


def _parent(instrument_id: int, code: str | None) -> Commitment | None:
    if not code:
        return None
    parent = Commitment.objects.filter(code=code).first()
    if parent is None or parent.instrument_id != instrument_id:
        raise Invalid(f"parent: no commitment {code!r} in this instrument.")
    return parent


@router.post(
    "/commitments",
    response={201: CommitmentOut},
    auth=authenticated,
    summary="Add a commitment to an instrument's tree",
)
def commitment_create(request: HttpRequest, payload: CommitmentIn) -> Status:
    """``titles`` by language (``{"en": ..., "fr": ...}``), under ``parent`` (a code) or
    at the top of the ``instrument``'s tree. The secretariat's."""
    require(
        permissions.can_edit_instruments(request.user),
        permissions.secretariat_only("add commitments"),
    )
    instrument = selectors.instrument_get(payload.instrument)
    if Commitment.objects.filter(code=payload.code).exists():
        raise Invalid(f"code: another commitment has the code {payload.code!r}.")
    commitment = services.commitment_create(
        user=request.user,
        instrument=instrument,
        code=payload.code,
        title=payload.titles,
        description=payload.descriptions,
        parent=_parent(instrument.pk, payload.parent),
        position=payload.position,
    )
    return Status(201, commitment_out(commitment))


class CommitmentPatch(Schema):
    version: int | None = None
    code: str | None = None
    titles: dict[str, str] | None = None
    descriptions: dict[str, str] | None = None
    parent: str | None = None
    position: int | None = None


@router.patch(
    "/commitments/{code}",
    response=CommitmentOut,
    auth=authenticated,
    summary="Edit, move or re-code a commitment",
)
def commitment_update(request: HttpRequest, code: str, payload: CommitmentPatch) -> dict:
    """Send the ``version`` you read (409 if stale). A new ``code`` keeps the former one
    resolving; ``parent`` moves it (``""`` to the top level)."""
    commitment, _former = commitment_resolve(code)
    given = payload.model_fields_set
    parent = (
        _parent(commitment.instrument_id, payload.parent)
        if "parent" in given
        else commitment.parent
    )
    changed = commitment_edit(
        user=request.user,
        commitment=commitment,
        title=payload.titles if payload.titles is not None else commitment.title,
        description=payload.descriptions,
        parent=parent,
        position=payload.position,
        code=payload.code,
        version=payload.version,
    )
    return commitment_out(commitment_resolve(changed.code)[0])


class TargetOut(Schema):
    id: int
    place: str
    place_name: str
    year: int
    value: float
    note: str


def target_out(target: object) -> dict:
    return {
        "id": target.pk,  # type: ignore[attr-defined]
        "place": target.place.code,  # type: ignore[attr-defined]
        "place_name": target.place.name,  # type: ignore[attr-defined]
        "year": target.year,  # type: ignore[attr-defined]
        "value": target.value,  # type: ignore[attr-defined]
        "note": target.note,  # type: ignore[attr-defined]
    }


@router.get(
    "/indicators/{code}/targets", response=list[TargetOut], summary="An indicator's targets"
)
@paginate(Page)
def target_list(request: HttpRequest, code: str) -> list[dict]:
    indicator = evidence_selectors.indicator_get(user=request.user, code=code)
    return [target_out(t) for t in targets.indicator_targets(indicator)]


class TargetIn(Schema):
    place: str
    year: int
    value: float
    note: str = ""


@router.post(
    "/indicators/{code}/targets",
    response={201: TargetOut},
    auth=authenticated,
    summary="Set an indicator's target for a place and year",
)
def target_set(request: HttpRequest, code: str, payload: TargetIn) -> Status:
    """``place`` by code (UN M49, ISO alpha-3 or named); the same place and year again
    replaces the value. The secretariat's."""
    indicator = evidence_selectors.indicator_get(user=request.user, code=code)
    require(
        evidence_permissions.can_set_targets(request.user, indicator),
        "Only the secretariat may set indicators' targets.",
    )
    target = targets.indicator_target_set(
        user=request.user,
        indicator=indicator,
        place=targets.place_for_code(payload.place),
        year=payload.year,
        value=payload.value,
        note=payload.note,
    )
    return Status(201, target_out(target))


@router.delete(
    "/indicators/{code}/targets/{target_id}",
    response={204: None},
    auth=authenticated,
    summary="Remove a target",
)
def target_remove(request: HttpRequest, code: str, target_id: int) -> Status:
    indicator = evidence_selectors.indicator_get(user=request.user, code=code)
    targets.indicator_target_remove(user=request.user, indicator=indicator, pk=target_id)
    return Status(204, None)

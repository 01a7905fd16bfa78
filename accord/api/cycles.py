"""Reporting cycles: plan, open, set the deadline, close; completeness; exceptions to
verified entries; an instrument's progress in a cycle (its verified entries only).

The entries of a cycle and their steps (draft, submit, verify, return) are in
:mod:`accord.api.cycle_entries`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.access.permissions import require
from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.commitments import completeness, cycles, permissions, selectors
from accord.commitments.models import Cycle, CycleEntry, EntryException, Instrument
from accord.core.errors import Invalid, NotFound

router = Router(tags=["reporting cycles"])


class CycleOut(Schema):
    name: str
    status: str
    opens_on: dt.date
    closes_on: dt.date
    instruments: list[str]
    previous: str | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int


def cycle_out(cycle: Cycle) -> dict[str, Any]:
    return {
        "name": cycle.name,
        "status": cycle.status,
        "opens_on": cycle.opens_on,
        "closes_on": cycle.closes_on,
        "instruments": [i.code for i in cycle.instruments.all()],
        "previous": cycle.previous.name if cycle.previous else None,
        "opened_at": cycle.opened_at,
        "closed_at": cycle.closed_at,
        "version": cycle.version,
    }


def _cycle(name: str) -> Cycle:
    cycle = (
        Cycle.objects.select_related("previous")
        .prefetch_related("instruments")
        .filter(name=name)
        .first()
    )
    if cycle is None:
        raise NotFound(f"No reporting cycle is named {name!r}.")
    return cycle


@router.get("/cycles", response=list[CycleOut], summary="List reporting cycles")
@paginate(Page)
def cycle_list(request: HttpRequest) -> list[dict]:
    """Each cycle with its ``status``: planned, open or closed."""
    return [
        cycle_out(c)
        for c in Cycle.objects.select_related("previous").prefetch_related("instruments")
    ]


@router.get("/cycles/{name}", response=CycleOut, summary="One reporting cycle")
def cycle_detail(request: HttpRequest, name: str) -> dict:
    return cycle_out(_cycle(name))


class CycleIn(Schema):
    name: str
    opens_on: dt.date
    closes_on: dt.date
    previous: str | None = None
    instruments: list[str] = []


@router.post(
    "/cycles", response={201: CycleOut}, auth=authenticated, summary="Plan a reporting cycle"
)
def cycle_create(request: HttpRequest, payload: CycleIn) -> Status:
    """The secretariat plans a cycle (``status`` planned); open it with ``/open``. A cycle
    that names a ``previous`` one carries over its entries when it opens."""
    require(
        permissions.can_manage_cycles(request.user),
        permissions.secretariat_only("plan cycles"),
    )
    previous = _cycle(payload.previous) if payload.previous else None
    instruments = []
    for code in payload.instruments:
        instrument = Instrument.objects.filter(code__iexact=code).first()
        if instrument is None:
            raise Invalid(f"instruments: no instrument has the code {code!r}.")
        instruments.append(instrument)
    if Cycle.objects.filter(name=payload.name).exists():
        raise Invalid(f"name: a cycle is already named {payload.name!r}.")
    cycle = cycles.cycle_create(
        user=request.user,
        name=payload.name,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        instruments=instruments,
        previous=previous,
    )
    return Status(201, cycle_out(_cycle(cycle.name)))


class VersionIn(Schema):
    version: int | None = None


@router.post("/cycles/{name}/open", response=CycleOut, auth=authenticated, summary="Open a cycle")
def cycle_open(request: HttpRequest, name: str, payload: VersionIn | None = None) -> dict:
    """Open a planned cycle; if it continues another, the entries not verified there come
    back as they were (with their comments) and verified ones start new drafts. The
    secretariat's."""
    version = payload.version if payload else None
    cycles.cycle_start(user=request.user, cycle=_cycle(name), version=version)
    return cycle_out(_cycle(name))


@router.post("/cycles/{name}/close", response=CycleOut, auth=authenticated, summary="Close a cycle")
def cycle_close(request: HttpRequest, name: str, payload: VersionIn | None = None) -> dict:
    """Close an open cycle: nothing more is reported in it. The secretariat's."""
    version = payload.version if payload else None
    cycles.cycle_close(user=request.user, cycle=_cycle(name), version=version)
    return cycle_out(_cycle(name))


class DeadlineIn(Schema):
    closes_on: dt.date
    version: int | None = None


@router.put(
    "/cycles/{name}/deadline",
    response=CycleOut,
    auth=authenticated,
    summary="Set a cycle's deadline",
)
def cycle_deadline(request: HttpRequest, name: str, payload: DeadlineIn) -> dict:
    """Entries submitted after ``closes_on`` are late; those already in keep their mark."""
    cycles.cycle_set_deadline(
        user=request.user, cycle=_cycle(name), closes_on=payload.closes_on, version=payload.version
    )
    return cycle_out(_cycle(name))


class CompletenessOut(Schema):
    partner: str
    expected: int
    entered: int
    submitted: int
    verified: int
    returned: int
    late_entries: int
    timeliness: str


@router.get(
    "/cycles/{name}/completeness",
    response=list[CompletenessOut],
    auth=authenticated,
    summary="Completeness and timeliness per partner",
)
@paginate(Page)
def cycle_completeness(request: HttpRequest, name: str) -> list[dict]:
    """Per partner: entries expected, entered, submitted, verified, returned, and
    ``timeliness`` (on_time, late or in_progress). The secretariat's."""
    require(
        permissions.can_manage_cycles(request.user), "The completeness board is the secretariat's."
    )
    return [row.as_dict() for row in completeness.cycle_completeness(_cycle(name))]


class ExceptionIn(Schema):
    initiative: int
    reason: str
    status: str | None = None
    progress: int | None = None
    comment: str | None = None
    version: int | None = None


class ExceptionOut(Schema):
    cycle: str
    initiative: int
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    by: str | None
    at: dt.datetime


def exception_out(exception: EntryException) -> dict[str, Any]:
    return {
        "cycle": exception.entry.cycle.name,
        "initiative": exception.entry.initiative_id,
        "reason": exception.reason,
        "before": exception.before,
        "after": exception.after,
        "by": exception.by.get_username() if exception.by else None,
        "at": exception.at,
    }


@router.get(
    "/cycles/{name}/exceptions",
    response=list[ExceptionOut],
    auth=authenticated,
    summary="Changes made to the cycle's verified entries",
)
@paginate(Page)
def cycle_exception_list(request: HttpRequest, name: str) -> list[dict]:
    require(permissions.can_manage_cycles(request.user), "The exceptions are the secretariat's.")
    return [exception_out(e) for e in completeness.cycle_exceptions(_cycle(name))]


@router.post(
    "/cycles/{name}/exceptions",
    response={201: ExceptionOut},
    auth=authenticated,
    summary="Change a verified entry, with a reason",
)
def cycle_exception_record(request: HttpRequest, name: str, payload: ExceptionIn) -> Status:
    """A verified entry is locked: the secretariat changes its ``status``, ``progress`` or
    ``comment`` only by recording an exception with a ``reason``, kept and shown."""
    cycle = _cycle(name)
    entry = (
        CycleEntry.objects.select_related("cycle", "initiative")
        .filter(cycle=cycle, initiative_id=payload.initiative)
        .first()
    )
    if entry is None:
        raise NotFound(f"Initiative {payload.initiative} has no entry in the cycle {name!r}.")
    changes = {
        key: value
        for key, value in {
            "status": payload.status,
            "progress": payload.progress,
            "comment": payload.comment,
        }.items()
        if value is not None
    }
    if not changes:
        raise Invalid("changes: give a new status, progress or comment.")
    exception = cycles.entry_exception_record(
        user=request.user,
        entry=entry,
        reason=payload.reason,
        changes=changes,
        version=payload.version,
    )
    return Status(201, exception_out(exception))


# --- the progress report -----------------------------------------------------------------


class ProgressRowOut(Schema):
    code: str
    title: str
    level: int
    initiatives: int
    countries: int
    partners: int
    funding_eur: float
    progress: float | None
    gap: bool


class ProgressChangeOut(Schema):
    initiative: str
    partner: str
    before: str
    after: str


class ProgressOut(Schema):
    instrument: str
    cycle: str
    previous: str | None
    classification: str
    rows: list[ProgressRowOut]
    gaps: list[str]
    changes: list[ProgressChangeOut]


class ProgressQuery(Schema):
    cycle: str = ""


@router.get(
    "/instruments/{code}/progress",
    response=ProgressOut,
    summary="An instrument's progress in a cycle (verified entries only)",
)
def instrument_progress(
    request: HttpRequest, code: str, query: Query[ProgressQuery]
) -> dict[str, Any]:
    """The progress report's figures: only the initiatives verified in ``cycle`` count, at
    their verified progress. Counts only initiatives you may see."""
    from accord.reports.progress import progress_context

    selectors.instrument_get(code)
    report = progress_context(user=request.user, instrument=code, cycle=query.cycle)
    return {
        "instrument": report.instrument.code,
        "cycle": report.cycle.name,
        "previous": report.previous.name if report.previous else None,
        "classification": report.classification,
        "rows": [
            {
                "code": r.code,
                "title": r.title,
                "level": r.depth + 1,
                "initiatives": r.initiatives,
                "countries": r.countries,
                "partners": r.partners,
                "funding_eur": float(r.funding_eur or 0),
                "progress": r.progress,
                "gap": r.gap,
            }
            for r in report.rows
        ],
        "gaps": [r.code for r in report.gaps],
        "changes": [
            {"initiative": c.initiative, "partner": c.partner, "before": c.before, "after": c.after}
            for c in report.changes
        ],
    }

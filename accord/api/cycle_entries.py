"""The entries of a reporting cycle and their steps: draft, submit, verify, return.

Their routes keep the operation ids they had in :mod:`accord.api.commitments`.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.commitments import selectors
from accord.commitments.cycles import entry_draft, entry_return, entry_submit, entry_verify
from accord.commitments.models import CycleEntry, Initiative
from accord.core.errors import NotFound

router = Router(tags=["commitments"])


class EntryOut(Schema):
    cycle: str
    initiative: int
    title: str
    partner: str | None
    state: str
    comment: str
    status: str
    progress: int | None
    version: int


def entry_out(entry: CycleEntry) -> dict:
    """An entry as the API answers it (the list of cycles is in :mod:`accord.api.cycles`)."""
    return {
        "cycle": entry.cycle.name,
        "initiative": entry.initiative_id,
        "title": entry.initiative.title_text,
        "partner": entry.initiative.partner.acronym if entry.initiative.partner else None,
        "state": entry.state,
        "comment": entry.comment,
        "status": entry.status,
        "progress": entry.progress,
        "version": entry.version,
    }


def _entries_for(request: HttpRequest, cycle: Any) -> Any:
    visible = Initiative.objects.visible_to(request.user).values("pk")
    return selectors.cycle_entries(cycle).filter(initiative_id__in=visible).select_related("cycle")


@router.get(
    "/cycles/{name}/entries",
    response=list[EntryOut],
    summary="Entries of a cycle",
    operation_id="accord_api_commitments_cycle_entry_list",
)
@paginate(Page)
def cycle_entry_list(request: HttpRequest, name: str) -> list[dict]:
    return [entry_out(e) for e in _entries_for(request, selectors.cycle_get(name))]


class EntryIn(Schema):
    initiative: int


@router.post(
    "/cycles/{name}/entries",
    response={201: EntryOut},
    auth=authenticated,
    summary="Draft an initiative's entry in a cycle",
    operation_id="accord_api_commitments_cycle_entry_draft",
)
def cycle_entry_draft(request: HttpRequest, name: str, payload: EntryIn) -> Status:
    cycle = selectors.cycle_get(name)
    initiative = selectors.initiative_get(user=request.user, pk=payload.initiative)
    entry = entry_draft(user=request.user, cycle=cycle, initiative=initiative)
    return Status(201, entry_out(entry))


class TransitionIn(Schema):
    version: int | None = None
    comment: str = ""


def _entry(cycle_name: str, initiative_id: int) -> CycleEntry:
    entry = (
        CycleEntry.objects.select_related("cycle", "initiative__partner")
        .filter(cycle__name=cycle_name, initiative_id=initiative_id)
        .first()
    )
    if entry is None:
        raise NotFound(f"Initiative {initiative_id} has no entry in the cycle {cycle_name!r}.")
    return entry


TRANSITIONS = {
    "submit": lambda user, entry, body: entry_submit(user=user, entry=entry, version=body.version),
    "verify": lambda user, entry, body: entry_verify(
        user=user, entry=entry, comment=body.comment, version=body.version
    ),
    "return": lambda user, entry, body: entry_return(
        user=user, entry=entry, comment=body.comment, version=body.version
    ),
}


@router.post(
    "/cycles/{name}/entries/{initiative_id}/{action}",
    response=EntryOut,
    auth=authenticated,
    summary="Submit, verify or return an entry",
    operation_id="accord_api_commitments_cycle_entry_transition",
)
def cycle_entry_transition(
    request: HttpRequest, name: str, initiative_id: int, action: str, payload: TransitionIn
) -> dict:
    """``submit`` (the partner's focal point), ``verify`` or ``return`` with a comment
    (the secretariat)."""
    if action not in TRANSITIONS:
        raise NotFound(f"No action {action!r}; use submit, verify or return.")
    entry = TRANSITIONS[action](request.user, _entry(name, initiative_id), payload)
    entry = _entry(name, initiative_id)
    return entry_out(entry)

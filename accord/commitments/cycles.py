"""Writes about reporting cycles and the entries partners report in them.

A partner's contributors and focal points draft the entries of its initiatives; only
its focal points submit them; the secretariat opens cycles and verifies or returns
entries (see :mod:`accord.commitments.permissions`). An initiative becomes public when
the secretariat verifies its entry in a cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accord.access.models import RoleKind
from accord.access.permissions import Actor, require
from accord.commitments import permissions
from accord.commitments.models import Cycle, CycleEntry, EntryState, Initiative, Instrument
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.services import full_clean_or_invalid, lock_current


def _snapshot(initiative: Initiative) -> dict[str, Any]:
    return {
        "title": initiative.title_text,
        "status": initiative.status,
        "progress": initiative.progress,
        "version": initiative.version,
    }


@transaction.atomic
def cycle_open(
    *,
    user: Actor,
    name: str,
    opens_on: dt.date,
    closes_on: dt.date,
    instruments: Iterable[Instrument] = (),
    previous: Cycle | None = None,
) -> Cycle:
    """Open a cycle; the previous cycle's entries are carried over as drafts to update."""
    require(
        permissions.can_manage_cycles(user), permissions.secretariat_only("open reporting cycles")
    )
    cycle = Cycle(name=name, opens_on=opens_on, closes_on=closes_on, previous=previous)
    full_clean_or_invalid(cycle)
    cycle.save()
    cycle.instruments.set(list(instruments))
    if previous is not None:
        CycleEntry.objects.bulk_create(
            CycleEntry(
                cycle=cycle,
                initiative_id=entry.initiative_id,
                state=EntryState.DRAFT,
                status=entry.status,
                progress=entry.progress,
                snapshot=entry.snapshot,
                changed_by_id=getattr(user, "pk", None),
            )
            for entry in previous.entries.all()
        )
    return cycle


@transaction.atomic
def entry_draft(*, user: Actor, cycle: Cycle, initiative: Initiative) -> CycleEntry:
    """Start (or reopen) the initiative's entry in the cycle, as a draft."""
    require(
        permissions.can_draft_entry(user, initiative, cycle),
        permissions.partners_only(RoleKind.CONTRIBUTOR, RoleKind.FOCAL_POINT),
    )
    in_scope = list(cycle.instruments.values_list("pk", flat=True))
    if in_scope and not initiative.commitments.filter(instrument_id__in=in_scope).exists():
        raise Invalid(
            _("This cycle follows up %(codes)s; the initiative implements none of its commitments.")
            % {"codes": ", ".join(cycle.instruments.values_list("code", flat=True))}
        )
    entry, created = CycleEntry.objects.get_or_create(
        cycle=cycle,
        initiative=initiative,
        defaults={"snapshot": _snapshot(initiative), "changed_by_id": getattr(user, "pk", None)},
    )
    if not created and entry.state == EntryState.VERIFIED:
        raise Invalid(_("This entry is verified; it cannot go back to draft."))
    return entry


def _transition(
    *,
    user: Actor,
    entry: CycleEntry,
    to: str,
    allowed_from: set[str],
    version: int | None,
    comment: str | None = None,
) -> CycleEntry:
    current = lock_current(CycleEntry, pk=entry.pk, version=version, select_related=["initiative"])
    if current.state not in allowed_from:
        raise Invalid(
            _("An entry that is %(state)s cannot become %(to)s.")
            % {"state": current.get_state_display(), "to": EntryState(to).label}
        )
    initiative = current.initiative
    current.state = to
    current.status = initiative.status
    current.progress = initiative.progress
    current.snapshot = _snapshot(initiative)
    if comment is not None:
        current.comment = comment
    current.changed_by_id = getattr(user, "pk", None)
    current.version += 1
    current.save()
    return current


@transaction.atomic
def entry_submit(*, user: Actor, entry: CycleEntry, version: int | None = None) -> CycleEntry:
    require(
        permissions.can_submit_entry(user, entry.initiative, entry),
        permissions.partners_only(RoleKind.FOCAL_POINT),
    )
    return _transition(
        user=user,
        entry=entry,
        to=EntryState.SUBMITTED,
        allowed_from={EntryState.DRAFT, EntryState.RETURNED},
        version=version,
    )


@transaction.atomic
def entry_verify(
    *, user: Actor, entry: CycleEntry, comment: str = "", version: int | None = None
) -> CycleEntry:
    """The secretariat verifies a submitted entry; its initiative becomes public."""
    require(
        permissions.can_verify_entry(user, entry), permissions.secretariat_only("verify entries")
    )
    verified = _transition(
        user=user,
        entry=entry,
        to=EntryState.VERIFIED,
        allowed_from={EntryState.SUBMITTED},
        version=version,
        comment=comment,
    )
    initiative = verified.initiative
    if initiative.classification != Classification.PUBLIC:
        initiative.classification = Classification.PUBLIC
        initiative.version += 1
        initiative.save(update_fields=["classification", "version", "updated_at"])
    return verified


@transaction.atomic
def entry_return(
    *, user: Actor, entry: CycleEntry, comment: str, version: int | None = None
) -> CycleEntry:
    require(
        permissions.can_return_entry(user, entry), permissions.secretariat_only("return entries")
    )
    if not comment.strip():
        raise Invalid(_("comment: say why the entry is returned."))
    return _transition(
        user=user,
        entry=entry,
        to=EntryState.RETURNED,
        allowed_from={EntryState.SUBMITTED},
        version=version,
        comment=comment,
    )

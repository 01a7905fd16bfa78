"""Writes about reporting cycles and the entries partners report in them.

A cycle is planned, opened (carrying over the entries of the cycle it continues) and
closed by the secretariat; its ``closes_on`` is the deadline. A partner's contributors
and focal points draft the entries of its initiatives; only
its focal points submit them; the secretariat opens cycles and verifies or returns
entries (see :mod:`accord.commitments.permissions`). An initiative becomes public when
the secretariat verifies its entry in a cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.models import RoleKind
from accord.access.permissions import Actor, require
from accord.commitments import permissions
from accord.commitments.models import (
    Cycle,
    CycleEntry,
    CycleStatus,
    EntryException,
    EntryState,
    Initiative,
    Instrument,
)
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.services import full_clean_or_invalid, lock_current, model_update


def _snapshot(initiative: Initiative) -> dict[str, Any]:
    return {
        "title": initiative.title_text,
        "status": initiative.status,
        "progress": initiative.progress,
        "version": initiative.version,
    }


@transaction.atomic
def cycle_create(
    *,
    user: Actor,
    name: str,
    opens_on: dt.date,
    closes_on: dt.date,
    instruments: Iterable[Instrument] = (),
    previous: Cycle | None = None,
) -> Cycle:
    """Plan a cycle: nothing is reported in it until it is opened."""
    require(permissions.can_manage_cycles(user), permissions.secretariat_only("plan cycles"))
    cycle = Cycle(
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        previous=previous,
        status=CycleStatus.PLANNED,
    )
    full_clean_or_invalid(cycle)
    cycle.save()
    cycle.instruments.set(list(instruments))
    audit_record(actor=user, verb="cycle.created", target=cycle, data={"name": name})
    return cycle


def _carry_over(*, user: Actor, cycle: Cycle, previous: Cycle) -> int:
    """Bring the previous cycle's entries into ``cycle``; answer how many came.

    An entry not verified there comes back as it was (a draft, a returned entry with its
    comment, a submitted one still waiting); a verified one starts a new draft from the
    verified figures, for the partner to update.
    """
    by = _user_id(user)
    rows = []
    for entry in previous.entries.all():
        verified = entry.state == EntryState.VERIFIED
        rows.append(
            CycleEntry(
                cycle=cycle,
                initiative_id=entry.initiative_id,
                state=EntryState.DRAFT if verified else entry.state,
                comment="" if verified else entry.comment,
                status=entry.status,
                progress=entry.progress,
                snapshot=entry.snapshot,
                submitted_at=None if verified else entry.submitted_at,
                on_time=None if verified or entry.submitted_at is None else True,
                carried_from=entry,
                changed_by_id=by,
            )
        )
    CycleEntry.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def cycle_start(*, user: Actor, cycle: Cycle, version: int | None = None) -> Cycle:
    """Open a planned cycle; if it continues another, that one's entries are carried over."""
    require(
        permissions.can_manage_cycles(user), permissions.secretariat_only("open reporting cycles")
    )
    current = lock_current(Cycle, pk=cycle.pk, version=version)
    if current.status != CycleStatus.PLANNED:
        raise Invalid(
            _("The cycle %(name)s is %(status)s; only a planned cycle opens.")
            % {"name": current.name, "status": current.get_status_display().lower()}
        )
    current.status = CycleStatus.OPEN
    current.opened_at = timezone.now()
    current.version += 1
    current.save(update_fields=["status", "opened_at", "version", "updated_at"])
    carried = 0
    if current.previous is not None:
        carried = _carry_over(user=user, cycle=current, previous=current.previous)
    audit_record(
        actor=user,
        verb="cycle.opened",
        target=current,
        data={"previous": current.previous.name if current.previous else None, "carried": carried},
    )
    return current


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
    """Plan and open a cycle at once (see :func:`cycle_create` and :func:`cycle_start`)."""
    cycle = cycle_create(
        user=user,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        instruments=instruments,
        previous=previous,
    )
    return cycle_start(user=user, cycle=cycle)


@transaction.atomic
def cycle_set_deadline(
    *, user: Actor, cycle: Cycle, closes_on: dt.date, version: int | None = None
) -> Cycle:
    """Move the date by which partners submit; entries already in keep their timeliness."""
    require(
        permissions.can_manage_cycles(user), permissions.secretariat_only("set cycle deadlines")
    )
    current = lock_current(Cycle, pk=cycle.pk, version=version)
    if current.status == CycleStatus.CLOSED:
        raise Invalid(_("The cycle %(name)s is closed.") % {"name": current.name})
    before = current.closes_on
    updated = model_update(instance=current, data={"closes_on": closes_on}, version=None)
    audit_record(
        actor=user,
        verb="cycle.deadline",
        target=updated,
        data={"before": before.isoformat(), "after": closes_on.isoformat()},
    )
    return updated


@transaction.atomic
def cycle_close(*, user: Actor, cycle: Cycle, version: int | None = None) -> Cycle:
    """Close an open cycle: nothing more is reported in it; verified entries stay locked."""
    require(
        permissions.can_manage_cycles(user), permissions.secretariat_only("close reporting cycles")
    )
    current = lock_current(Cycle, pk=cycle.pk, version=version)
    if current.status != CycleStatus.OPEN:
        raise Invalid(
            _("The cycle %(name)s is %(status)s; only an open cycle closes.")
            % {"name": current.name, "status": current.get_status_display().lower()}
        )
    current.status = CycleStatus.CLOSED
    current.closed_at = timezone.now()
    current.version += 1
    current.save(update_fields=["status", "closed_at", "version", "updated_at"])
    counts = dict(
        current.entries.order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    audit_record(actor=user, verb="cycle.closed", target=current, data={"entries": counts})
    return current


def _require_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.OPEN:
        raise Invalid(
            _("The cycle %(name)s is %(status)s; entries change only while it is open.")
            % {"name": cycle.name, "status": cycle.get_status_display().lower()}
        )


def _user_id(user: Actor) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


@transaction.atomic
def entry_draft(*, user: Actor, cycle: Cycle, initiative: Initiative) -> CycleEntry:
    """Start (or reopen) the initiative's entry in the cycle, as a draft."""
    require(
        permissions.can_draft_entry(user, initiative, cycle),
        permissions.partners_only(RoleKind.CONTRIBUTOR, RoleKind.FOCAL_POINT),
    )
    _require_open(cycle)
    in_scope = list(cycle.instruments.values_list("pk", flat=True))
    if in_scope and not initiative.commitments.filter(instrument_id__in=in_scope).exists():
        raise Invalid(
            _("This cycle follows up %(codes)s; the initiative implements none of its commitments.")
            % {"codes": ", ".join(cycle.instruments.values_list("code", flat=True))}
        )
    entry, created = CycleEntry.objects.get_or_create(
        cycle=cycle,
        initiative=initiative,
        defaults={"snapshot": _snapshot(initiative), "changed_by_id": _user_id(user)},
    )
    if not created and entry.state == EntryState.VERIFIED:
        raise Invalid(_("This entry is verified; it cannot go back to draft."))
    if created:
        audit_record(actor=user, verb="entry.drafted", target=entry, data=_entry_data(entry))
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
    current = lock_current(
        CycleEntry, pk=entry.pk, version=version, select_related=["initiative", "cycle"]
    )
    _require_open(current.cycle)
    if current.state == EntryState.VERIFIED:
        raise Invalid(
            _(
                "This entry is verified and locked; the secretariat records any change to it "
                "as an exception, with a reason."
            )
        )
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
    if to == EntryState.SUBMITTED:
        current.submitted_at = timezone.now()
        current.on_time = timezone.localdate() <= current.cycle.closes_on
    current.changed_by_id = _user_id(user)
    current.version += 1
    current.save()
    audit_record(actor=user, verb=f"entry.{to}", target=current, data=_entry_data(current))
    return current


def _entry_data(entry: CycleEntry) -> dict[str, Any]:
    return {
        "cycle": entry.cycle.name,
        "initiative": entry.initiative_id,
        "state": entry.state,
        "status": entry.status,
        "progress": entry.progress,
        "comment": entry.comment,
    }


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


LOCKED_FIELDS = ("status", "progress", "comment")


@transaction.atomic
def entry_exception_record(
    *,
    user: Actor,
    entry: CycleEntry,
    reason: str,
    changes: dict[str, Any],
    version: int | None = None,
) -> EntryException:
    """Change a verified entry: an exception the secretariat records with its reason.

    ``changes`` names fields of :data:`LOCKED_FIELDS` and their new values; the entry
    stays verified, and the exception keeps who, when, why and the values before and
    after.
    """
    require(
        permissions.can_record_exception(user, entry),
        permissions.secretariat_only("change a verified entry"),
    )
    if not reason.strip():
        raise Invalid(_("reason: say why a verified entry changes."))
    unknown = sorted(set(changes) - set(LOCKED_FIELDS))
    if unknown:
        raise Invalid(
            _("changes: %(fields)s cannot be changed; give %(allowed)s.")
            % {"fields": ", ".join(unknown), "allowed": ", ".join(LOCKED_FIELDS)}
        )
    current = lock_current(
        CycleEntry, pk=entry.pk, version=version, select_related=["initiative", "cycle"]
    )
    if current.state != EntryState.VERIFIED:
        raise Invalid(_("Only a verified entry needs an exception; this one can be edited."))
    before = {name: getattr(current, name) for name in changes}
    for name, value in changes.items():
        setattr(current, name, value)
    full_clean_or_invalid(current)
    after = {name: getattr(current, name) for name in changes}
    current.changed_by_id = _user_id(user)
    current.version += 1
    current.save()
    exception = EntryException(
        entry=current, reason=reason.strip(), before=before, after=after, by_id=_user_id(user)
    )
    exception.save()
    audit_record(
        actor=user,
        verb="entry.exception",
        target=current,
        data={"reason": exception.reason, "before": before, "after": after},
    )
    return exception

"""Written and silence procedures: opening one, the partners' answers, closing it, and its
outcome as a decision that belongs to the procedure.

- written: adopted as soon as every partner asked has agreed; an objection, or a
  deadline passed without every agreement, and it is not adopted;
- silence: adopted at the deadline unless a partner objected; an objection breaks the
  silence at once.

The deadline (``closes``) is the last day answers are taken; :func:`close_due_procedures`
closes the procedures whose last day has passed (the worker's periodic job and
``accord procedures close-due``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.selectors import get_visible
from accord.core.services import full_clean_or_invalid, lock_current
from accord.meetings import permissions
from accord.meetings.models import (
    Decision,
    Procedure,
    ProcedureAnswer,
    ProcedureAnswerKind,
    ProcedureKind,
    ProcedureOutcome,
    ProcedureState,
)
from accord.partners.models import Membership, Organisation

if TYPE_CHECKING:
    from accord.access.permissions import Actor


def members_today(today: dt.date) -> list[Organisation]:
    """The partners that are members of a framework on ``today``."""
    current = Membership.objects.filter(joined_on__lte=today).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    return list(
        Organisation.objects.filter(pk__in=current.values("organisation_id")).order_by("acronym")
    )


def _acronyms(partners: Iterable[Organisation]) -> list[str]:
    return [partner.acronym for partner in partners]


@transaction.atomic
def procedure_open(
    *,
    kind: str,
    text: str,
    closes: dt.date,
    partners: Sequence[Organisation] = (),
    classification: str = Classification.MEMBERS,
    restricted_to: Sequence[Organisation] = (),
    by: Actor = None,
    today: dt.date | None = None,
) -> Procedure:
    """Put the draft decision ``text`` to ``partners`` (none named: every member today)
    until the end of ``closes``."""
    require(permissions.can_open_procedure(by), _("Only the secretariat opens written procedures."))
    today = today or timezone.localdate()
    if kind not in ProcedureKind.values:
        raise Invalid(
            _("A procedure is written or silence, not %(kind)s.") % {"kind": kind},
            details={"kind": [kind]},
        )
    if classification not in Classification.values:
        raise Invalid(
            _("Unknown classification %(value)s.") % {"value": classification},
            details={"classification": [classification]},
        )
    if closes < today:
        raise Invalid(
            _("The deadline %(closes)s has passed already.") % {"closes": closes.isoformat()},
            details={"closes": ["past"]},
        )
    asked = list(dict.fromkeys(partners)) or members_today(today)
    if not asked:
        raise Invalid(
            _("No partner to ask: name the partners, or record the framework's members."),
            details={"partners": ["required"]},
        )
    procedure = Procedure(
        kind=kind,
        text=(text or "").strip(),
        closes=closes,
        all_members=not partners,
        classification=classification,
        opened_by_id=by.pk if by is not None and by.is_authenticated else None,
    )
    full_clean_or_invalid(procedure)
    procedure.save()
    procedure.partners.set(asked)
    if classification == Classification.RESTRICTED:
        procedure.restricted_to.set(restricted_to or asked)
    audit_record(
        actor=by,
        verb="procedure.opened",
        target=procedure,
        data={
            "kind": kind,
            "closes": closes.isoformat(),
            "partners": _acronyms(asked),
            "classification": classification,
        },
    )
    return procedure


def _locked(procedure: Procedure, version: int | None) -> Procedure:
    return lock_current(Procedure, pk=procedure.pk, version=version)


def answerable_partners(actor: Actor, procedure: Procedure) -> list[Organisation]:
    """The partners asked that ``actor`` may answer for now."""
    return [
        partner
        for partner in procedure.partners.all()
        if permissions.can_answer_procedure(actor, procedure, partner.pk)
    ]


@transaction.atomic
def procedure_answer(
    *,
    procedure: Procedure,
    answer: str,
    reason: str = "",
    partner: Organisation | None = None,
    version: int | None = None,
    by: Actor = None,
    now: dt.datetime | None = None,
) -> ProcedureAnswer:
    """``partner`` agrees or objects (with a reason). A later answer of the same partner
    replaces its earlier one while the procedure is open; both stay in the trail.
    ``version``, when given, is the procedure's version the answerer read: a deadline or
    text changed since answers 409."""
    now = now or timezone.now()
    current = _locked(procedure, version)
    if not current.is_open:
        raise Invalid(
            _("This procedure is closed: %(state)s.") % {"state": current.get_state_display()},
            details={"procedure": ["closed"]},
        )
    if current.closes < timezone.localdate(now):
        raise Invalid(
            _("The deadline of this procedure has passed."), details={"procedure": ["past"]}
        )
    if partner is None:
        mine = answerable_partners(by, current)
        require(bool(mine), _("You answer for no partner asked in this procedure."))
        if len(mine) > 1:
            raise Invalid(_("Name the partner you answer for."), details={"partner": ["required"]})
        partner = mine[0]
    require(
        permissions.can_answer_procedure(by, current, partner.pk),
        _("Only a focal point or a member of a partner asked answers for it."),
    )
    if answer not in ProcedureAnswerKind.values:
        raise Invalid(
            _("Answer agree or object, not %(answer)s.") % {"answer": answer},
            details={"answer": [answer]},
        )
    reason = (reason or "").strip()
    if answer == ProcedureAnswerKind.OBJECT and not reason:
        raise Invalid(_("Give the reason for the objection."), details={"reason": ["required"]})
    replaced = ProcedureAnswer.objects.filter(
        procedure=current, organisation=partner, replaced_at__isnull=True
    ).update(replaced_at=now)
    given = ProcedureAnswer(
        procedure=current,
        organisation=partner,
        answer=answer,
        reason=reason,
        answered_by_id=by.pk if by is not None and by.is_authenticated else None,
        answered_at=now,
    )
    full_clean_or_invalid(given)
    given.save()
    audit_record(
        actor=by,
        verb="procedure.answered",
        target=current,
        data={"partner": partner.acronym, "answer": answer, "replaces": bool(replaced)},
    )
    if answer == ProcedureAnswerKind.OBJECT:
        _close(current, ProcedureOutcome.OBJECTION, by=by, now=now)
    elif current.kind == ProcedureKind.WRITTEN and _all_agreed(current):
        _close(current, ProcedureOutcome.ALL_AGREED, by=by, now=now)
    return given


def _all_agreed(procedure: Procedure) -> bool:
    agreed = set(
        ProcedureAnswer.objects.filter(
            procedure=procedure, replaced_at__isnull=True, answer=ProcedureAnswerKind.AGREE
        ).values_list("organisation_id", flat=True)
    )
    return {partner.pk for partner in procedure.partners.all()} <= agreed


def _close(procedure: Procedure, outcome: str, *, by: Actor, now: dt.datetime) -> None:
    adopted = outcome in {ProcedureOutcome.ALL_AGREED, ProcedureOutcome.SILENCE_KEPT}
    procedure.state = ProcedureState.ADOPTED if adopted else ProcedureState.BROKEN
    procedure.outcome = outcome
    procedure.closed_at = now
    procedure.closed_on = timezone.localdate(now)
    procedure.version += 1
    procedure.save(
        update_fields=["state", "outcome", "closed_at", "closed_on", "version", "updated_at"]
    )
    data: dict[str, object] = {"kind": procedure.kind, "outcome": outcome}
    if adopted:
        decision = Decision(
            procedure=procedure,
            text=procedure.text,
            position=1,
            classification=procedure.classification,
        )
        full_clean_or_invalid(decision)
        decision.save()
        if procedure.classification == Classification.RESTRICTED:
            decision.restricted_to.set(procedure.restricted_to.all())
        data["decision"] = decision.pk
        audit_record(actor=by, verb="procedure.adopted", target=procedure, data=data)
    else:
        audit_record(actor=by, verb="procedure.broken", target=procedure, data=data)


@transaction.atomic
def procedure_update(
    *,
    procedure: Procedure,
    closes: dt.date | None = None,
    text: str | None = None,
    version: int | None,
    by: Actor = None,
) -> Procedure:
    """Move the deadline, or change the text before anyone answered (409 when stale)."""
    current = _locked(procedure, version)
    require(
        permissions.can_edit_procedure(by, current),
        _("Only the secretariat changes an open procedure."),
    )
    fields: list[str] = []
    if closes is not None and closes != current.closes:
        if closes < timezone.localdate():
            raise Invalid(_("The deadline cannot be in the past."), details={"closes": ["past"]})
        current.closes = closes
        fields.append("closes")
    if text is not None and text.strip() != current.text:
        if current.answers.exists():
            raise Invalid(
                _("Partners have answered this text: open a new procedure instead."),
                details={"text": ["answered"]},
            )
        current.text = text.strip()
        fields.append("text")
    if fields:
        full_clean_or_invalid(current)
        current.version += 1
        current.save(update_fields=[*fields, "version", "updated_at"])
    return current


def close_due_procedures(now: dt.datetime | None = None) -> list[Procedure]:
    """Close every open procedure whose last day has passed: a silence procedure is
    adopted (nobody objected, or it would be closed already), a written one is not
    (not every partner agreed). Each closes in its own transaction; the closed ones."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = []
    for pk in Procedure.objects.filter(state=ProcedureState.OPEN, closes__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            current = lock_current(Procedure, pk=pk, version=None)
            if not current.is_due(today):
                continue
            outcome = (
                ProcedureOutcome.SILENCE_KEPT
                if current.kind == ProcedureKind.SILENCE
                else ProcedureOutcome.INCOMPLETE
            )
            _close(current, outcome, by=None, now=now)
            closed.append(current)
    return closed


# --- reads ------------------------------------------------------------------------------


def _with_answers(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("partners", queryset=Organisation.objects.order_by("acronym")),
        Prefetch(
            "answers",
            queryset=ProcedureAnswer.objects.select_related("organisation", "answered_by").order_by(
                "answered_at", "pk"
            ),
        ),
        "restricted_to",
    ).select_related("decision", "opened_by")


def procedure_list(*, user: Actor, state: str | None = None) -> QuerySet:
    """The procedures this reader may see, the latest deadline first."""
    queryset = Procedure.objects.visible_to(user)
    if state:
        if state not in ProcedureState.values:
            raise Invalid(
                _("Unknown state %(state)s.") % {"state": state}, details={"state": [state]}
            )
        queryset = queryset.filter(state=state)
    return _with_answers(queryset.order_by("-closes", "-pk"))


def procedure_get(*, user: Actor, pk: int) -> Procedure:
    return get_visible(_with_answers(Procedure.objects.all()), user=user, pk=pk)


@dataclass
class PartnerRow:
    """One partner asked: its current answer (or none yet) and every answer it gave."""

    partner: Organisation
    answer: ProcedureAnswer | None
    trail: list[ProcedureAnswer]


def procedure_board(procedure: Procedure) -> list[PartnerRow]:
    """Each partner asked with its answer (read through the prefetched answers)."""
    answers = list(procedure.answers.all())
    rows = []
    for partner in procedure.partners.all():
        trail = [a for a in answers if a.organisation_id == partner.pk]
        current = next((a for a in trail if a.replaced_at is None), None)
        rows.append(PartnerRow(partner=partner, answer=current, trail=trail))
    return rows


def procedure_out(procedure: Procedure) -> dict[str, object]:
    """A procedure as the API gives it (read through ``procedure_get``/``procedure_list``)."""
    decision = getattr(procedure, "decision", None) if procedure.state == "adopted" else None
    return {
        "id": procedure.pk,
        "kind": procedure.kind,
        "text": procedure.text,
        "closes": procedure.closes,
        "state": procedure.state,
        "outcome": procedure.outcome or None,
        "classification": procedure.classification,
        "partners": [partner.acronym for partner in procedure.partners.all()],
        "answers": [
            {
                "partner": row.partner.acronym,
                "answer": row.answer.answer if row.answer else None,
                "reason": row.answer.reason if row.answer else "",
                "answered_at": row.answer.answered_at if row.answer else None,
            }
            for row in procedure_board(procedure)
        ],
        "trail": [
            {
                "partner": answer.organisation.acronym,
                "answer": answer.answer,
                "reason": answer.reason,
                "answered_at": answer.answered_at,
                "by": answer.answered_by.get_username() if answer.answered_by else None,
                "replaced_at": answer.replaced_at,
            }
            for answer in procedure.answers.all()
        ],
        "decision": decision.pk if decision is not None else None,
        "closed_at": procedure.closed_at,
        "version": procedure.version,
    }

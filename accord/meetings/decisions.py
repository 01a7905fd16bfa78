"""Decisions: numbered per meeting, linked to an agenda item, to commitments (by code), to
initiatives and to the action points that carry them out; and the register across
meetings.

Commitment codes and initiatives are checked against the commitments app when it is
installed: an unknown code is refused (422), never kept as free text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction
from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accord.access.audit import audit_record
from accord.access.permissions import require
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.params import query_year
from accord.core.selectors import get_visible
from accord.core.services import full_clean_or_invalid, model_update
from accord.core.signals import records_written
from accord.meetings import permissions
from accord.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    DecisionCommitment,
    DecisionInitiative,
    Meeting,
)
from accord.meetings.selectors import owner_acronyms, tier_get, with_ordinal

if TYPE_CHECKING:
    from accord.access.permissions import Actor

COMMITMENTS_APP = "accord.commitments"


def clean_codes(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))


def unknown_commitment_codes(codes: Sequence[str]) -> list[str]:
    """The codes no commitment bears (none when the commitments app is not installed)."""
    if not codes or not apps.is_installed(COMMITMENTS_APP):
        return []
    # By name: the commitments app sits beside this one and may be absent.
    commitment = apps.get_model("commitments", "Commitment")
    known = set(commitment.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]


def check_commitment_codes(codes: Iterable[str], *, field: str = "commitments") -> list[str]:
    """The codes, cleaned; :class:`Invalid` (422) naming each unknown one."""
    cleaned = clean_codes(codes)
    unknown = unknown_commitment_codes(cleaned)
    if unknown:
        raise Invalid(
            _("No commitment has the code %(codes)s.") % {"codes": ", ".join(unknown)},
            details={field: unknown},
        )
    return cleaned


def check_initiatives(ids: Iterable[int], *, by: Actor) -> list[int]:
    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    if not wanted or not apps.is_installed(COMMITMENTS_APP):
        return wanted
    initiative = apps.get_model("commitments", "Initiative")
    known = set(
        initiative.objects.visible_to(by).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    unknown = [pk for pk in wanted if pk not in known]
    if unknown:
        raise Invalid(
            _("No initiative has the id %(ids)s.") % {"ids": ", ".join(map(str, unknown))},
            details={"initiatives": unknown},
        )
    return wanted


def _check_item(meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise Invalid(
            _("The agenda item belongs to another meeting."), details={"agenda_item": ["other"]}
        )


def _action_points(meeting: Meeting, ids: Iterable[int]) -> list[ActionPoint]:
    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    found = list(ActionPoint.objects.filter(meeting=meeting, pk__in=wanted))
    missing = sorted(set(wanted) - {ap.pk for ap in found})
    if missing:
        raise Invalid(
            _("The meeting raised no action point %(ids)s.")
            % {"ids": ", ".join(map(str, missing))},
            details={"action_points": missing},
        )
    return found


def _set_links(
    decision: Decision,
    *,
    commitments: list[str] | None,
    initiatives: list[int] | None,
    action_points: list[ActionPoint] | None,
) -> bool:
    """Replace the links given (None leaves them); whether anything changed."""
    changed = False
    if commitments is not None:
        old = set(decision.commitment_links.values_list("commitment_code", flat=True))
        if old != set(commitments):
            decision.commitment_links.all().delete()
            DecisionCommitment.objects.bulk_create(
                DecisionCommitment(decision=decision, commitment_code=code) for code in commitments
            )
            changed = True
    if initiatives is not None:
        old_ids = set(decision.initiative_links.values_list("initiative_id", flat=True))
        if old_ids != set(initiatives):
            decision.initiative_links.all().delete()
            DecisionInitiative.objects.bulk_create(
                DecisionInitiative(decision=decision, initiative_id=pk) for pk in initiatives
            )
            changed = True
    if action_points is not None:
        current = set(decision.action_points.values_list("pk", flat=True))
        wanted = {ap.pk for ap in action_points}
        if current != wanted:
            ActionPoint.objects.filter(pk__in=current - wanted).update(raised_by_decision=None)
            ActionPoint.objects.filter(pk__in=wanted).update(raised_by_decision=decision)
            changed = True
    if changed:
        records_written.send(sender=Decision, pks=[decision.pk])
    return changed


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    commitments: Iterable[str] = (),
    initiatives: Iterable[int] = (),
    action_points: Iterable[int] = (),
    classification: str | None = None,
    by: Actor = None,
) -> Decision:
    """A new decision of ``meeting``, numbered after its last; classified as the meeting
    unless ``classification`` says otherwise."""
    require(
        permissions.can_record_decision(by, meeting), _("Only the secretariat records decisions.")
    )
    _check_item(meeting, agenda_item)
    codes = check_commitment_codes(commitments)
    initiative_ids = check_initiatives(initiatives, by=by)
    points = _action_points(meeting, action_points)
    last = Decision.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
    decision = Decision(
        meeting=meeting,
        text=text.strip(),
        agenda_item=agenda_item,
        position=(last or 0) + 1,
        classification=classification or meeting.classification,
    )
    full_clean_or_invalid(decision)
    decision.save()
    _set_links(decision, commitments=codes, initiatives=initiative_ids, action_points=points)
    audit_record(
        actor=by,
        verb="decision.recorded",
        target=decision,
        data={"meeting": meeting.key, "number": decision.position, "commitments": codes},
    )
    return decision


EDITABLE = frozenset(
    {"text", "agenda_item", "classification", "commitments", "initiatives", "action_points"}
)


@transaction.atomic
def decision_update(
    *, decision: Decision, data: Mapping[str, Any], version: int | None, by: Actor = None
) -> Decision:
    """Change the fields in ``data`` if nobody has since ``version`` (409 when stale);
    ``commitments`` (codes), ``initiatives`` and ``action_points`` (ids) replace the links."""
    require(permissions.can_edit_decision(by, decision), _("Only the secretariat edits decisions."))
    unknown = set(data) - EDITABLE
    if unknown:
        raise Invalid(
            _("These fields cannot be changed here: %(names)s.")
            % {"names": ", ".join(sorted(unknown))}
        )
    fields = {k: v for k, v in data.items() if k in {"text", "agenda_item", "classification"}}
    if "classification" in fields and fields["classification"] not in Classification.values:
        raise Invalid(
            _("Unknown classification %(value)s.") % {"value": fields["classification"]},
            details={"classification": [fields["classification"]]},
        )
    meeting = decision.meeting
    if meeting is None:  # a procedure's outcome: refused by the predicate above
        raise Invalid(_("A decision adopted by procedure is kept as adopted."))
    if "agenda_item" in fields:
        _check_item(meeting, fields["agenda_item"])
    codes = check_commitment_codes(data["commitments"]) if "commitments" in data else None
    initiative_ids = (
        check_initiatives(data["initiatives"], by=by) if "initiatives" in data else None
    )
    points = _action_points(meeting, data["action_points"]) if "action_points" in data else None
    updated = model_update(instance=decision, data=fields, version=version)
    links_changed = _set_links(
        updated, commitments=codes, initiatives=initiative_ids, action_points=points
    )
    if links_changed and updated.version == (version if version is not None else decision.version):
        updated.version += 1
        updated.save(update_fields=["version", "updated_at"])
    return updated


# --- reads ------------------------------------------------------------------------------


def decisions_with_links(queryset: QuerySet) -> Any:
    return queryset.select_related("agenda_item").prefetch_related(
        "commitment_links",
        "initiative_links",
        Prefetch("action_points", queryset=ActionPoint.objects.order_by("pk")),
        Prefetch("meeting", queryset=with_ordinal(Meeting.objects.select_related("tier"))),
        "procedure",
    )


def meeting_decisions(*, user: Actor, meeting: Meeting) -> QuerySet:
    return decisions_with_links(
        Decision.objects.visible_to(user).filter(meeting=meeting).order_by("position", "pk")
    )


def decision_get(*, user: Actor, pk: int) -> Decision:
    return get_visible(decisions_with_links(Decision.objects.all()), user=user, pk=pk)


def decision_register(
    *,
    user: Actor,
    commitment: str | None = None,
    meeting: str | None = None,
    tier: str | None = None,
    year: int | None = None,
    partner: str | None = None,
) -> QuerySet:
    """Decisions across meetings, as this reader may see them, newest meeting first.
    ``partner`` (an acronym, current or former): the decisions that partner carries out
    through their action points."""
    from accord.meetings.selectors import meeting_pk

    # A procedure's outcome has no meeting: its own classification decides.
    queryset = Decision.objects.visible_to(user).filter(
        Q(meeting__in=Meeting.objects.visible_to(user)) | Q(meeting__isnull=True)
    )
    if commitment:
        queryset = queryset.filter(commitment_links__commitment_code=commitment.strip())
    if meeting:
        queryset = queryset.filter(meeting_id=meeting_pk(meeting))
    if tier:
        tier_get(tier)
        queryset = queryset.filter(meeting__tier__code=tier)
    if year:
        queryset = queryset.filter(
            Q(meeting__date__year=year) | Q(meeting__isnull=True, procedure__closed_on__year=year)
        )
    if partner:
        queryset = queryset.filter(action_points__owners__acronym__in=owner_acronyms(partner))
    return decisions_with_links(
        queryset.distinct()
        .annotate(taken_on=Coalesce("meeting__date", "procedure__closed_on"))
        .order_by(F("taken_on").desc(nulls_last=True), "meeting_id", "position", "pk")
    )


def decision_out(decision: Decision) -> dict[str, Any]:
    """A decision as the API and the exports give it (read through ``decisions_with_links``)."""
    return {
        "id": decision.pk,
        "meeting": decision.meeting.key if decision.meeting is not None else None,
        "procedure": decision.procedure_id,
        "taken_on": decision_date(decision),
        "number": decision.position,
        "text": decision.text,
        "agenda_item": decision.agenda_item_id,
        "commitments": [link.commitment_code for link in decision.commitment_links.all()],
        "initiatives": [link.initiative_id for link in decision.initiative_links.all()],
        "action_points": [ap.pk for ap in decision.action_points.all()],
        "classification": decision.classification,
        "version": decision.version,
    }


def decision_date(decision: Decision) -> str | None:
    """The day a decision was taken: its meeting's (as precise as known), or the day its
    procedure closed."""
    if decision.meeting is not None:
        return decision.meeting.date_iso
    procedure = decision.procedure
    closed_on = procedure.closed_on if procedure is not None else None
    return closed_on.isoformat() if closed_on else None


def decision_rows(user: Actor, filters: Mapping[str, str]) -> tuple[list[str], list[list[Any]]]:
    """The register's rows for the exports (``reports.exports.TABLES``)."""
    decisions = decision_register(
        user=user,
        commitment=filters.get("commitment") or None,
        meeting=filters.get("meeting") or None,
        tier=filters.get("tier") or None,
        year=parse_year(filters.get("year")),
        partner=filters.get("partner") or None,
    )
    columns = [
        "id",
        "meeting",
        "date",
        "number",
        "decision",
        "commitments",
        "initiatives",
        "action_points",
        "classification",
        "sample",
    ]
    rows = []
    for decision in decisions:
        out = decision_out(decision)
        rows.append(
            [
                out["id"],
                out["meeting"],
                decision.meeting.date_iso if decision.meeting is not None else out["taken_on"],
                out["number"],
                out["text"],
                out["commitments"],
                out["initiatives"],
                out["action_points"],
                out["classification"],
                "sample" if decision.is_sample else "",
            ]
        )
    return columns, rows


def parse_year(text: str | None) -> int | None:
    return query_year({"year": text or ""})

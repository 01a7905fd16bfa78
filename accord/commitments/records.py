"""Initiatives as records (their shape: :mod:`.record_shapes`) and the bulk write of them.

Shared by the importers (IATI, spreadsheets) and the initiative services: a record says
which fields it gives, :func:`initiatives_apply` checks a batch against the domain's
rules and writes it in a few statements. No permission is asked here; callers do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, NoReturn

from django.utils import timezone
from django.utils.translation import gettext as _

from accord.access.permissions import Actor, require
from accord.commitments.bulk import Table, can_insert_returning, insert_rows
from accord.commitments.models import (
    Commitment,
    Funding,
    Initiative,
    InitiativeCommitment,
    InitiativeKind,
    InitiativePlace,
    InitiativeStatus,
    Milestone,
)
from accord.commitments.permissions import can_import_into
from accord.commitments.record_shapes import (
    FundingLine,
    InitiativeRecord,
    MilestoneLine,
    PlaceLine,
    initiative_canonical,
    related_of,
)
from accord.core.errors import Invalid
from accord.core.models import Classification
from accord.core.signals import records_written
from accord.core.text import strip_control_characters
from accord.partners.models import Organisation

__all__ = [
    "ApplySummary",
    "FundingLine",
    "InitiativeRecord",
    "Lookups",
    "MilestoneLine",
    "PlaceLine",
    "initiative_canonical",
    "initiatives_apply",
]


SCALARS = {
    "title": "title",
    "description": "description",
    "kind": "kind",
    "status": "status",
    "progress_override": "progress_override",
    "iati_identifier": "iati_identifier",
    "external_ids": "external_ids",
    "sectors": "sectors",
    "iati": "iati",
    "classification": "classification",
    "source": "source",
}


class Lookups:
    """Organisations and commitments by natural key, read once per import or edit."""

    def __init__(self) -> None:
        self.organisations = {o.acronym: o for o in Organisation.objects.all()}
        self.commitments = {c.code: c for c in Commitment.objects.all()}

    def organisation(self, acronym: str, *, where: str) -> Organisation:
        try:
            return self.organisations[acronym]
        except KeyError:
            raise Invalid(f"{where}: no partner has the acronym {acronym!r}.") from None

    def commitment(self, code: str, *, where: str) -> Commitment:
        try:
            return self.commitments[code]
        except KeyError:
            raise Invalid(f"{where}: no commitment has the code {code!r}.") from None


def _check_record(record: InitiativeRecord, lookups: Lookups) -> None:
    """Raise :class:`Invalid` naming the field if a reference in ``record`` is unknown."""
    if not any((record.title or {}).values()):
        raise Invalid("title: an initiative needs a title.")
    if record.partner:
        lookups.organisation(record.partner, where="partner")
    for acronym in record.implementers or []:
        lookups.organisation(acronym, where="implementers")
    for code in record.commitments or []:
        lookups.commitment(code, where="commitments")
    for line in record.fundings or []:
        if not (len(line.currency) == 3 and line.currency.isalpha() and line.currency.isupper()):
            raise Invalid(f"fundings: {line.currency!r} is not an ISO 4217 currency code.")


KINDS = frozenset(InitiativeKind.values)
STATUSES = frozenset(InitiativeStatus.values)
CLASSIFICATIONS = frozenset(Classification.values)


def _check_values(initiative: Any) -> None:
    """The field rules of an initiative, without a query per record.

    References (partner, commitments, implementers) were resolved through
    :class:`Lookups` and the IATI identifier's uniqueness is matched on before; what is
    left are the choices and ranges, checked here for thousands of rows at a time.
    """
    problems = []
    if initiative.kind not in KINDS:
        problems.append(
            f"kind: {initiative.kind!r} is not one of {', '.join(InitiativeKind.values)}"
        )
    if initiative.status not in STATUSES:
        problems.append(
            f"status: {initiative.status!r} is not one of {', '.join(InitiativeStatus.values)}"
        )
    if initiative.progress_override is not None and not 0 <= initiative.progress_override <= 100:
        problems.append("progress: give a per cent from 0 to 100.")
    if initiative.classification not in CLASSIFICATIONS:
        problems.append(f"classification: {initiative.classification!r} is not known.")
    if initiative.iati_identifier is not None and not 0 < len(initiative.iati_identifier) <= 150:
        problems.append("iati_identifier: at most 150 characters.")
    if not isinstance(initiative.title, dict) or not any(initiative.title.values()):
        problems.append("title: an initiative needs a title.")
    if initiative.start_on and initiative.end_on and initiative.end_on < initiative.start_on:
        problems.append("end: an initiative cannot end before it starts.")
    if problems:
        raise Invalid("; ".join(problems))


def _check_identifiers_free(initiatives: Sequence[Initiative]) -> None:
    """An IATI identifier given to an existing initiative must not be another's already."""
    wanted: dict[str, int] = {}
    for initiative in initiatives:
        code = initiative.iati_identifier
        if code and wanted.setdefault(code, initiative.pk) != initiative.pk:
            _identifier_taken(code, wanted[code])
    taken = (
        Initiative.objects.filter(iati_identifier__in=list(wanted))
        .exclude(pk__in=list(wanted.values()))
        .values_list("iati_identifier", "pk")
        .first()
    )
    if taken is not None:
        _identifier_taken(*taken)


def _identifier_taken(code: str, pk: int) -> NoReturn:
    message = f"iati_identifier: {code!r} is already the identifier of initiative {pk}."
    raise Invalid(message, details={"iati_identifier": [message]})


def _apply_fields(initiative: Any, record: InitiativeRecord, lookups: Lookups) -> None:
    """Set ``record``'s given fields on an initiative (or on the plain row of a new one)."""
    for key, attribute in SCALARS.items():
        if key in record.given:
            value = getattr(record, key)
            if key in {"description", "external_ids", "iati"} and value is None:
                value = {}
            if key in {"sectors"} and value is None:
                value = []
            if key == "source" and value is None:
                value = ""
            clean = value if record.texts_clean else strip_control_characters(value)
            setattr(initiative, attribute, clean)
    if "start" in record.given:
        initiative.start_on, initiative.start_precision = record.start_on, record.start_precision
    if "end" in record.given:
        initiative.end_on, initiative.end_precision = record.end_on, record.end_precision
    if "partner" in record.given:
        initiative.partner_id = (
            lookups.organisation(record.partner, where="partner").pk if record.partner else None
        )
    if initiative.progress_override is None:
        from accord.commitments.models import DEFAULT_PROGRESS

        initiative.progress = DEFAULT_PROGRESS.get(initiative.status, 0)
    else:
        initiative.progress = initiative.progress_override


def _replace_relations(
    initiatives: Sequence[tuple[int, InitiativeRecord]], lookups: Lookups, *, fresh: bool
) -> None:
    """Write the related rows each record gives, one bulk statement per relation."""
    for relation, (model, attnames) in RELATIONS.items():
        touched = [pk for pk, r in initiatives if relation in r.given]
        if not touched:
            continue
        if not fresh:
            model._default_manager.filter(initiative_id__in=touched).delete()
        rows: list[tuple[Any, ...]] = []
        for pk, record in initiatives:
            if relation in record.given:
                rows.extend(_relation_rows(relation, pk, record, lookups))
        insert_rows(model, attnames, rows)


IMPLEMENTERS = Initiative.implementers.through
RELATIONS: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "implementers": (IMPLEMENTERS, ("initiative_id", "organisation_id")),
    "commitments": (InitiativeCommitment, ("initiative_id", "commitment_id")),
    "places": (InitiativePlace, ("initiative_id", "code", "kind", "percentage")),
    "fundings": (
        Funding,
        ("initiative_id", "funder_id", "funder_name", "amount", "currency", "value_date"),
    ),
    "milestones": (Milestone, ("initiative_id", "on", "precision", "title", "done")),
}


def _relation_rows(
    relation: str, pk: int, record: InitiativeRecord, lookups: Lookups
) -> list[tuple[Any, ...]]:
    """The rows of one relation of one initiative, in :data:`RELATIONS`' column order."""
    if relation == "implementers":
        return [
            (pk, lookups.organisation(a, where="implementers").pk)
            for a in dict.fromkeys(record.implementers or [])
        ]
    if relation == "commitments":
        return [
            (pk, lookups.commitment(code, where="commitments").pk)
            for code in dict.fromkeys(record.commitments or [])
        ]
    if relation == "places":
        return [
            (pk, p.code, p.kind, p.percentage)
            for p in {p.code: p for p in record.places or []}.values()
        ]
    if relation == "fundings":
        rows: list[tuple[Any, ...]] = []
        for line in record.fundings or []:
            funder = lookups.organisations.get(line.funder)
            rows.append(
                (
                    pk,
                    funder.pk if funder else None,
                    "" if funder else line.funder,
                    line.amount,
                    line.currency,
                    line.value_date,
                )
            )
        return rows
    return [(pk, m.on, m.precision, m.title, m.done) for m in record.milestones or []]


@dataclass
class ApplySummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "skipped_reasons": self.skipped,
        }


def initiatives_apply(
    records: Sequence[InitiativeRecord],
    *,
    origin: str,
    summary: ApplySummary,
    lookups: Lookups | None = None,
    actor: Actor = None,
) -> list[int]:
    """Create or update a batch of initiatives, matched by Accord id or IATI identifier.

    Call inside the import's transaction: it writes in bulk and leaves rolling back to
    the caller. Records are checked first; a bad one raises :class:`Invalid` and nothing
    of the batch is written. Returns the initiatives' ids in the order of ``records``.

    Existing initiatives are read with one query (and one per relation) per batch and
    compared with what the record gives, to count them unchanged or update them; new
    ones are inserted as plain rows with their history rows and related rows (see
    :mod:`accord.commitments.bulk`), a few statements per batch whatever its size.
    """
    from simple_history.utils import bulk_update_with_history

    lookups = lookups or Lookups()
    for record in records:
        _check_record(record, lookups)
    by_pk = {r.pk: r for r in records if r.pk}
    by_iati = {r.iati_identifier: r for r in records if r.iati_identifier and not r.pk}
    found: dict[int, Initiative] = {}
    if by_pk or by_iati:
        existing = (
            Initiative.objects.filter(pk__in=list(by_pk))
            | Initiative.objects.filter(iati_identifier__in=list(by_iati))
        ).select_related("partner")
        for initiative in existing:
            match = by_pk.get(initiative.pk) or by_iati.get(initiative.iati_identifier or "")
            if match is not None:
                found[id(match)] = initiative
    if actor is not None:
        _check_import_rights(actor, records, found, lookups)
    missing_pks = [pk for pk, r in by_pk.items() if id(r) not in found]
    if missing_pks:
        raise Invalid(f"id: no initiative has the id {missing_pks[0]}.")

    related = related_of(initiative.pk for initiative in found.values())
    defaults = _new_defaults(origin)
    new: list[tuple[SimpleNamespace, InitiativeRecord]] = []
    changed: list[tuple[Initiative, InitiativeRecord]] = []
    for record in records:
        initiative = found.get(id(record))
        if initiative is None:
            row = SimpleNamespace(**defaults)
            _apply_fields(row, record, lookups)
            _check_values(row)
            new.append((row, record))
            continue
        current = initiative_canonical(initiative, related[initiative.pk])
        wanted = record.canonical()
        if all(current.get(key) == value for key, value in wanted.items()):
            summary.unchanged += 1
            continue
        _apply_fields(initiative, record, lookups)
        _check_values(initiative)
        initiative.version += 1
        changed.append((initiative, record))
    _check_identifiers_free([i for i, _r in changed])
    if new:
        _insert_new(new)
        _replace_relations([(row.id, r) for row, r in new], lookups, fresh=True)
        summary.created += len(new)
    if changed:
        bulk_update_with_history(
            [i for i, _r in changed], Initiative, UPDATED_FIELDS, batch_size=1000
        )
        _replace_relations([(i.pk, r) for i, r in changed], lookups, fresh=False)
        summary.updated += len(changed)
    ids = {key: initiative.pk for key, initiative in found.items()}
    ids |= {id(record): row.id for row, record in new}
    written = [row.id for row, _r in new] + [i.pk for i, _r in changed]
    if written:
        records_written.send(sender=Initiative, pks=written)
    return [ids[id(record)] for record in records]


def _check_import_rights(
    actor: Actor,
    records: Sequence[InitiativeRecord],
    found: dict[int, Initiative],
    lookups: Lookups,
) -> None:
    """Refuse the batch unless ``actor`` may write each record onto the initiative it
    matches. An initiative hidden from the importer and named by id is missing to them."""
    visible = set(
        Initiative.objects.visible_to(actor)
        .filter(pk__in=[i.pk for i in found.values()])
        .values_list("pk", flat=True)
    )
    for record in records:
        initiative = found.get(id(record))
        if initiative is not None and initiative.pk not in visible and record.pk:
            del found[id(record)]  # reported below as no such id
            continue
        partner = lookups.organisations.get(record.partner or "") if record.partner else None
        require(
            can_import_into(
                actor,
                initiative,
                partner_id=partner.pk if partner is not None else None,
                classification=record.classification if "classification" in record.given else None,
            ),
            (
                _(
                    "%(key)s: an initiative you may not change holds this identifier; "
                    "nothing was imported."
                )
                if initiative is not None
                else _("%(key)s: you may import initiatives only for a partner you report for.")
            )
            % {"key": record.iati_identifier or record.title.get("en", "")},
        )


UPDATED_FIELDS = [
    "title",
    "description",
    "kind",
    "status",
    "progress_override",
    "progress",
    "start_on",
    "start_precision",
    "end_on",
    "end_precision",
    "partner",
    "iati_identifier",
    "external_ids",
    "sectors",
    "iati",
    "classification",
    "source",
    "version",
]


def _new_defaults(origin: str) -> dict[str, Any]:
    """The column values of a new initiative before its record's fields are applied."""
    now = timezone.now()
    values = {f.attname: f.get_default() for f in Initiative._meta.concrete_fields}
    return values | {"id": None, "origin": origin, "created_at": now, "updated_at": now}


def _insert_new(new: Sequence[tuple[SimpleNamespace, InitiativeRecord]]) -> None:
    """Insert new initiatives and their ``+`` history rows; sets each row's ``id``.

    Each value is adapted once (the JSON fields dumped once) for both rows.
    """
    history = Initiative.history.model
    tracked = [f.attname for f in history.tracked_fields if f.attname != "id"]
    rows = [row for row, _record in new]
    if can_insert_returning():
        table = Table(Initiative, tracked)
        params = [table.adapt([getattr(row, name) for name in tracked]) for row in rows]
        ids = table.insert(params, returning=True)
    else:  # a database that gives no ids back: the ORM's way
        instances = [Initiative(**{name: getattr(row, name) for name in tracked}) for row in rows]
        Initiative.objects.bulk_create(instances, batch_size=1000)
        if any(i.pk is None for i in instances):
            known = dict(
                Initiative.objects.filter(
                    iati_identifier__in=[i.iati_identifier for i in instances]
                ).values_list("iati_identifier", "pk")
            )
            for instance in instances:
                instance.pk = known[instance.iati_identifier]
        ids = [i.pk for i in instances]
        table = Table(Initiative, tracked)
        params = [table.adapt([getattr(row, name) for name in tracked]) for row in rows]
    for row, pk in zip(rows, ids, strict=True):
        row.id = pk
    user = history.get_default_history_user(None)
    extras = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    extra = Table(history, extras).adapt(
        [timezone.now(), "", "+", user.pk if user is not None else None]
    )
    Table(history, ["id", *tracked, *extras]).insert(
        [[pk, *values, *extra] for pk, values in zip(ids, params, strict=True)]
    )

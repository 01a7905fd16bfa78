"""Exports of the partners, commitments, coverage, cycles and their entries, and indicators
lists: rows read as the reader sees them, registered in :data:`accord.reports.exports.TABLES`
(so they are neutralised and recorded as every list export is)."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from accord.access.permissions import require
from accord.core.errors import Invalid

if TYPE_CHECKING:
    from accord.access.permissions import Actor

Table = tuple[list[str], list[list[Any]]]


def partner_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    from accord.partners.selectors import organisation_list

    partners = organisation_list(kind=filters.get("kind") or None, search=filters.get("q"))
    columns = ["acronym", "name", "kind", "parent", "website"]
    return columns, [
        [o.acronym, o.name, o.kind, o.parent.acronym if o.parent else "", o.website]
        for o in partners
    ]


def _instrument(filters: Mapping[str, str], default: str = "") -> Any:
    selectors = import_module("accord.commitments.selectors")
    code = filters.get("instrument") or default
    if not code:
        raise Invalid("Name the instrument: instrument=CODE.")
    return selectors.instrument_get(code)


def commitment_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    """Every instrument's commitment tree (``instrument`` keeps one), with both titles."""
    models = import_module("accord.commitments.models")
    commitments = models.Commitment.objects.select_related("instrument", "parent")
    if filters.get("instrument"):
        commitments = commitments.filter(instrument=_instrument(filters))
    columns = [
        "code",
        "instrument",
        "parent",
        "level",
        "title_en",
        "title_fr",
        "target_date",
        "former_codes",
    ]
    rows = [
        [
            c.code,
            c.instrument.code,
            c.parent.code if c.parent else "",
            c.depth + 1,
            c.title.get("en", ""),
            c.title.get("fr", ""),
            c.target_date,
            sorted(a.code for a in c.aliases.all()),
        ]
        for c in commitments.prefetch_related("aliases").order_by("instrument__code", "path")
    ]
    return columns, rows


def coverage_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    """Commitment x country: initiatives the reader may see (``instrument``, default JVAP)."""
    countries = import_module("accord.commitments.countries")
    matrix = countries.country_matrix(_instrument(filters, "JVAP"), user=user)
    columns = ["code", "commitment", *(c.alpha3 for c in matrix.countries), "total", "gaps"]
    rows = [
        [row.commitment.code, row.commitment.title_text, *row.cells, row.total, row.gaps]
        for row in matrix.rows
    ]
    return columns, rows


def cycle_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    models = import_module("accord.commitments.models")
    cycles = (
        models.Cycle.objects.select_related("previous")
        .prefetch_related("instruments")
        .order_by("-opens_on")
    )
    columns = ["name", "status", "opens_on", "deadline", "continues", "instruments", "sample"]
    rows = [
        [
            c.name,
            c.status,
            c.opens_on,
            c.closes_on,
            c.previous.name if c.previous else "",
            [i.code for i in c.instruments.all()],
            "sample" if c.is_sample else "",
        ]
        for c in cycles
    ]
    return columns, rows


def cycle_entry_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    """A cycle's entries (``cycle`` names it), of the initiatives the reader may see; the
    secretariat and the partners' reporters only."""
    permissions = import_module("accord.commitments.permissions")
    models = import_module("accord.commitments.models")
    selectors = import_module("accord.commitments.selectors")
    require(
        permissions.can_manage_cycles(user) or bool(permissions.reporting_partner_ids(user)),
        "Cycle entries are for the secretariat and partners' reporters.",
    )
    name = filters.get("cycle") or ""
    if not name:
        raise Invalid("Name the cycle: cycle=NAME.")
    cycle = selectors.cycle_get(name)
    entries = selectors.cycle_entries(cycle).filter(
        initiative_id__in=models.Initiative.objects.visible_to(user).values("pk")
    )
    if not permissions.can_manage_cycles(user):
        entries = entries.filter(initiative__partner_id__in=permissions.reporting_partner_ids(user))
    columns = [
        "cycle",
        "initiative",
        "title",
        "partner",
        "state",
        "status",
        "progress",
        "comment",
        "submitted_at",
        "on_time",
        "carried_over",
        "sample",
    ]
    rows = [
        [
            cycle.name,
            e.initiative_id,
            e.initiative.title_text,
            e.initiative.partner.acronym if e.initiative.partner else "",
            e.state,
            e.status,
            e.progress,
            e.comment,
            e.submitted_at,
            "" if e.on_time is None else ("yes" if e.on_time else "no"),
            "yes" if e.carried_from_id else "",
            "sample" if e.is_sample else "",
        ]
        for e in entries
    ]
    return columns, rows


def indicator_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    """The indicators the reader may see, with their targets per place and year."""
    selectors = import_module("accord.evidence.selectors")
    indicators = selectors.indicator_list(user=user, search=filters.get("q") or "")
    columns = [
        "code",
        "name",
        "unit",
        "sdg_indicator",
        "source",
        "direction",
        "first_period",
        "last_period",
        "target_value",
        "target_year",
        "targets_by_place",
    ]
    rows = [
        [
            i.code,
            i.name,
            i.unit,
            i.sdg_code,
            i.source_organisation,
            i.direction,
            i.first_period,
            i.last_period,
            i.target_value,
            i.target_year,
            [f"{t.place.code} {t.year}: {t.value:g}" for t in i.targets.all()],
        ]
        for i in indicators.prefetch_related("targets__place")
    ]
    return columns, rows


def _command(kind: str) -> Any:
    def run(options: dict[str, Any], stdout: Any) -> None:
        from accord.reports.exports import _command as export_command

        export_command(kind, options, stdout)

    run.__doc__ = f"``accord export {kind}``, as the list page exports it (recorded)."
    return run


export_partners_command = _command("partners")
export_commitments_command = _command("commitments")
export_coverage_command = _command("coverage")
export_cycles_command = _command("cycles")
export_cycle_entries_command = _command("cycle-entries")
export_indicators_command = _command("indicators")

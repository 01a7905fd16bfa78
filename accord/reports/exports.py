"""Exports of the list pages' records: rows read through the apps' selectors as the
reader sees them, with the page's filters, written by the engines (neutralised) and
recorded in the export history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.module_loading import import_string

from accord.core.errors import Invalid, NotFound
from accord.core.params import query_date, query_year
from accord.reports import engines

if TYPE_CHECKING:
    from accord.access.permissions import Actor

Table = tuple[list[str], list[list[Any]]]
#: The "sample" column's value for a record of the demo's sample scenario.
SAMPLE = "sample"

# The list pages' downloads: kind -> dotted path of ``rows(user, filters) -> (columns,
# rows)``. ``accord export`` has its own registry (core/management/commands/export.py),
# whose meetings and action-points exporters call these.
TABLES: dict[str, str] = {
    "meetings": "accord.reports.exports.meeting_rows",
    "action-points": "accord.reports.exports.action_point_rows",
    "initiatives": "accord.reports.exports.initiative_rows",
    "observations": "accord.reports.exports.observation_rows",
    "decisions": "accord.meetings.decisions.decision_rows",
    "partners": "accord.reports.list_exports.partner_rows",
    "commitments": "accord.reports.list_exports.commitment_rows",
    "coverage": "accord.reports.list_exports.coverage_rows",
    "cycles": "accord.reports.list_exports.cycle_rows",
    "cycle-entries": "accord.reports.list_exports.cycle_entry_rows",
    "indicators": "accord.reports.list_exports.indicator_rows",
}
# Kinds served only where their app is installed.
NEEDS_APP = {
    "initiatives": "accord.commitments",
    "observations": "accord.evidence",
    "commitments": "accord.commitments",
    "coverage": "accord.commitments",
    "cycles": "accord.commitments",
    "cycle-entries": "accord.commitments",
    "indicators": "accord.evidence",
}

INITIATIVE_FILTERS = ("commitment", "country", "partner", "status", "kind", "cycle", "q")

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def meeting_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    from accord.meetings.selectors import meeting_list

    meetings = meeting_list(
        user=user,
        tier=filters.get("tier") or None,
        year=query_year(filters),
        status=filters.get("status") or None,
    )
    columns = [
        "key",
        "meeting",
        "tier",
        "date",
        "date_known_to",
        "venue",
        "host",
        "status",
        "topics",
        "classification",
        "sample",
    ]
    rows = [
        [
            meeting.key,
            meeting.display_name,
            meeting.tier.name,
            meeting.date_iso,
            meeting.date_precision,
            meeting.venue,
            meeting.host.acronym if meeting.host else "",
            meeting.status,
            [topic.name for topic in meeting.topics.all()],
            meeting.classification,
            SAMPLE if meeting.is_sample else "",
        ]
        for meeting in meetings
    ]
    return columns, rows


def action_point_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    from accord.meetings import selectors

    due_before = query_date(filters, "due_before")
    queryset = selectors.action_point_register(
        user=user,
        owner=filters.get("owner") or None,
        status=filters.get("status") or None,
        tier=filters.get("tier") or None,
        overdue=str(filters.get("overdue", "")).lower() in {"1", "true", "on"},
        due_before=due_before,
    )
    columns = [
        "id",
        "meeting",
        "action",
        "owners",
        "assignee",
        "due_date",
        "status",
        "latest_progress",
        "classification",
        "sample",
    ]
    rows = []
    for row in selectors.action_point_rows(queryset, user=user):
        updates = row["updates"]
        latest = f"{updates[-1]['on'].isoformat()}: {updates[-1]['text']}" if updates else ""
        rows.append(
            [
                row["id"],
                row["meeting"],
                row["text"],
                row["owners"],
                row["assignee"] or "",
                row["due_date"],
                row["status"],
                latest,
                row["classification"],
                SAMPLE if row["sample"] else "",
            ]
        )
    return columns, rows


def initiative_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    """The initiatives list page's rows, with its facets and search."""
    selectors = import_module("accord.commitments.selectors")
    imports = import_module("accord.commitments.spreadsheet")
    chosen = {name: filters.get(name) or None for name in INITIATIVE_FILTERS}
    queryset = selectors.initiatives_filtered(
        user=user, filters=selectors.InitiativeFilters(**chosen)
    )
    rows = iter(imports.export_rows(queryset))
    columns = list(next(rows))
    return columns, [list(row) for row in rows]


def observation_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    """An indicator's observations as its page shows them (``indicator`` names it)."""
    selectors = import_module("accord.evidence.selectors")
    exports = import_module("accord.evidence.exports")
    code = filters.get("indicator") or ""
    if not code:
        raise Invalid("Name the indicator: indicator=CODE.")
    indicator = selectors.indicator_get(user=user, code=code)
    # view=all: every row (the command line); otherwise what the page shows (totals when
    # no breakdown is chosen).
    every_row = filters.get("view") == "all"
    parameters = {name: value for name, value in filters.items() if name != "indicator"}
    chosen = selectors.observation_filter_parse(indicator, parameters, default_totals=not every_row)
    shown = list(selectors.observation_list(indicator, chosen))
    if not shown and chosen.totals_only:
        chosen.totals_only = False
        shown = list(selectors.observation_list(indicator, chosen))
    dimensions = list(selectors.dimensions_of(indicator))
    return (
        list(exports.header_for(dimensions)),
        [list(row) for row in exports.rows_for(indicator, shown, dimensions)],
    )


def observation_sdmx_rows(user: Actor, filters: Mapping[str, str]) -> Table:
    """An indicator's figures (every row, with the place filter) as SDMX-CSV 1.0."""
    selectors = import_module("accord.evidence.selectors")
    sdmx_export = import_module("accord.evidence.sdmx_export")
    code = filters.get("indicator") or ""
    if not code:
        raise Invalid("Name the indicator: indicator=CODE.")
    indicator = selectors.indicator_get(user=user, code=code)
    parameters = {name: value for name, value in filters.items() if name != "indicator"}
    chosen = selectors.observation_filter_parse(indicator, parameters)
    columns, rows = sdmx_export.sdmx_csv_table(
        indicator, selectors.observation_list(indicator, chosen)
    )
    return list(columns), [list(row) for row in rows]


def export_table(kind: str, *, user: Actor, filters: Mapping[str, str]) -> Table:
    path = TABLES.get(kind)
    if kind in NEEDS_APP and not apps.is_installed(NEEDS_APP[kind]):
        path = None
    if path is None:
        raise NotFound(f"Nothing is exported as {kind!r}: use one of {', '.join(TABLES)}.")
    table: Table = import_string(path)(user, filters)
    return table


def write(fmt: str, kind: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    if fmt == "csv":
        return engines.write_csv(columns, rows)
    if fmt == "xlsx":
        return engines.write_xlsx([(kind, columns, rows)])
    if fmt == "json":
        return engines.write_json(columns, rows)
    raise Invalid(f"Unknown format {fmt!r}: use csv, xlsx or json.")


def export(
    kind: str, fmt: str, *, user: Actor, filters: Mapping[str, str], via: str
) -> tuple[bytes, int]:
    """The file's bytes and its number of rows; the export is recorded."""
    from accord.reports.services import export_record

    if fmt == "sdmx-csv" and kind == "observations":
        columns, rows = observation_sdmx_rows(user, filters)
        content = engines.write_csv(columns, rows)
        export_record(user=user, kind=kind, fmt=fmt, filters=filters, rows=len(rows), via=via)
        return content, len(rows)
    if fmt not in FORMATS:
        raise Invalid(f"Unknown format {fmt!r}: use csv, xlsx or json.")
    columns, rows = export_table(kind, user=user, filters=filters)
    content = write(fmt, kind, columns, rows)
    export_record(user=user, kind=kind, fmt=fmt, filters=filters, rows=len(rows), via=via)
    return content, len(rows)


def _command(kind: str, options: dict[str, Any], stdout: Any) -> None:
    """``accord export KIND``: as ``--as USERNAME`` reads (default: a public reader)."""
    import sys

    from accord.access.services import command_actor

    user = command_actor(options.get("username"))
    filters: dict[str, str] = {}
    for item in options.get("filter") or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise Invalid(f"--filter {item!r}: use NAME=VALUE.")
        filters[name.strip()] = value.strip()
    fmt = options.get("format") or "csv"
    content, rows = export(kind, fmt, user=user, filters=filters, via="command")
    output = options.get("output")
    if not output or output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    with open(output, "wb") as handle:
        handle.write(content)
    stdout.write(f"{rows} {kind} written to {output}")


def export_meetings_command(options: dict[str, Any], stdout: Any) -> None:
    _command("meetings", options, stdout)


def export_action_points_command(options: dict[str, Any], stdout: Any) -> None:
    _command("action-points", options, stdout)


def export_decisions_command(options: dict[str, Any], stdout: Any) -> None:
    _command("decisions", options, stdout)


def export_observations_command(options: dict[str, Any], stdout: Any) -> None:
    """CSV and XLSX through the evidence app's own exporter (every row of the indicator);
    JSON through the list-page path. Each is recorded."""
    from accord.reports.services import export_record

    filters = {"indicator": options.get("indicator") or "", "place": options.get("place") or ""}
    if options.get("format") == "json":
        options = {
            **options,
            "filter": [
                *(options.get("filter") or []),
                *(f"{k}={v}" for k, v in filters.items() if v),
                "view=all",
            ],
        }
        _command("observations", options, stdout)
        return
    from accord.access.services import command_actor

    user = command_actor(options.get("username"))
    import_module("accord.evidence.exports").export_observations_command(options, stdout)
    selectors = import_module("accord.evidence.selectors")
    indicator = (
        import_module("accord.evidence.models")
        .Indicator.objects.visible_to(user)
        .filter(code__iexact=filters["indicator"])
        .first()
    )
    chosen = selectors.observation_filter_parse(indicator, {"place": filters["place"]})
    rows = selectors.observation_list(indicator, chosen).count()
    export_record(
        user=user,
        kind="observations",
        fmt=options.get("format") or "csv",
        filters=filters,
        rows=rows,
        via="command",
    )


def export_initiatives_command(options: dict[str, Any], stdout: Any) -> None:
    """CSV and XLSX through the commitments app's own exporter, JSON through the list-page
    path (with ``--filter``); both read as ``--as`` (default: a public reader). Each is
    recorded."""
    from accord.reports.services import export_record

    if options.get("format") == "json":
        _command("initiatives", options, stdout)
        return
    if not options.get("output"):
        raise Invalid("Give the file to write: -o FILE.")
    from accord.access.services import command_actor

    count = import_module("accord.commitments.commands").export_initiatives_command(options, stdout)
    export_record(
        user=command_actor(options.get("username")),
        kind="initiatives",
        fmt=options.get("format") or "csv",
        filters={},
        rows=count,
        via="command",
    )

"""The progress report of an instrument in a reporting cycle (with the commitments app):
coverage and progress per domain and commitment, gaps, overlaps, changes since the
previous cycle, charts. It reads only the initiatives verified in the cycle, at their
verified progress, not every initiative as it is today. PDF (from the HTML template),
HTML and XLSX from one context.

The commitments app is reached by module name, so this module imports without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone

from accord.core.errors import Invalid, NotFound
from accord.core.models import highest_classification
from accord.reports.briefing import Chart
from accord.reports.charts import horizontal_bars

if TYPE_CHECKING:
    import datetime as dt

    from accord.access.permissions import Actor


@dataclass
class CommitmentRow:
    code: str
    title: str
    depth: int
    initiatives: int
    countries: int
    partners: int
    funding_eur: Any
    progress: float | None
    gap: bool


@dataclass
class ChangeRow:
    initiative: str
    partner: str
    before: str
    after: str


@dataclass
class ProgressReport:
    instrument: Any
    cycle: Any
    previous: Any
    rows: list[CommitmentRow]
    gaps: list[CommitmentRow]
    overlaps: list[Any]
    overlap_count: int
    changes: list[ChangeRow]
    charts: list[Chart] = field(default_factory=list)
    classification: str = "public"
    generated_on: dt.date | None = None
    reader: str = "public"

    @property
    def classification_label(self) -> str:
        from accord.core.models import Classification

        return str(Classification(self.classification).label).upper()


def _entry_text(entry: Any) -> str:
    if entry is None:
        return "not reported"
    parts = [entry.get_state_display()]
    if entry.status:
        parts.append(entry.get_status_display())
    if entry.progress is not None:
        parts.append(f"{entry.progress}%")
    return ", ".join(parts)


def progress_context(*, user: Actor, instrument: str, cycle: str) -> ProgressReport:
    if not apps.is_installed("accord.commitments"):
        raise Invalid("The progress report needs the commitments app.")
    selectors = import_module("accord.commitments.selectors")
    models = import_module("accord.commitments.models")
    found = selectors.instrument_get(instrument)
    if not cycle:
        raise Invalid("Name the reporting cycle (--cycle NAME).")
    current = selectors.cycle_get(cycle)
    if not current.instruments.filter(pk=found.pk).exists():
        raise NotFound(f"Cycle {cycle!r} does not cover {found.code}.")
    coverage = selectors.instrument_coverage(found, user=user, cycle=current)
    rows = [
        CommitmentRow(
            code=node.code,
            title=node.commitment.title_text,
            depth=node.commitment.depth,
            initiatives=node.coverage.initiatives,
            countries=node.coverage.countries,
            partners=node.coverage.partners,
            funding_eur=node.coverage.funding_eur,
            progress=node.coverage.progress,
            gap=node.coverage.is_gap,
        )
        for root in coverage.tree
        for node in root.walk()
    ]
    visible = models.Initiative.objects.visible_to(user).filter(
        cycle_entries__cycle=current, cycle_entries__state=models.EntryState.VERIFIED
    )
    changes: list[ChangeRow] = []
    classifications = list(
        visible.filter(commitments__instrument=found)
        .values_list("classification", flat=True)
        .distinct()
    )
    if current.previous is not None:
        visible_ids = set(visible.values_list("pk", flat=True))
        for comparison in selectors.cycle_compare(current.previous, current):
            if comparison.initiative.pk not in visible_ids or not comparison.changed:
                continue
            partner = comparison.initiative.partner
            changes.append(
                ChangeRow(
                    initiative=str(comparison.initiative.title_text),
                    partner=partner.acronym if partner else "",
                    before=_entry_text(comparison.before),
                    after=_entry_text(comparison.after),
                )
            )
    domains = [row for row in rows if row.depth == 0]
    charts = [
        Chart(
            title="Progress per domain",
            svg=horizontal_bars(
                "Progress per domain (%)",
                [(f"{r.code} {r.title}", r.progress) for r in domains],
                unit="%",
            ),
        ),
        Chart(
            title="Initiatives per domain",
            svg=horizontal_bars(
                "Initiatives per domain",
                [(f"{r.code} {r.title}", float(r.initiatives)) for r in domains],
            ),
        ),
    ]
    return ProgressReport(
        instrument=found,
        cycle=current,
        previous=current.previous,
        rows=rows,
        gaps=[row for row in rows if row.gap],
        overlaps=list(coverage.overlaps),
        overlap_count=coverage.overlap_count,
        changes=changes,
        charts=charts,
        classification=highest_classification(classifications),
        generated_on=timezone.localdate(),
        reader=getattr(user, "username", "") or "public",
    )


def progress_xlsx(report: ProgressReport) -> bytes:
    from accord.reports.engines import write_xlsx

    return write_xlsx(
        [
            (
                "Coverage",
                [
                    "code",
                    "commitment",
                    "level",
                    "initiatives",
                    "countries",
                    "partners",
                    "funding_eur",
                    "progress_percent",
                    "gap",
                ],
                [
                    [
                        r.code,
                        r.title,
                        r.depth + 1,
                        r.initiatives,
                        r.countries,
                        r.partners,
                        r.funding_eur,
                        r.progress,
                        "yes" if r.gap else "",
                    ]
                    for r in report.rows
                ],
            ),
            ("Gaps", ["code", "commitment"], [[r.code, r.title] for r in report.gaps]),
            (
                "Overlaps",
                ["commitment", "country", "partners"],
                [[o.commitment, o.country_name, ", ".join(o.partners)] for o in report.overlaps],
            ),
            (
                "Changes",
                [
                    "initiative",
                    "partner",
                    f"in {report.previous or 'previous cycle'}",
                    f"in {report.cycle}",
                ],
                [[c.initiative, c.partner, c.before, c.after] for c in report.changes],
            ),
            (
                "About",
                ["field", "value"],
                [
                    ["instrument", f"{report.instrument.code} {report.instrument.name}"],
                    ["cycle", str(report.cycle)],
                    ["previous cycle", str(report.previous or "")],
                    ["classification", report.classification_label],
                    ["read as", report.reader],
                    ["generated", report.generated_on],
                ],
            ),
        ]
    )


def progress_html(report: ProgressReport) -> str:
    return render_to_string("reports/progress.html", {"report": report})


def progress_file(*, user: Actor, instrument: str, cycle: str, fmt: str) -> bytes:
    report = progress_context(user=user, instrument=instrument, cycle=cycle)
    if fmt == "xlsx":
        return progress_xlsx(report)
    if fmt == "html":
        return progress_html(report).encode()
    if fmt == "pdf":
        from accord.reports.engines import html_to_pdf

        return html_to_pdf(progress_html(report))
    raise Invalid(f"Unknown format {fmt!r}: use pdf, xlsx or html.")

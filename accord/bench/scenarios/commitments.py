"""Commitments at scale: coverage of the JVAP tree, the faceted initiative list, IATI import.

- ``commitments_coverage``: the instrument coverage selector against DuckDB computing the
  same roll-up from a copy of the same tables (goal 3); the same statements run bare
  through the database's cursor are reported beside it (``raw_sql_s``).
- ``initiatives_faceted_list``: filtered by three facets, first page plus the facet
  counts, against Datasette's JSON for the same filters and facets on the same SQLite
  file (goal 1); on PostgreSQL, which Datasette does not read, against hand-written SQL
  doing the same (goal 3).
- ``iati_import``: importing a generated IATI file (dry run: everything is written, then
  rolled back) against a bare streaming parse of the same file (goal 5).
- ``iati_import_memory``: the same import of a bigger file, reporting the peak resident
  memory it added (goal: at most 300 MB) beside the time ratio.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from accord.bench.harness import scenario, timings
from accord.commitments import selectors
from accord.commitments.iati import bare_parse, import_iati
from accord.commitments.models import (
    DEFAULT_PROGRESS,
    Commitment,
    ExchangeRate,
    Funding,
    Initiative,
    InitiativeCommitment,
    InitiativePlace,
    InitiativeStatus,
    Instrument,
)
from accord.core.models import Classification
from accord.partners.models import Organisation, OrganisationKind

SIZES = {
    "small": {"initiatives": 2_000, "iati": 2_000, "iati_memory": 5_000, "padding": 200},
    "large": {"initiatives": 200_000, "iati": 50_000, "iati_memory": 200_000, "padding": 4_500},
}
COUNTRIES = [
    "012", "120", "148", "231", "262", "270", "288", "324", "384", "434", "466", "478", "504",
    "562", "566", "624", "686", "706", "729", "788", "818", "854", "404", "800", "834", "710",
]  # fmt: skip
CURRENCIES = ["EUR", "EUR", "USD", "CHF"]


def _reference() -> Instrument:
    if not Instrument.objects.filter(code="JVAP").exists():
        call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Instrument.objects.get(code="JVAP")


def _superuser() -> Any:
    user, _created = get_user_model()._default_manager.get_or_create(
        username="bench-secretariat", defaults={"is_superuser": True}
    )
    return user


def generate_initiatives(scale: str, *, seed: int = 2015) -> Instrument:
    """JVAP with five priorities under each domain, and ``initiatives`` initiatives of 100
    partners linked to them, with countries and funding, written in bulk."""
    jvap = _reference()
    count = SIZES[scale]["initiatives"]
    if Initiative.objects.filter(source="bench").count() >= count:
        return jvap
    rng = random.Random(seed)
    leaves = []
    for domain in jvap.commitments.filter(parent__isnull=True):
        for n in range(1, 6):
            child = Commitment.objects.filter(code=f"{domain.code}.{n}").first()
            if child is None:
                child = Commitment(
                    instrument=jvap, parent=domain, code=f"{domain.code}.{n}", position=n
                )
                child.title = {"en": f"Priority {n} of {domain.code}"}
                child.save()
            leaves.append(child)
    partners = list(Organisation.objects.filter(acronym__startswith="BP"))
    if not partners:
        partners = Organisation.objects.bulk_create(
            Organisation(
                acronym=f"BP{n:03d}", name=f"Bench partner {n}", kind=OrganisationKind.OTHER
            )
            for n in range(100)
        )
    for year in range(2015, 2026):
        ExchangeRate.objects.get_or_create(
            currency="USD", date=dt.date(year, 1, 1), defaults={"per_eur": Decimal("1.10")}
        )
    statuses = list(InitiativeStatus.values)
    through = Initiative.implementers.through
    made = 0
    while made < count:
        batch = min(5_000, count - made)
        initiatives: list[Initiative] = []
        for _ in range(batch):
            status = rng.choice(statuses)
            initiatives.append(
                Initiative(
                    title={"en": f"Bench initiative {made + len(initiatives)}"},
                    status=status,
                    progress=DEFAULT_PROGRESS[status],
                    start_on=dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
                    partner=rng.choice(partners),
                    classification=Classification.PUBLIC
                    if rng.random() < 0.5
                    else Classification.MEMBERS,
                    source="bench",
                )
            )
        Initiative.objects.bulk_create(initiatives, batch_size=1_000)
        links, places, fundings, implementers = [], [], [], []
        for initiative in initiatives:
            for leaf in rng.sample(leaves, rng.randint(1, 2)):
                links.append(InitiativeCommitment(initiative=initiative, commitment=leaf))
            for code in rng.sample(COUNTRIES, rng.randint(1, 3)):
                places.append(InitiativePlace(initiative=initiative, code=code))
            fundings.append(
                Funding(
                    initiative=initiative,
                    amount=Decimal(rng.randint(10, 5_000) * 1_000),
                    currency=rng.choice(CURRENCIES),
                )
            )
            implementers.append(
                through(initiative_id=initiative.pk, organisation_id=initiative.partner_id)
            )
        InitiativeCommitment.objects.bulk_create(links, batch_size=2_000)
        InitiativePlace.objects.bulk_create(places, batch_size=2_000)
        Funding.objects.bulk_create(fundings, batch_size=2_000)
        through.objects.bulk_create(implementers, batch_size=2_000)
        made += batch
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    return jvap


# --- coverage ------------------------------------------------------------------------


@dataclass
class CoverageContext:
    instrument: Instrument
    user: Any
    initiatives: int
    statements: dict[str, tuple[str, tuple]] = field(default_factory=dict)
    duck: Any = None
    raw_sql_s: float = 0.0


def _tables_named_in(statements: list[str]) -> list[str]:
    tables = set(connection.introspection.table_names())
    words = {word for sql in statements for word in re.findall(r"[a-z_]+", sql)}
    return sorted(tables & words)


def coverage_setup(scale: str) -> CoverageContext:
    from accord.bench.peers import duckdb_copy

    instrument = generate_initiatives(scale)
    user = _superuser()
    statements = selectors.coverage_statements(instrument, user)
    partners_sql, _params = selectors.overlap_partners_statement(user, [("x", "y")])
    sqls = [sql for sql, _params in statements.values()] + [partners_sql]
    context = CoverageContext(
        instrument=instrument,
        user=user,
        initiatives=Initiative.objects.count(),
        statements=statements,
        duck=duckdb_copy(sorted({*_tables_named_in(sqls), "commitments_commitment"})),
    )
    context.raw_sql_s = statistics.median(timings(lambda: coverage_raw(context), 3))
    return context


def coverage_raw(context: CoverageContext) -> object:
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, parent_id, code, path FROM commitments_commitment WHERE instrument_id = %s",
            [context.instrument.pk],
        )
        rows.append(cursor.fetchall())
        for sql, params in context.statements.values():
            cursor.execute(sql, params)
            rows.append(cursor.fetchall())
        shown = [(code, country) for code, country, _n in rows[-1][:100]]
        if shown:
            cursor.execute(*selectors.overlap_partners_statement(context.user, shown))
            rows.append(cursor.fetchall())
    return rows


def coverage_duckdb(context: CoverageContext) -> object:
    """The same statements, on DuckDB's copy of the same tables."""
    from accord.bench.peers import duckdb_statement

    duck = context.duck
    rows = [
        duck.execute(
            "SELECT id, parent_id, code, path FROM commitments_commitment WHERE instrument_id = ?",
            [context.instrument.pk],
        ).fetchall()
    ]
    for sql, params in context.statements.values():
        rows.append(duck.execute(duckdb_statement(sql), list(params)).fetchall())
    shown = [(code, country) for code, country, _n in rows[-1][:100]]
    if shown:
        sql, params = selectors.overlap_partners_statement(context.user, shown)
        rows.append(duck.execute(duckdb_statement(sql), list(params)).fetchall())
    return rows


@scenario(
    "commitments_coverage",
    goal=3.0,
    floor="DuckDB",
    setup=coverage_setup,
    baseline=coverage_duckdb,
    size=lambda c: f"{c.initiatives} initiatives on the JVAP tree",
    repeat=10,
    extra=lambda c: {"raw_sql_s": round(c.raw_sql_s, 6)},
)
def commitments_coverage(context: CoverageContext) -> object:
    return selectors.instrument_coverage(context.instrument, user=context.user)


# --- faceted list ----------------------------------------------------------------------

FACETED_SQL = {
    "count": "SELECT COUNT(*) FROM commitments_initiative i WHERE {where}",
    "page": (
        "SELECT i.id, i.title, i.status, i.progress, o.acronym FROM commitments_initiative i "
        "LEFT JOIN partners_organisation o ON o.id = i.partner_id WHERE {where} "
        "ORDER BY i.start_on DESC, i.id DESC LIMIT 50"
    ),
    "page_places": (
        "SELECT initiative_id, code FROM commitments_initiativeplace WHERE initiative_id IN "
        "(SELECT i.id FROM commitments_initiative i WHERE {where} "
        "ORDER BY i.start_on DESC, i.id DESC LIMIT 50)"
    ),
    "page_commitments": (
        "SELECT l.initiative_id, c.code FROM commitments_initiativecommitment l "
        "JOIN commitments_commitment c ON c.id = l.commitment_id WHERE l.initiative_id IN "
        "(SELECT i.id FROM commitments_initiative i WHERE {where} "
        "ORDER BY i.start_on DESC, i.id DESC LIMIT 50)"
    ),
    "status": "SELECT i.status, COUNT(*) FROM commitments_initiative i WHERE {where} GROUP BY i.status",
    "kind": "SELECT i.kind, COUNT(*) FROM commitments_initiative i WHERE {where} GROUP BY i.kind",
    "partner": (
        "SELECT o.acronym, COUNT(*) AS n FROM commitments_initiative i "
        "JOIN partners_organisation o ON o.id = i.partner_id WHERE {where} "
        "GROUP BY o.acronym ORDER BY n DESC, o.acronym LIMIT 30"
    ),
    "country": (
        "SELECT p.code, COUNT(*) AS n FROM commitments_initiativeplace p WHERE p.kind = 'country' "
        "AND p.initiative_id IN (SELECT i.id FROM commitments_initiative i WHERE {where}) "
        "GROUP BY p.code ORDER BY n DESC, p.code LIMIT 30"
    ),
    "commitment": (
        "SELECT c.code, COUNT(*) AS n FROM commitments_initiativecommitment l "
        "JOIN commitments_commitment c ON c.id = l.commitment_id "
        "WHERE l.initiative_id IN (SELECT i.id FROM commitments_initiative i WHERE {where}) "
        "GROUP BY c.code ORDER BY n DESC, c.code LIMIT 30"
    ),
}
FACETED_WHERE = (
    "i.status = %s AND i.id IN (SELECT initiative_id FROM commitments_initiativeplace "
    "WHERE code = %s) AND i.id IN (SELECT l.initiative_id FROM commitments_initiativecommitment l "
    "JOIN commitments_commitment c ON c.id = l.commitment_id WHERE c.path LIKE %s)"
)


@dataclass
class ListContext:
    user: Any
    initiatives: int
    datasette: Any = None
    step: int = 0

    def next_filters(self) -> tuple[str, str, str]:
        self.step += 1
        return (
            InitiativeStatus.values[self.step % 3],
            COUNTRIES[self.step % len(COUNTRIES)],
            f"JVAP-{1 + self.step % 5}",
        )


def list_setup(scale: str) -> ListContext:
    generate_initiatives(scale)
    context = ListContext(user=_superuser(), initiatives=Initiative.objects.count())
    if connection.vendor == "sqlite":
        from accord.bench.peers import Datasette

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # Datasette reads the file
        context.datasette = Datasette(str(connection.settings_dict["NAME"]))
    return context


def faceted_raw(context: ListContext) -> object:
    status, country, commitment = context.next_filters()
    params = [status, country, f"/{commitment}/%"]
    results = []
    with connection.cursor() as cursor:
        for sql in FACETED_SQL.values():
            cursor.execute(sql.format(where=FACETED_WHERE), params)
            results.append(cursor.fetchall())
    return results


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def faceted_datasette(context: ListContext) -> object:
    """The same filters and the same five facets from Datasette's JSON: the initiative
    table faceted by status, kind and partner (first page of 50, latest start first, with
    the count), and its places and commitment links faceted for the same initiatives."""
    from urllib.parse import urlencode

    status, country, commitment = context.next_filters()
    chosen = (
        f"id IN (SELECT initiative_id FROM commitments_initiativeplace WHERE code = "
        f"{_literal(country)}) AND id IN (SELECT l.initiative_id FROM "
        "commitments_initiativecommitment l JOIN commitments_commitment c "
        f"ON c.id = l.commitment_id WHERE c.path LIKE {_literal(f'/{commitment}/%')})"
    )
    matching = (
        f"SELECT id FROM commitments_initiative WHERE status = {_literal(status)} AND {chosen}"
    )
    db = context.datasette.database
    answers = [
        context.datasette.get(
            f"/{db}/commitments_initiative.json?"
            + urlencode(
                [
                    ("status", status),
                    ("_where", chosen),
                    ("_facet", "status"),
                    ("_facet", "kind"),
                    ("_facet", "partner_id"),
                    ("_sort_desc", "start_on"),
                    ("_size", "50"),
                ]
            )
        )
    ]
    for table, column, extra in (
        ("commitments_initiativeplace", "code", [("kind", "country")]),
        ("commitments_initiativecommitment", "commitment_id", []),
    ):
        answers.append(
            context.datasette.get(
                f"/{db}/{table}.json?"
                + urlencode(
                    [
                        *extra,
                        ("_where", f"initiative_id IN ({matching})"),
                        ("_facet", column),
                        ("_size", "0"),
                    ]
                )
            )
        )
    return answers


def _faceted_floor(context: ListContext) -> object:
    if context.datasette is not None:
        return faceted_datasette(context)
    return faceted_raw(context)


@scenario(
    "initiatives_faceted_list",
    goal=1.0 if connection.vendor == "sqlite" else 3.0,
    floor="Datasette JSON" if connection.vendor == "sqlite" else "raw SQL",
    setup=list_setup,
    baseline=_faceted_floor,
    size=lambda c: f"{c.initiatives} initiatives, 3 facets chosen, first page of 50",
    repeat=10,
)
def initiatives_faceted_list(context: ListContext) -> object:
    status, country, commitment = context.next_filters()
    queryset = selectors.initiatives_filtered(
        user=context.user,
        filters=selectors.InitiativeFilters(status=status, country=country, commitment=commitment),
    )
    page = selectors.initiatives_page(queryset, limit=50)
    facets = selectors.initiative_facets(queryset)
    return queryset.count(), page, facets


# --- IATI import -------------------------------------------------------------------------


def write_iati_file(path: Path, activities: int, *, padding: int = 200, seed: int = 2016) -> Path:
    """A well-formed IATI 2.03 file of ``activities`` activities, written as a stream."""
    rng = random.Random(seed)
    filler = "Support to migrants and communities. " * (padding // 37 + 1)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for n in range(activities):
            country = rng.choice(["SO", "ET", "NE", "ML", "SN", "GM", "NG", "LY"])
            start = dt.date(rng.randint(2016, 2023), rng.randint(1, 12), 1)
            out.write(
                f"""<iati-activity default-currency="USD" xml:lang="en">
 <iati-identifier>XM-BENCH-{n:07d}</iati-identifier>
 <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration (IOM)</narrative></reporting-org>
 <title><narrative>Bench activity {n}</narrative><narrative xml:lang="fr">Activité {n}</narrative></title>
 <description><narrative>{escape(filler[:padding])}</narrative></description>
 <participating-org ref="XI-IATI-EC_INTPA" role="1" type="15"><narrative>European Commission</narrative></participating-org>
 <participating-org ref="XM-DAC-47066" role="4" type="40"><narrative>International Organization for Migration (IOM)</narrative></participating-org>
 <activity-status code="{rng.choice("1234")}"/>
 <activity-date iso-date="{start.isoformat()}" type="2"/>
 <activity-date iso-date="{start.replace(year=start.year + 2).isoformat()}" type="3"/>
 <recipient-country code="{country}" percentage="100"/>
 <sector code="15190" vocabulary="1"/>
 <budget type="1" status="2"><period-start iso-date="{start.isoformat()}"/><period-end iso-date="{start.replace(year=start.year + 1).isoformat()}"/><value currency="USD" value-date="{start.isoformat()}">{rng.randint(10_000, 5_000_000)}</value></budget>
 <transaction><transaction-type code="11"/><transaction-date iso-date="{start.isoformat()}"/><value currency="USD" value-date="{start.isoformat()}">{rng.randint(10_000, 5_000_000)}</value><provider-org ref="XI-IATI-EC_INTPA"><narrative>European Commission</narrative></provider-org></transaction>
 <result type="1"><title><narrative>Migrants assisted</narrative></title></result>
</iati-activity>
"""
            )
        out.write("</iati-activities>\n")
    return path


@dataclass
class ImportContext:
    path: Path
    activities: int
    peak_mb: float | None = None


def _iati_setup(scale: str, key: str, padding: int) -> ImportContext:
    _reference()
    activities = SIZES[scale][key]
    path = Path(settings.DATA_DIR) / f"bench-iati-{scale}-{key}.xml"
    if not path.exists():
        write_iati_file(path, activities, padding=padding)
    return ImportContext(path=path, activities=activities)


def import_setup(scale: str) -> ImportContext:
    return _iati_setup(scale, "iati", 200)


def run_import(context: ImportContext) -> object:
    """Everything is written, then rolled back, so each run imports the same file anew."""
    return import_iati(context.path, dry_run=True)


@scenario(
    "iati_import",
    goal=5.0,
    floor="bare streaming parse",
    setup=import_setup,
    baseline=lambda c: bare_parse(c.path),
    size=lambda c: f"{c.activities} activities, {c.path.stat().st_size / 1e6:.0f} MB",
    repeat=3,
)
def iati_import(context: ImportContext) -> object:
    return run_import(context)


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_during(function: Any) -> float:
    """Peak resident memory (MB) added while ``function`` runs, sampled every 10 ms.

    Resident memory, not only the Python heap: lxml's tree lives in C memory, which
    tracemalloc does not see.
    """
    start = _rss_mb()
    peak = start
    running = True

    def sample() -> None:
        nonlocal peak
        while running:
            peak = max(peak, _rss_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        function()
    finally:
        running = False
        sampler.join()
    return max(peak, _rss_mb()) - start


def memory_setup(scale: str) -> ImportContext:
    context = _iati_setup(scale, "iati_memory", SIZES[scale]["padding"])
    context.peak_mb = peak_rss_during(lambda: run_import(context))
    return context


@scenario(
    "iati_import_memory",
    goal=5.0,
    floor="bare streaming parse",
    setup=memory_setup,
    baseline=lambda c: bare_parse(c.path),
    size=lambda c: f"{c.activities} activities, {c.path.stat().st_size / 1e6:.0f} MB",
    repeat=1,
    extra=lambda c: {
        "peak_rss_added_mb": round(c.peak_mb or 0, 1),
        "memory_goal_mb": 300,
        "memory_met": (c.peak_mb or 0) <= 300,
    },
)
def iati_import_memory(context: ImportContext) -> object:
    return run_import(context)

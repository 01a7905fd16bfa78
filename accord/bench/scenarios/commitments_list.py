"""``initiatives_faceted_list``: the faceted initiative list, filtered by three facets,
first page plus the facet counts, against Datasette's JSON for the same filters and facets
on the same SQLite file (goal 1); on PostgreSQL, which Datasette does not read, against
hand-written SQL doing the same (goal 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from accord.bench.harness import scenario
from accord.bench.scenarios.commitments_data import (
    COUNTRIES,
    _superuser,
    generate_initiatives,
)
from accord.commitments import selectors
from accord.commitments.models import Initiative, InitiativeStatus

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
    faceted = selectors.initiatives_faceted(
        user=context.user,
        filters=selectors.InitiativeFilters(status=status, country=country, commitment=commitment),
    )
    page = selectors.initiatives_page(faceted.queryset, limit=50)
    return faceted.total, page, faceted.facets

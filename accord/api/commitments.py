"""Instruments and their commitments, coverage, initiatives, reporting cycles, imports.

Initiatives are in :mod:`accord.api.initiatives`, the entries of a cycle in
:mod:`accord.api.cycle_entries`, importing initiatives in
:mod:`accord.api.initiative_imports`; each has a router of its own, mounted beside this one.
"""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from accord.api.cycle_entries import (  # noqa: F401
    TRANSITIONS,
    EntryIn,
    EntryOut,
    TransitionIn,
    cycle_entry_draft,
    cycle_entry_list,
    cycle_entry_transition,
    entry_out,
)
from accord.api.initiative_imports import (  # noqa: F401
    ImportProblemOut,
    InitiativeImportOut,
    import_file,
)
from accord.api.initiatives import (  # noqa: F401
    FundingIn,
    FundingOut,
    InitiativeDetailOut,
    InitiativeIn,
    InitiativeOut,
    InitiativePage,
    InitiativePatch,
    InitiativeQuery,
    MilestoneIn,
    MilestoneOut,
    PlaceOut,
    date_of,
    initiative_create,
    initiative_detail,
    initiative_list,
    initiative_out,
    initiative_update,
)
from accord.api.pagination import Page
from accord.commitments import selectors

router = Router(tags=["commitments"])


class InstrumentOut(Schema):
    code: str
    name: str
    adopted_on: dt.date | None
    venue: str
    progress_weighting: str
    commitments: int
    version: int


@router.get("/instruments", response=list[InstrumentOut], summary="List instruments")
@paginate(Page)
def instrument_list(request: HttpRequest) -> list[dict]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "adopted_on": i.adopted_on,
            "venue": i.venue,
            "progress_weighting": i.progress_weighting,
            "commitments": i.commitment_count,  # type: ignore[attr-defined]
            "version": i.version,
        }
        for i in selectors.instrument_list()
    ]


class CommitmentNodeOut(Schema):
    code: str
    title: str
    titles: dict[str, str]
    description: str
    target_date: dt.date | None
    children: list["CommitmentNodeOut"]


CommitmentNodeOut.model_rebuild()


def _node_out(node: selectors.Node) -> dict:
    c = node.commitment
    return {
        "code": c.code,
        "title": c.title_text,
        "titles": c.title,
        "description": c.description_text,
        "target_date": c.target_date,
        "children": [_node_out(child) for child in node.children],
    }


@router.get(
    "/instruments/{code}/commitments",
    response=list[CommitmentNodeOut],
    summary="The instrument's commitments, as a tree",
)
def instrument_commitments(request: HttpRequest, code: str) -> list[dict]:
    instrument = selectors.instrument_get(code)
    return [_node_out(node) for node in selectors.commitment_tree(instrument)]


class NodeCoverageOut(Schema):
    code: str
    title: str
    initiatives: int
    direct_initiatives: int
    countries: int
    partners: int
    funding_eur: Decimal
    unconverted: dict[str, Decimal]
    progress: float | None
    gap: bool
    children: list["NodeCoverageOut"]


NodeCoverageOut.model_rebuild()


class OverlapOut(Schema):
    commitment: str
    country: str
    country_name: str
    partners: list[str]


class CoverageOut(Schema):
    instrument: str
    progress_weighting: str
    commitments: list[NodeCoverageOut]
    gaps: list[str]
    overlaps: list[OverlapOut]
    overlap_count: int


def _coverage_out(node: selectors.Node) -> dict:
    coverage = node.coverage or selectors.NodeCoverage()
    return {
        "code": node.code,
        "title": node.commitment.title_text,
        "initiatives": coverage.initiatives,
        "direct_initiatives": coverage.direct_initiatives,
        "countries": coverage.countries,
        "partners": coverage.partners,
        "funding_eur": coverage.funding_eur,
        "unconverted": coverage.unconverted,
        "progress": coverage.progress,
        "gap": coverage.is_gap,
        "children": [_coverage_out(child) for child in node.children],
    }


@router.get(
    "/instruments/{code}/coverage",
    response=CoverageOut,
    summary="Coverage of an instrument's commitments, rolled up the tree",
)
def instrument_coverage(request: HttpRequest, code: str) -> dict:
    """Funding is in EUR where a dated rate exists; other amounts are listed per currency
    under ``unconverted``, never guessed. Counts only initiatives you may see."""
    coverage = selectors.instrument_coverage(selectors.instrument_get(code), user=request.user)
    return {
        "instrument": coverage.instrument.code,
        "progress_weighting": coverage.weighting,
        "commitments": [_coverage_out(node) for node in coverage.tree],
        "gaps": [c.code for c in coverage.gaps],
        "overlaps": [
            {
                "commitment": o.commitment,
                "country": o.country,
                "country_name": o.country_name,
                "partners": o.partners,
            }
            for o in coverage.overlaps
        ],
        "overlap_count": coverage.overlap_count,
    }

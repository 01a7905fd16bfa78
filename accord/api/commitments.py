"""Instruments and their commitments, coverage, initiatives, reporting cycles, imports."""

import csv
import datetime as dt
import zipfile
from decimal import Decimal
from typing import Any

from defusedxml import DefusedXmlException
from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from accord.api.base import authenticated
from accord.api.imports import DataQualityOut, data_quality_out
from accord.api.pagination import Page, PageWindow
from accord.commitments import initiatives as initiative_writes
from accord.commitments import selectors
from accord.commitments.cycles import entry_draft, entry_return, entry_submit, entry_verify
from accord.commitments.importing import initiatives_import_file
from accord.commitments.models import CycleEntry, Initiative, PlaceKind
from accord.commitments.places import country_alpha3, country_m49, place_name, region_m49
from accord.commitments.records import FundingLine, InitiativeRecord, MilestoneLine, PlaceLine
from accord.core.dates import iso_partial_date, parse_partial_date
from accord.core.errors import Invalid, NotFound
from accord.core.importing import ImportRejected
from accord.core.importing.runs import record_warnings_of
from accord.core.uploads import saved_upload

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


# --- initiatives ---------------------------------------------------------------------


class PlaceOut(Schema):
    code: str
    kind: str
    name: str
    iso3: str | None
    percentage: Decimal | None


class FundingOut(Schema):
    funder: str
    amount: Decimal | None
    currency: str
    value_date: dt.date | None


class MilestoneOut(Schema):
    date: str
    title: str
    done: bool


class InitiativeOut(Schema):
    id: int
    title: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    kind: str
    status: str
    progress: int
    progress_given: int | None
    start: str | None
    end: str | None
    partner: str | None
    implementers: list[str]
    commitments: list[str]
    places: list[PlaceOut]
    fundings: list[FundingOut]
    iati_identifier: str | None
    external_ids: dict[str, Any]
    origin: str
    classification: str
    version: int


class InitiativeDetailOut(InitiativeOut):
    milestones: list[MilestoneOut]
    sectors: list[dict[str, Any]]
    iati: dict[str, Any]
    data_quality: list[DataQualityOut]


def initiative_out(initiative: Initiative, *, detail: bool = False) -> dict:
    body = {
        "id": initiative.pk,
        "title": initiative.title_text,
        "titles": initiative.title,
        "descriptions": initiative.description or {},
        "kind": initiative.kind,
        "status": initiative.status,
        "progress": initiative.progress,
        "progress_given": initiative.progress_override,
        "start": iso_partial_date(initiative.start_on, initiative.start_precision),
        "end": iso_partial_date(initiative.end_on, initiative.end_precision),
        "partner": initiative.partner.acronym if initiative.partner else None,
        "implementers": sorted(o.acronym for o in initiative.implementers.all()),
        "commitments": sorted(c.code for c in initiative.commitments.all()),
        "places": [
            {
                "code": p.code,
                "kind": p.kind,
                "name": place_name(p.code),
                "iso3": country_alpha3(p.code) if p.kind == PlaceKind.COUNTRY else None,
                "percentage": p.percentage,
            }
            for p in initiative.places.all()
        ],
        "fundings": [
            {
                "funder": f.funder_display,
                "amount": f.amount,
                "currency": f.currency,
                "value_date": f.value_date,
            }
            for f in initiative.fundings.all()
        ],
        "iati_identifier": initiative.iati_identifier,
        "external_ids": initiative.external_ids or {},
        "origin": initiative.origin,
        "classification": initiative.classification,
        "version": initiative.version,
    }
    if detail:
        body["milestones"] = [
            {"date": iso_partial_date(m.on, m.precision), "title": m.title, "done": m.done}
            for m in initiative.milestones.all()
        ]
        body["sectors"] = initiative.sectors or []
        body["iati"] = initiative.iati or {}
        body["data_quality"] = [data_quality_out(w) for w in record_warnings_of(initiative)]
    return body


class InitiativeQuery(Schema):
    commitment: str | None = None
    country: str | None = None
    partner: str | None = None
    status: str | None = None
    kind: str | None = None
    cycle: str | None = None
    q: str | None = None


class InitiativePage(Page):
    """Counts with the database and fetches only the page, with its relations."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        window = PageWindow(
            selectors.initiatives_listed(queryset),
            limit=min(pagination.limit, 1000),
            offset=pagination.offset,
        )
        window.read(pagination.cursor)
        answer = window.answer(request, self._items_count(queryset))
        answer["items"] = [initiative_out(i) for i in window.items]
        return answer


@router.get("/initiatives", response=list[InitiativeOut], summary="List initiatives")
@paginate(InitiativePage)
def initiative_list(request: HttpRequest, filters: Query[InitiativeQuery]) -> Any:
    """Filter by commitment code (its subtree included), country (M49 or ISO code),
    partner (acronym: reporting or implementing), status, kind and reporting cycle."""
    return selectors.initiatives_filtered(
        user=request.user, filters=selectors.InitiativeFilters(**filters.dict())
    )


@router.get("/initiatives/{initiative_id}", response=InitiativeDetailOut, summary="One initiative")
def initiative_detail(request: HttpRequest, initiative_id: int) -> dict:
    return initiative_out(
        selectors.initiative_get(user=request.user, pk=initiative_id), detail=True
    )


class FundingIn(Schema):
    amount: Decimal | None = None
    currency: str
    funder: str = ""
    value_date: dt.date | None = None


class MilestoneIn(Schema):
    date: str
    title: str
    done: bool = False


class InitiativeIn(Schema):
    title: dict[str, str]
    description: dict[str, str] | None = None
    kind: str | None = None
    status: str | None = None
    progress: int | None = None
    start: str | None = None
    end: str | None = None
    partner: str | None = None
    implementers: list[str] | None = None
    commitments: list[str] | None = None
    countries: list[str] | None = None
    regions: list[str] | None = None
    fundings: list[FundingIn] | None = None
    milestones: list[MilestoneIn] | None = None
    iati_identifier: str | None = None
    external_ids: dict[str, str] | None = None
    classification: str | None = None


class InitiativePatch(InitiativeIn):
    title: dict[str, str] | None = None  # type: ignore[assignment]
    version: int


def _record(payload: InitiativeIn, current: Initiative | None = None) -> InitiativeRecord:
    given = payload.model_dump(exclude_unset=True)
    given.pop("version", None)

    def date(field: str) -> tuple[dt.date | None, str]:
        value = given.get(field)
        if not value:
            return None, "day"
        try:
            return parse_partial_date(value)
        except ValueError as error:
            raise Invalid(f"{field}: {error}") from error

    places = None
    if {"countries", "regions"} & set(given):
        places = []
        try:
            for code in payload.countries or []:
                places.append(PlaceLine(country_m49(code), PlaceKind.COUNTRY))
            for code in payload.regions or []:
                places.append(PlaceLine(region_m49(code), PlaceKind.REGION))
        except ValueError as error:
            raise Invalid(f"places: {error}") from error
    milestones = None
    if "milestones" in given:
        milestones = []
        for item in payload.milestones or []:
            on, precision = date_of(item.date)
            milestones.append(MilestoneLine(on, item.title, precision, item.done))
    fundings = None
    if "fundings" in given:
        fundings = [
            FundingLine(f.amount, f.currency.upper(), f.funder, f.value_date)
            for f in payload.fundings or []
        ]
    start, start_precision = date("start")
    end, end_precision = date("end")
    title = given.get("title") or (current.title if current else {})
    record = InitiativeRecord(
        title=title,
        description=given.get("description"),
        kind=given.get("kind"),
        status=given.get("status"),
        progress_override=given.get("progress"),
        start_on=start,
        start_precision=start_precision,
        end_on=end,
        end_precision=end_precision,
        partner=given.get("partner"),
        implementers=given.get("implementers"),
        commitments=given.get("commitments"),
        places=places,
        fundings=fundings,
        milestones=milestones,
        iati_identifier=given.get("iati_identifier"),
        external_ids=given.get("external_ids"),
        classification=given.get("classification"),
    )
    names = {"progress": "progress_override"}
    for key in given:
        if key in {"countries", "regions"}:
            record.given.add("places")
        else:
            record.given.add(names.get(key, key))
    return record


def date_of(value: str) -> tuple[dt.date, str]:
    try:
        return parse_partial_date(value)
    except ValueError as error:
        raise Invalid(f"milestones: {error}") from error


@router.post(
    "/initiatives",
    response={201: InitiativeDetailOut},
    auth=authenticated,
    summary="Enter an initiative",
)
def initiative_create(request: HttpRequest, payload: InitiativeIn) -> Status:
    """Partners' contributors and focal points enter their partner's initiatives; the
    secretariat any. An initiative becomes public when the secretariat verifies it."""
    initiative = initiative_writes.initiative_create(user=request.user, record=_record(payload))
    return Status(
        201,
        initiative_out(selectors.initiative_get(user=request.user, pk=initiative.pk), detail=True),
    )


@router.patch(
    "/initiatives/{initiative_id}",
    response=InitiativeDetailOut,
    auth=authenticated,
    summary="Edit an initiative",
)
def initiative_update(request: HttpRequest, initiative_id: int, payload: InitiativePatch) -> dict:
    """Send the ``version`` you read; if someone saved since, the answer is 409."""
    initiative = selectors.initiative_get(user=request.user, pk=initiative_id)
    initiative_writes.initiative_update(
        user=request.user,
        initiative=initiative,
        record=_record(payload, initiative),
        version=payload.version,
    )
    return initiative_out(
        selectors.initiative_get(user=request.user, pk=initiative_id), detail=True
    )


# --- cycles ----------------------------------------------------------------------------


class EntryOut(Schema):
    cycle: str
    initiative: int
    title: str
    partner: str | None
    state: str
    comment: str
    status: str
    progress: int | None
    version: int


def entry_out(entry: CycleEntry) -> dict:
    """An entry as the API answers it (the list of cycles is in :mod:`accord.api.cycles`)."""
    return {
        "cycle": entry.cycle.name,
        "initiative": entry.initiative_id,
        "title": entry.initiative.title_text,
        "partner": entry.initiative.partner.acronym if entry.initiative.partner else None,
        "state": entry.state,
        "comment": entry.comment,
        "status": entry.status,
        "progress": entry.progress,
        "version": entry.version,
    }


def _entries_for(request: HttpRequest, cycle: Any) -> Any:
    visible = Initiative.objects.visible_to(request.user).values("pk")
    return selectors.cycle_entries(cycle).filter(initiative_id__in=visible).select_related("cycle")


@router.get("/cycles/{name}/entries", response=list[EntryOut], summary="Entries of a cycle")
@paginate(Page)
def cycle_entry_list(request: HttpRequest, name: str) -> list[dict]:
    return [entry_out(e) for e in _entries_for(request, selectors.cycle_get(name))]


class EntryIn(Schema):
    initiative: int


@router.post(
    "/cycles/{name}/entries",
    response={201: EntryOut},
    auth=authenticated,
    summary="Draft an initiative's entry in a cycle",
)
def cycle_entry_draft(request: HttpRequest, name: str, payload: EntryIn) -> Status:
    cycle = selectors.cycle_get(name)
    initiative = selectors.initiative_get(user=request.user, pk=payload.initiative)
    entry = entry_draft(user=request.user, cycle=cycle, initiative=initiative)
    return Status(201, entry_out(entry))


class TransitionIn(Schema):
    version: int | None = None
    comment: str = ""


def _entry(cycle_name: str, initiative_id: int) -> CycleEntry:
    entry = (
        CycleEntry.objects.select_related("cycle", "initiative__partner")
        .filter(cycle__name=cycle_name, initiative_id=initiative_id)
        .first()
    )
    if entry is None:
        raise NotFound(f"Initiative {initiative_id} has no entry in the cycle {cycle_name!r}.")
    return entry


TRANSITIONS = {
    "submit": lambda user, entry, body: entry_submit(user=user, entry=entry, version=body.version),
    "verify": lambda user, entry, body: entry_verify(
        user=user, entry=entry, comment=body.comment, version=body.version
    ),
    "return": lambda user, entry, body: entry_return(
        user=user, entry=entry, comment=body.comment, version=body.version
    ),
}


@router.post(
    "/cycles/{name}/entries/{initiative_id}/{action}",
    response=EntryOut,
    auth=authenticated,
    summary="Submit, verify or return an entry",
)
def cycle_entry_transition(
    request: HttpRequest, name: str, initiative_id: int, action: str, payload: TransitionIn
) -> dict:
    """``submit`` (the partner's focal point), ``verify`` or ``return`` with a comment
    (the secretariat)."""
    if action not in TRANSITIONS:
        raise NotFound(f"No action {action!r}; use submit, verify or return.")
    entry = TRANSITIONS[action](request.user, _entry(name, initiative_id), payload)
    entry = _entry(name, initiative_id)
    return entry_out(entry)


# --- imports -------------------------------------------------------------------------


class ImportProblemOut(Schema):
    line: int
    column: str
    message: str
    severity: str = "error"
    record: str = ""
    value: str = ""
    action: str = ""
    code: str = ""


class InitiativeImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    skipped: int
    warnings: int
    skipped_reasons: list[str]
    problems: list[ImportProblemOut]
    warnings_by_publisher: dict[str, int]
    errors: list[str]
    dry_run: bool = False
    run: int | None = None


@router.post(
    "/imports/{kind}",
    response=InitiativeImportOut,
    auth=authenticated,
    summary="Import initiatives (iati, or initiatives as CSV/XLSX)",
)
def import_file(
    request: HttpRequest,
    kind: str,
    file: File[UploadedFile],
    strict: bool = False,
    dry_run: bool = False,
) -> dict:
    """For focal points and the secretariat. All or nothing: a bad file answers 422 with
    each bad row and column, and nothing is written; soft problems of IATI files are
    imported and listed as warnings (``strict``: refused instead)."""
    with saved_upload(file, default_suffix=".xml" if kind == "iati" else ".csv") as path:
        try:
            report = initiatives_import_file(
                user=request.user,
                kind=kind,
                path=path,
                file_name=file.name or "",
                strict=strict,
                dry_run=dry_run,
            )
        except (ValueError, zipfile.BadZipFile, csv.Error) as error:
            raise _unreadable(error) from error
    return report.as_dict()


def _unreadable(error: Exception) -> Exception:
    """A file the readers could not read, as the refusal it is (422); else ``error``."""
    causes = [error, error.__cause__, error.__context__]
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        return ImportRejected("The file is refused: it declares a DTD or entities.")
    # openpyxl: "Unable to read workbook" (bad XML inside), or not an XLSX at all. Imported
    # here: openpyxl (and numpy under it) adds 45 MB to every worker that loads the API.
    from openpyxl.utils.exceptions import InvalidFileException

    not_a_table = isinstance(error, InvalidFileException | UnicodeError | zipfile.BadZipFile)
    if not_a_table or isinstance(error, csv.Error) or str(error).startswith("Unable to read"):
        return ImportRejected(f"The file cannot be read as CSV or XLSX ({type(error).__name__}).")
    return error

"""Indicators and their observations; imports of observation files."""

from pathlib import Path

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BaseModel

from accord.access.permissions import require
from accord.api.base import authenticated
from accord.api.imports import DataQualityOut, data_quality_out
from accord.api.pagination import Page
from accord.core.uploads import saved_upload
from accord.evidence import selectors
from accord.evidence.importing import Options, observations_import
from accord.evidence.models import Indicator
from accord.evidence.permissions import can_import_observations

router = Router(tags=["evidence"])


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    source_organisation: str
    sdg_code: str
    hxl_tag: str
    direction: str
    target_value: float | None
    target_year: int | None
    metadata: dict
    dimensions: dict[str, list[str]] | None = None
    commitments: list[str] | None = None
    series: list[dict[str, str]] | None = None
    data_quality: list[DataQualityOut] | None = None
    version: int


def indicator_out(indicator: Indicator, *, detail: bool = False) -> dict:
    body = {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "definition": indicator.definition,
        "source_organisation": indicator.source_organisation,
        "sdg_code": indicator.sdg_code,
        "hxl_tag": indicator.hxl_tag,
        "direction": indicator.direction,
        "target_value": indicator.target_value,
        "target_year": indicator.target_year,
        "metadata": indicator.metadata,
        "version": indicator.version,
    }
    if detail:
        body["dimensions"] = selectors.dimensions_of(indicator)
        body["commitments"] = selectors.commitment_codes_for_indicator(indicator)
        body["series"] = [
            {"series": series, "units": units}
            for series, units in selectors.indicator_series(indicator)
        ]
        body["data_quality"] = [
            data_quality_out(warning) for warning in selectors.indicator_data_quality(indicator)
        ]
    return body


@router.get("/indicators", response=list[IndicatorOut], summary="List indicators")
@paginate(Page)
def indicator_list(request: HttpRequest, q: str = "") -> list[dict]:
    return [indicator_out(i) for i in selectors.indicator_list(user=request.user, search=q)]


# Declared before /indicators/{code} so that its path is matched first.
class DatasetImportOut(Schema):
    dataset: str
    kind: str
    version: int
    rows: int
    replaced: int
    skipped: int
    unchanged: bool
    dry_run: bool
    message: str
    warnings: list[dict]
    summary: str


@router.post(
    "/indicators/import",
    response={200: DatasetImportOut},
    auth=authenticated,
    summary="Import a file of observations",
)
def indicator_import(
    request: HttpRequest,
    file: File[UploadedFile],
    indicator: Form[str] = "",
    place: Form[str] = "",
    source: Form[str] = "",
    licence: Form[str] = "",
    dataset: Form[str] = "",
    period_column: Form[str] = "",
    dry_run: Form[bool] = False,
) -> dict:
    """A tidy CSV (Open SDG), HXL-tagged CSV or XLSX, SDMX-CSV or SDMX-ML file, for focal
    points and the secretariat.
    All or nothing: a refused file answers 422 with each bad row and column."""
    require(
        can_import_observations(request.user),
        "Only focal points and the secretariat import observations.",
    )
    name = Path(file.name or "upload.csv").name
    with saved_upload(file) as path:
        report = observations_import(
            path=path,
            options=Options(
                indicator=indicator,
                place=place,
                source=source,
                licence=licence,
                dataset=dataset,
                period_column=period_column,
                dry_run=dry_run,
            ),
            user=request.user,
            file_name=name,
        )
    return {
        "dataset": report.dataset,
        "kind": report.kind,
        "version": report.version,
        "rows": report.rows,
        "replaced": report.replaced,
        "skipped": report.skipped,
        "unchanged": report.unchanged,
        "dry_run": report.dry_run,
        "message": report.message,
        "warnings": [warning.as_dict() for warning in report.warnings],
        "summary": report.summary(),
    }


@router.get("/indicators/{code}", response=IndicatorOut, summary="One indicator")
def indicator_detail(request: HttpRequest, code: str) -> dict:
    """With the dimensions its figures are broken down by and the commitments it evidences."""
    return indicator_out(selectors.indicator_get(user=request.user, code=code), detail=True)


class ObservationOut(BaseModel):
    """A plain pydantic model: the rows come as dicts (``observation_row_dict``), so no
    per-field attribute resolution is needed."""

    place: str
    place_name: str
    period: str
    period_start: str
    period_end: str
    disaggregation: dict[str, str]
    value: float
    status: str
    source: str
    source_url: str
    note: str
    series: str
    units: str
    obs_status: str
    unit_multiplier: int | None


@router.get(
    "/indicators/{code}/observations",
    response=list[ObservationOut],
    summary="An indicator's observations",
)
@paginate(Page)
def indicator_observations(request: HttpRequest, code: str) -> selectors.ObservationRows:
    """Filter with ``place`` (M49, ISO or named code; comma-separated for several),
    ``from`` and ``to`` (periods: ``2015``, ``2015-Q2``, ``2015-03``, a date) and
    ``<dimension>=<category>`` (an empty category is that dimension's total). An unknown
    dimension, category or place, or a malformed period, answers 422."""
    indicator = selectors.indicator_get(user=request.user, code=code)
    chosen = selectors.observation_filter_parse(indicator, request.GET.dict())
    # Read as plain rows, each page with one query (and one to count).
    return selectors.observation_rows(indicator, chosen).as_dicts()

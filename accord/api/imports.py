"""Imports as the API sees them: the runs and the data-quality warnings they leave."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from accord.access.data_quality import record_warning_clear
from accord.access.selectors import access_for
from accord.api.base import authenticated
from accord.api.pagination import Page
from accord.core.errors import NotFound
from accord.core.models import ImportRun, RecordWarning

router = Router(tags=["imports"])


class DataQualityOut(Schema):
    id: int
    line: int
    field: str
    value: str
    message: str
    action: str
    publisher: str
    rows: int
    run: int | None
    cleared: bool
    cleared_by: str | None
    clear_comment: str


def data_quality_out(warning: RecordWarning) -> dict[str, Any]:
    return {
        "id": warning.pk,
        "line": warning.line,
        "field": warning.field,
        "value": warning.value,
        "message": warning.message,
        "action": warning.action,
        "publisher": warning.publisher,
        "rows": warning.rows,
        "run": warning.run_id,
        "cleared": warning.cleared_at is not None,
        "cleared_by": warning.cleared_by.get_username() if warning.cleared_by else None,
        "clear_comment": warning.clear_comment,
    }


class ClearIn(Schema):
    comment: str


@router.post(
    "/data-quality/{warning_id}/clear",
    response=DataQualityOut,
    auth=authenticated,
    summary="Clear a data-quality warning with a comment (secretariat)",
)
def data_quality_clear(request: HttpRequest, warning_id: int, payload: ClearIn) -> dict:
    warning = RecordWarning.objects.filter(pk=warning_id).first()
    if warning is None:
        raise NotFound(f"No data-quality warning {warning_id}.")
    warning = record_warning_clear(user=request.user, warning=warning, comment=payload.comment)
    return data_quality_out(warning)


class ImportRunOut(Schema):
    id: int
    kind: str
    file_name: str
    imported_at: str
    created: int
    updated: int
    unchanged: int
    skipped: int
    warnings: int
    warnings_by_publisher: dict[str, int]
    problems: list[dict[str, Any]]


@router.get(
    "/import-runs",
    response=list[ImportRunOut],
    auth=authenticated,
    summary="The imports run, newest first, with their warnings (secretariat)",
)
@paginate(Page)
def import_runs(request: HttpRequest) -> Any:
    if not access_for(request.user).is_secretariat:
        raise PermissionDenied("Only the secretariat reads the record of imports.")
    return [
        {
            "id": run.pk,
            "kind": run.kind,
            "file_name": run.file_name,
            "imported_at": run.imported_at.isoformat(),
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "skipped": run.skipped,
            "warnings": run.warnings,
            "warnings_by_publisher": run.warnings_by_publisher,
            "problems": run.problems,
        }
        for run in ImportRun.objects.all()
    ]

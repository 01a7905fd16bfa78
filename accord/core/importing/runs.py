"""The record of imports: each run with its report, and the warnings kept with each
record (its "data quality" list). Clearing a warning is the secretariat's, in
:mod:`accord.access.data_quality`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from accord.core.importing.problems import MAX_LISTED, ImportReport, Problem
from accord.core.models import ImportRun, RecordWarning


def import_run_start(*, kind: str, file_name: str, user: Any = None) -> ImportRun:
    """The run's row, made inside the import's transaction (a refused file leaves none)."""
    by = user if user is not None and user.is_authenticated else None
    return ImportRun.objects.create(
        kind=kind,
        file_name=file_name[:255],
        imported_by=by,
    )


def import_run_finish(*, run: ImportRun, report: ImportReport) -> ImportRun:
    run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
    run.skipped, run.warnings = len(report.skipped), len(report.warnings)
    run.warnings_by_publisher = dict(report.by_publisher)
    run.problems = [p.as_dict() for p in (report.skipped + report.warnings)[:MAX_LISTED]]
    run.save()
    report.run_id = run.pk
    return run


def import_run_record(
    *,
    kind: str,
    file_name: str,
    user: Any = None,
    created: int = 0,
    updated: int = 0,
    unchanged: int = 0,
    skipped: Sequence[Problem] | int = (),
    warnings: Sequence[Problem] = (),
    publisher: str = "",
) -> ImportRun:
    """The run of an import that keeps its own report (figures, datasets): its counts
    and problems, its warnings counted under ``publisher`` (the source of the figures)."""
    listed = [] if isinstance(skipped, int) else list(skipped)
    by_publisher: dict[str, int] = {}
    for warning in warnings:
        name = warning.publisher or publisher or "-"
        by_publisher[name] = by_publisher.get(name, 0) + 1
    run = import_run_start(kind=kind, file_name=file_name, user=user)
    run.created, run.updated, run.unchanged = created, updated, unchanged
    run.skipped = skipped if isinstance(skipped, int) else len(listed)
    run.warnings = len(warnings)
    run.warnings_by_publisher = by_publisher
    run.problems = [p.as_dict() for p in [*listed, *warnings][:MAX_LISTED]]
    run.save()
    return run


def record_warnings_keep(
    *,
    run: ImportRun | None,
    model: type[models.Model],
    warnings: Iterable[tuple[Any, Problem]],
) -> int:
    """Keep each ``(record id, problem)`` as a warning of that record, once: a warning
    already on the record (open or cleared) is not added again, so importing the same
    file again changes nothing. Returns how many were added."""
    content_type = ContentType.objects.get_for_model(model)
    wanted: dict[tuple[str, str, str, str], tuple[str, Problem]] = {}
    for pk, problem in warnings:
        key = (str(pk), problem.field[:100], problem.value[:255], problem.message[:500])
        wanted.setdefault(key, (str(pk), problem))
    if not wanted:
        return 0
    existing = set(
        RecordWarning.objects.filter(
            content_type=content_type, object_id__in={key[0] for key in wanted}
        ).values_list("object_id", "field", "value", "message")
    )
    new = [
        RecordWarning(
            run=run,
            content_type=content_type,
            object_id=pk,
            line=problem.line,
            field=problem.field[:100],
            value=problem.value[:255],
            message=problem.message[:500],
            action=problem.action[:500],
            publisher=problem.publisher[:255],
        )
        for key, (pk, problem) in wanted.items()
        if key not in existing
    ]
    RecordWarning.objects.bulk_create(new, batch_size=1000)
    return len(new)


def record_warnings_of(record: models.Model, *, open_only: bool = False) -> QuerySet[RecordWarning]:
    """A record's data-quality list (selector)."""
    warnings = RecordWarning.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk)
    ).select_related("cleared_by", "run")
    return warnings.filter(cleared_at__isnull=True) if open_only else warnings


def record_warnings_for(model: type[models.Model], ids: Sequence[Any]) -> dict[str, int]:
    """Open warnings per record id, for lists."""
    rows = (
        RecordWarning.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
            cleared_at__isnull=True,
        )
        .values_list("object_id")
        .annotate(n=models.Count("pk"))
    )
    return dict(rows)

"""Datasets of figures and their versions: each import is a version; the rows of the
version it replaces move to the archive table, from which an earlier version is restored."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connection, transaction

from accord.core.errors import Conflict, NotFound
from accord.evidence.models import ArchivedObservation, Dataset, DatasetVersion, Observation

# The columns an observation has, live or archived (generated data writes the first twelve).
OBSERVATION_COLUMNS = [
    "indicator_id",
    "place_id",
    "period_start",
    "period_end",
    "period_precision",
    "disaggregation_key",
    "disaggregation",
    "value",
    "status",
    "source",
    "source_url",
    "note",
]
SERIES_COLUMNS = ["obs_status", "unit_multiplier", "series", "units"]
ALL_COLUMNS = [*OBSERVATION_COLUMNS, *SERIES_COLUMNS]


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _move_rows(
    *,
    from_model: Any,
    to_model: Any,
    where: str,
    params: list[Any],
    extra_column: str,
    extra_value: Any,
) -> int:
    """Copy rows between the live and the archive tables in SQL, then delete the originals."""
    columns = ", ".join(connection.ops.quote_name(c) for c in ALL_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(to_model)} ({connection.ops.quote_name(extra_column)}, "  # noqa: S608
            f"{columns}) SELECT %s, {columns} FROM {_table(from_model)} WHERE {where}",
            [extra_value, *params],
        )
        moved = cursor.rowcount
        cursor.execute(f"DELETE FROM {_table(from_model)} WHERE {where}", params)  # noqa: S608
    return moved


def archive_current_rows(dataset: Dataset, version: DatasetVersion) -> int:
    return _move_rows(
        from_model=Observation,
        to_model=ArchivedObservation,
        where="dataset_id = %s",
        params=[dataset.pk],
        extra_column="version_id",
        extra_value=version.pk,
    )


def restore_archived_rows(dataset: Dataset, version: DatasetVersion) -> int:
    return _move_rows(
        from_model=ArchivedObservation,
        to_model=Observation,
        where="version_id = %s",
        params=[version.pk],
        extra_column="dataset_id",
        extra_value=dataset.pk,
    )


def same_rows_as_archived(dataset: Dataset, version: DatasetVersion) -> bool:
    """Whether the dataset's live rows are exactly those archived for ``version``: a
    re-import of the same figures, in whatever file, changes nothing."""
    columns = ", ".join(f"{connection.ops.quote_name(c)}" for c in ALL_COLUMNS)
    live = f"SELECT {columns} FROM {_table(Observation)} WHERE dataset_id = %s"  # noqa: S608
    kept = f"SELECT {columns} FROM {_table(ArchivedObservation)} WHERE version_id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM ({live}) a), (SELECT count(*) FROM ({kept}) b), "  # noqa: S608
            f"(SELECT count(*) FROM ({live} EXCEPT {kept}) c)",
            [dataset.pk, version.pk, dataset.pk, version.pk],
        )
        live_count, kept_count, different = cursor.fetchone()
    return bool(live_count == kept_count and not different)


@transaction.atomic
def dataset_restore(*, dataset: Dataset, number: int) -> DatasetVersion:
    """Make an earlier version of a dataset current again; the current one is archived."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    try:
        wanted = dataset.versions.get(number=number)
    except DatasetVersion.DoesNotExist as error:
        raise NotFound(f"Dataset {dataset.name!r} has no version {number}.") from error
    current = dataset.versions.filter(is_current=True).first()
    if current is not None and current.pk == wanted.pk:
        return wanted
    if current is not None:
        archive_current_rows(dataset, current)
        current.is_current = False
        current.save(update_fields=["is_current"])
    try:
        with transaction.atomic():
            restore_archived_rows(dataset, wanted)
    except IntegrityError as error:
        raise Conflict(
            f"Version {number} of {dataset.name!r} holds values that another dataset now "
            "holds; remove those first."
        ) from error
    wanted.is_current = True
    wanted.save(update_fields=["is_current"])
    dataset.version = wanted.number
    dataset.rows = wanted.rows
    dataset.checksum = wanted.checksum
    dataset.file_name = wanted.file_name
    dataset.kind = wanted.kind
    dataset.save(update_fields=["version", "rows", "checksum", "file_name", "kind", "updated_at"])
    return wanted


def dataset_get(name: str) -> Dataset:
    dataset = Dataset.objects.filter(name=name).first()
    if dataset is None:
        raise NotFound(f"No dataset is named {name!r}.")
    return dataset

"""Writes about indicators, datasets and links to commitments. One transaction each."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from accord.core.errors import Conflict, Invalid, NotFound
from accord.core.services import full_clean_or_invalid, model_update
from accord.evidence.imports import archive_current_rows, restore_archived_rows
from accord.evidence.models import CommitmentIndicator, Dataset, DatasetVersion, Indicator


@transaction.atomic
def indicator_create(*, code: str, name: str, unit: str = "", **fields: Any) -> Indicator:
    if Indicator.objects.filter(code__iexact=code).exists():
        raise Invalid(f"An indicator with the code {code!r} exists already.")
    indicator = Indicator(code=code, name=name, unit=unit, **fields)
    full_clean_or_invalid(indicator)
    indicator.save()
    return indicator


def indicator_update(
    *, indicator: Indicator, data: dict[str, Any], version: int | None
) -> Indicator:
    if "code" in data and data["code"] != indicator.code:
        raise Invalid("An indicator's code is its name in files and links; it does not change.")
    return model_update(instance=indicator, data=data, version=version)


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


@transaction.atomic
def commitment_indicator_link(
    *, commitment_code: str, indicator: Indicator, note: str = ""
) -> CommitmentIndicator:
    """Link a commitment (by its stable code) to an indicator; linking twice is harmless."""
    if not commitment_code.strip():
        raise Invalid("A commitment code is needed.")
    link, created = CommitmentIndicator.objects.get_or_create(
        commitment_code=commitment_code.strip(), indicator=indicator, defaults={"note": note}
    )
    if not created and note and link.note != note:
        link.note = note
        link.save(update_fields=["note", "updated_at"])
    return link


def commitment_indicator_unlink(*, commitment_code: str, indicator: Indicator) -> int:
    deleted, _ = CommitmentIndicator.objects.filter(
        commitment_code=commitment_code, indicator=indicator
    ).delete()
    return deleted

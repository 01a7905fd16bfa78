"""Writes about indicators, datasets and links to commitments. One transaction each."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accord.core.errors import Invalid
from accord.core.services import full_clean_or_invalid, model_update
from accord.evidence.datasets import dataset_get, dataset_restore
from accord.evidence.models import CommitmentIndicator, Indicator

__all__ = [
    "commitment_indicator_link",
    "commitment_indicator_unlink",
    "dataset_get",
    "dataset_restore",
    "indicator_create",
    "indicator_update",
]


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

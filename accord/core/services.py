"""Write helpers shared by every app's services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from accord.core.errors import Conflict, Invalid, NotFound
from accord.core.models import VersionedModel
from accord.core.text import clean_text_fields

VersionedT = TypeVar("VersionedT", bound=VersionedModel)


def validation_message(error: ValidationError) -> str:
    """One readable sentence out of a Django ValidationError, fields named."""
    if hasattr(error, "error_dict"):
        parts = []
        for field, errors in error.message_dict.items():
            label = "" if field == "__all__" else f"{field}: "
            parts.append(label + " ".join(errors))
        return "; ".join(parts)
    return " ".join(error.messages)


def full_clean_or_invalid(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """``full_clean()``, raising the domain's :class:`Invalid` with a readable message.

    Control characters are stripped from the text fields first (``core.text``)."""
    clean_text_fields(instance)
    try:
        instance.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else None
        raise Invalid(validation_message(error), details=details) from error


def lock_current(
    model: type[VersionedT], *, pk: Any, version: int | None, select_related: Iterable[str] = ()
) -> VersionedT:
    """The row ``pk`` of ``model``, locked for this transaction, if still at ``version``.

    The one version check of the project: of two people editing the same record the
    second is refused with a :class:`Conflict` (``version=None`` skips the check). Call
    inside a transaction.
    """
    query = model._default_manager.select_for_update()
    if select_related:
        query = query.select_related(*select_related)
    try:
        current = query.get(pk=pk)
    except model.DoesNotExist as error:
        raise NotFound(f"{model._meta.verbose_name} no longer exists") from error
    if version is not None and current.version != version:
        raise Conflict(
            f"This {model._meta.verbose_name} was changed by someone else "
            f"(version {current.version}, yours {version}); reload it and apply your "
            "change again.",
            details={"current_version": current.version, "your_version": version},
        )
    return current


def model_update(
    *,
    instance: VersionedT,
    data: Mapping[str, Any],
    version: int | None,
) -> VersionedT:
    """Apply ``data`` to ``instance`` if nobody has changed it since ``version``.

    The row is locked and its version compared inside one transaction (see
    :func:`lock_current`).
    """
    with transaction.atomic():
        current = lock_current(type(instance), pk=instance.pk, version=version)
        changed = [field for field, value in data.items() if getattr(current, field) != value]
        for field in changed:
            setattr(current, field, data[field])
        if not changed:
            return current
        full_clean_or_invalid(current)
        current.version += 1
        current.save(update_fields=[*changed, "version", "updated_at"])
        return current

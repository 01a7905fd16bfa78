"""Read helpers shared by every app's selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from accord.core.errors import NotFound
from accord.core.models import ClassifiedQuerySet

if TYPE_CHECKING:
    from accord.core.readers import Actor

ModelT = TypeVar("ModelT", bound=models.Model)


def get_visible(
    queryset: models.QuerySet[Any] | models.Manager[Any],
    *,
    user: Actor,
    **lookup: Any,
) -> Any:
    """Fetch one record and check that ``user`` may read it, in one call.

    Raises :class:`NotFound` alike when there is no such record and when there is one
    this reader may not see: the answer never tells a hidden record from a missing one.
    Refusing an action on a record the reader can see is the permission predicates' work.
    """
    records: ClassifiedQuerySet = queryset.all()  # type: ignore[assignment]
    record = records.visible_to(user).filter(**lookup).first()
    if record is not None:
        return record
    raise NotFound(f"No {queryset.model._meta.verbose_name} matches {_describe(lookup)}.")


def _describe(lookup: dict[str, Any]) -> str:
    return ", ".join(f"{key.split('__')[0]}={value!r}" for key, value in lookup.items())


def record_history_entries(record: models.Model) -> list[dict[str, Any]]:
    """Each saved version of ``record``, newest first, with who, when and what changed."""
    versions = list(record.history.select_related("history_user").all())  # type: ignore[attr-defined]
    entries = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        changes = []
        if older is not None:
            delta = version.diff_against(older)
            changes = [
                {"field": change.field, "old": change.old, "new": change.new}
                for change in delta.changes
            ]
        entries.append(
            {
                "when": version.history_date,
                "who": version.history_user,
                "kind": {"+": "created", "~": "changed", "-": "deleted"}[version.history_type],
                "changes": changes,
                "reason": version.history_change_reason,
            }
        )
    return entries

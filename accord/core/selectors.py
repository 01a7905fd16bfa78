"""Read helpers shared by every app's selectors."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

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


HISTORY_KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _readable_value(field: Any, value: Any) -> str:
    """A stored value as a person reads it: a related record's name rather than its id,
    a choice's label, a date in the reader's language."""
    if value is None or value == "":
        return "—"
    if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else _("#%(id)s (deleted)") % {"id": value}
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def _readable_change(model: type[models.Model], name: str, old: Any, new: Any) -> dict[str, Any]:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return {"field": name, "old": old, "new": new}
    return {
        "field": capfirst(str(getattr(field, "verbose_name", name))),
        "old": _readable_value(field, old),
        "new": _readable_value(field, new),
    }


def record_history_entries(record: models.Model) -> list[dict[str, Any]]:
    """Each saved version of ``record``, newest first, with who, when and what changed:
    field labels, names of related records and choice labels rather than column names,
    ids and codes."""
    versions = list(record.history.select_related("history_user").all())  # type: ignore[attr-defined]
    model = type(record)
    entries = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        changes = []
        if older is not None:
            delta = version.diff_against(older)
            changes = [
                _readable_change(model, change.field, change.old, change.new)
                for change in delta.changes
            ]
        user = version.history_user
        entries.append(
            {
                "when": version.history_date,
                "who": (user.get_full_name() or user.get_username()) if user else None,
                "kind": HISTORY_KINDS[version.history_type],
                "changes": changes,
                "reason": version.history_change_reason,
            }
        )
    return entries

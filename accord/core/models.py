"""Base models every domain app builds on: history, versions, classification, sources.

- :class:`TrackedModel` keeps the history of every change (who, when, what) through
  django-simple-history.
- :class:`VersionedModel` adds the integer ``version`` a client sends back with an edit,
  so that a stale edit is refused with a conflict instead of overwriting another's.
- :class:`ClassifiedModel` adds the classification that decides who may read a record.
  :meth:`ClassifiedQuerySet.visible_to` is the one place that decision is made.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from accord.core.readers import reader_scope

if TYPE_CHECKING:
    from accord.core.readers import Actor


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    RESTRICTED = "restricted", _("Restricted to named partners")


CLASSIFICATION_RANK = {
    Classification.PUBLIC: 0,
    Classification.MEMBERS: 1,
    Classification.RESTRICTED: 2,
}


def highest_classification(values: list[str]) -> Classification:
    """The most restrictive of several classifications (public when there are none)."""
    ranked = [Classification(value) for value in values]
    return max(ranked, key=CLASSIFICATION_RANK.__getitem__, default=Classification.PUBLIC)


class KeptHistoryManager(HistoryManager):
    """django-simple-history's manager, its class made once per queryset class: the
    history descriptor asks for it at every access, each save's history row included, and
    ``from_queryset`` builds a new class each time (a quarter of a millisecond)."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class: type[Any], class_name: str | None = None) -> Any:
        return super().from_queryset(queryset_class, class_name)


class TrackedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(inherit=True, history_manager=KeptHistoryManager)

    class Meta:
        abstract = True


class VersionedModel(TrackedModel):
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by one at every saved edit.")
    )

    class Meta:
        abstract = True


class SourcedModel(models.Model):
    """A fact read from a public source, some of whose fields the source only implies."""

    source = models.TextField(_("source"), blank=True)
    uncertain_fields = models.JSONField(
        _("uncertain fields"),
        default=list,
        blank=True,
        help_text=_("Names of the fields that the sources only imply; shown as uncertain."),
    )

    class Meta:
        abstract = True

    def is_uncertain(self, field: str) -> bool:
        return field in (self.uncertain_fields or [])


def listed_fields(value: object) -> list[str]:
    """A JSON column as the cursor gives it: text on SQLite and PostgreSQL alike (Django
    reads ``jsonb`` as text), or already a list."""
    if value == "[]":  # nearly every row: no uncertain field
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return list(value) if isinstance(value, list) else []


class SampleModel(models.Model):
    """A record of the demo's sample scenario, never part of the real record.

    ``accord demo`` writes sample records beside the reference record; pages, exports
    and documents show them with a "sample" badge, and ``accord demo --reset-sample``
    deletes exactly these (and loads them again). ``accord load-reference`` writes none.
    """

    is_sample = models.BooleanField(
        _("sample"),
        default=False,
        db_index=True,
        editable=False,
        help_text=_("Part of the demo's sample scenario, not of the real record."),
    )

    class Meta:
        abstract = True


class ClassifiedQuerySet(models.QuerySet):
    def visible_to(self, user: Actor) -> Self:
        """The records this user may read: the one rule pages, API, exports and reports share.

        - the secretariat (and superusers) read everything;
        - anyone holding a role with a partner reads public and members records, and
          restricted records named for one of their partners;
        - everyone else reads public records only.
        """
        access = reader_scope(user)
        if access.sees_everything:
            return self
        if not access.is_member:
            return self.filter(classification=Classification.PUBLIC)
        field = self.model._meta.get_field("restricted_to")
        through = field.remote_field.through
        named_partner = through.objects.filter(
            **{
                field.m2m_field_name(): OuterRef("pk"),
                f"{field.m2m_reverse_field_name()}__in": access.partner_ids,
            }
        )
        return self.filter(
            Q(classification__in=[Classification.PUBLIC, Classification.MEMBERS])
            | (Q(classification=Classification.RESTRICTED) & Exists(named_partner))
        )


class ClassifiedModel(VersionedModel):
    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.MEMBERS,
        db_index=True,
    )
    restricted_to = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="%(app_label)s_%(class)s_restricted",
        verbose_name=_("restricted to"),
        help_text=_("For restricted records: the partners whose people may read it."),
    )

    objects: Any = ClassifiedQuerySet.as_manager()

    class Meta:
        abstract = True


class ImportRun(models.Model):
    """One import of a file: what it did, and the problems it kept (skipped, warnings)."""

    kind = models.CharField(_("kind"), max_length=32)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    warnings_by_publisher = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class RecordWarning(models.Model):
    """A data-quality warning an import left on a record (an initiative, an indicator),
    until the secretariat clears it with a comment. ``rows`` counts the rows of a file
    of figures that share the problem (named by the first one's line)."""

    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="record_warnings"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    line = models.PositiveIntegerField(default=0)
    field = models.CharField(_("field"), max_length=255, blank=True)
    value = models.CharField(_("value"), max_length=255, blank=True)
    message = models.CharField(_("problem"), max_length=500)
    rows = models.PositiveIntegerField(_("rows"), default=1)
    action = models.CharField(_("what was done"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clear_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["content_type", "object_id", "line", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.field} {self.value!r}: {self.message}"

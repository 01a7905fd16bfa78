"""A meeting's documents (agenda, background notes, presentations...) and the
uploaded versions of each.

Imported by ``accord.meetings.models``, so Django sees these models as that app's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.models import ClassifiedModel, SampleModel
from accord.meetings.meeting_models import AgendaItem, Meeting


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    BACKGROUND_NOTE = "background_note", _("Background note")
    MINUTES = "minutes", _("Minutes")
    PRESENTATION = "presentation", _("Presentation")
    PRESS_RELEASE = "press_release", _("Press release")


class Document(ClassifiedModel, SampleModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=8, default="en")

    class Meta:
        ordering = ["meeting", "kind", "title"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return self.title


def _document_path(instance: DocumentVersion, filename: str) -> str:
    return f"meetings/documents/{instance.document_id}/v{instance.number}/{filename}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("document version")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="meetings_document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

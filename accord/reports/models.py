"""Reports: press releases drafted from the record, and the history of exports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.models import Classification, ClassifiedModel, SampleModel


class PressReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PressRelease(ClassifiedModel, SampleModel):
    """A press release for a meeting: drafted from the record, edited by the secretariat,
    then published (public) on the press pages and in the Atom feed."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="press_releases",
        verbose_name=_("meeting"),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text (Markdown)"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PressReleaseStatus.choices,
        default=PressReleaseStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("press release")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PressReleaseStatus.PUBLISHED


# Drafts are for the secretariat and members until they are published.
DRAFT_CLASSIFICATION = Classification.MEMBERS


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"
    IATI = "iati", "IATI XML"
    SDMX_CSV = "sdmx-csv", "SDMX-CSV"


class ExportRecord(models.Model):
    """Who exported what, with which filters, how many rows, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    kind = models.CharField(_("what"), max_length=40)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    via = models.CharField(_("through"), max_length=16, default="page")
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.rows} rows)"


class AgendaCommitment(models.Model):
    """A commitment an agenda item discusses, by its code (``JVAP-2``): the briefing pack
    shows its coverage, progress and indicators when the commitments and evidence apps
    are installed. A code rather than a foreign key, so meetings and reports stand without
    those apps."""

    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.CASCADE,
        related_name="commitment_links",
        verbose_name=_("agenda item"),
    )
    commitment_code = models.CharField(_("commitment"), max_length=64, db_index=True)

    class Meta:
        ordering = ["agenda_item", "commitment_code"]
        verbose_name = _("commitment on the agenda")
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "commitment_code"], name="reports_agenda_commitment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.commitment_code}"

    def clean(self) -> None:
        # A code no commitment bears is refused, not kept as free text.
        from accord.meetings.decisions import unknown_commitment_codes

        self.commitment_code = self.commitment_code.strip()
        if unknown_commitment_codes([self.commitment_code]):
            raise ValidationError(
                {
                    "commitment_code": _("No commitment has the code %(code)s.")
                    % {"code": self.commitment_code}
                }
            )

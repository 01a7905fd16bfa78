"""Initiatives: the projects and policies that implement commitments, the programmes
that fund them, where they work, the money they receive, their milestones, and the
exchange rates that convert that money to euros."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.commitments.texts import localized
from accord.core.dates import DatePrecision
from accord.core.models import ClassifiedModel, SampleModel, SourcedModel

if TYPE_CHECKING:
    from accord.commitments.models import Commitment


class InitiativeKind(models.TextChoices):
    PROJECT = "project", _("Project")
    POLICY = "policy", _("Policy")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


# The progress an initiative shows when nobody has given one (Decidim's default per status).
DEFAULT_PROGRESS: dict[str, int] = {
    InitiativeStatus.PLANNED: 0,
    InitiativeStatus.ONGOING: 50,
    InitiativeStatus.COMPLETED: 100,
    InitiativeStatus.SUSPENDED: 25,
    InitiativeStatus.CANCELLED: 0,
}


class InitiativeOrigin(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")


class Programme(SourcedModel):
    """A funding programme (the EU Emergency Trust Fund for Africa) or a programme of
    work funded through one (the EU-IOM Joint Initiative); initiatives belong to one."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("funded through"),
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    resources_eur = models.DecimalField(
        _("resources (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")

    def __str__(self) -> str:
        return self.name


class Initiative(ClassifiedModel, SourcedModel, SampleModel):
    """A project or policy that implements commitments."""

    title = models.JSONField(_("title"), default=dict, help_text=_("{language: text}"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=InitiativeKind.choices, default=InitiativeKind.PROJECT
    )
    partner = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_initiatives",
        verbose_name=_("reporting partner"),
        help_text=_("The partner whose focal point reports this initiative."),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("programme"),
    )
    implementers = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="implemented_initiatives",
        verbose_name=_("implementing organisations"),
    )
    commitments: models.ManyToManyField[Commitment, InitiativeCommitment] = models.ManyToManyField(
        "commitments.Commitment",
        blank=True,
        related_name="initiatives",
        through="InitiativeCommitment",
        verbose_name=_("commitments"),
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    start_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
        db_index=True,
    )
    progress_override = models.PositiveSmallIntegerField(
        _("progress given"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Per cent; empty means the default for the status."),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, editable=False, validators=[MaxValueValidator(100)]
    )
    iati_identifier = models.CharField(
        _("IATI identifier"), max_length=150, null=True, blank=True, unique=True
    )
    external_ids = models.JSONField(_("other identifiers"), default=dict, blank=True)
    origin = models.CharField(
        _("origin"),
        max_length=16,
        choices=InitiativeOrigin.choices,
        default=InitiativeOrigin.ENTERED,
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    iati = models.JSONField(
        _("IATI details"),
        default=dict,
        blank=True,
        help_text=_("Participating organisations, budgets, transactions and results as read."),
    )

    class Meta:
        ordering = ["-start_on", "pk"]
        verbose_name = _("initiative")

    def __str__(self) -> str:
        return self.title_text or f"Initiative {self.pk}"

    @property
    def title_text(self) -> str:
        return localized(self.title)

    @property
    def description_text(self) -> str:
        return localized(self.description)

    def save(self, *args: object, **kwargs: object) -> None:
        self.progress = (
            self.progress_override
            if self.progress_override is not None
            else DEFAULT_PROGRESS.get(self.status, 0)
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "progress"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class InitiativeCommitment(models.Model):
    """An initiative's link to a commitment it implements."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="commitment_links"
    )
    # Indexed with the initiative (Meta.indexes): the commitment filter and facet read the
    # initiatives of a subtree from that index alone.
    commitment = models.ForeignKey(
        "commitments.Commitment",
        on_delete=models.CASCADE,
        related_name="initiative_links",
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "commitment"], name="commitments_link_unique"
            )
        ]
        indexes = [
            models.Index(fields=["commitment", "initiative"], name="commitments_link_by_commit")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} -> {self.commitment_id}"


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    DAC_REGION = "dac_region", _("DAC region")


class InitiativePlace(models.Model):
    """A country or region where an initiative works, by the code of
    :mod:`accord.core.places` (M49, ``XK``, ``DAC-298``)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="places")
    # Indexed with the initiative (Meta.indexes): the country filter reads the initiatives
    # of a place from that index alone.
    code = models.CharField(_("place code"), max_length=12)
    kind = models.CharField(max_length=12, choices=PlaceKind.choices, default=PlaceKind.COUNTRY)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["initiative", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="commitments_place_unique")
        ]
        indexes = [models.Index(fields=["code", "initiative"], name="commitments_place_by_code")]

    def __str__(self) -> str:
        from accord.commitments.places import place_name

        return place_name(self.code)


class Funding(models.Model):
    """Money for an initiative from one funder, in the currency given."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
    )
    funder_name = models.CharField(_("funder"), max_length=255, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("through the programme"),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty when the source names the funder but not the amount."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code such as EUR."))],
    )
    value_date = models.DateField(
        _("value date"), null=True, blank=True, help_text=_("The date whose rate converts it.")
    )

    class Meta:
        ordering = ["initiative", "pk"]
        verbose_name = _("funding")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.funder or self.funder_name})"

    @property
    def funder_display(self) -> str:
        if self.funder:
            return self.funder.acronym
        return self.funder_name or (self.programme.code if self.programme is not None else "")


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    on = models.DateField(_("date"))
    precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    title = models.CharField(_("title"), max_length=255)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["initiative", "on", "pk"]
        verbose_name = _("milestone")

    def __str__(self) -> str:
        return f"{self.on}: {self.title}"


class ExchangeRate(models.Model):
    """On ``date``, one euro bought ``per_eur`` units of ``currency``."""

    currency = models.CharField(max_length=3)
    date = models.DateField()
    per_eur = models.DecimalField(max_digits=18, decimal_places=6)

    class Meta:
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="commitments_rate_unique"),
            models.CheckConstraint(condition=Q(per_eur__gt=0), name="commitments_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_eur} {self.currency} on {self.date}"

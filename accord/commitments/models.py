"""Commitments: instruments and their commitment trees, initiatives, reporting cycles.

- An :class:`Instrument` (the Joint Valletta Action Plan, an SDG target list...) holds a
  tree of :class:`Commitment` records with stable codes (``JVAP-5``, ``JVAP-5.2``).
- An :class:`Initiative` (a project or a policy) implements commitments: who, where,
  with how much money, how far along.
- A :class:`Cycle` is a reporting round; each :class:`CycleEntry` is one initiative's
  record in it, drafted, submitted, verified or returned.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accord.commitments.texts import localized
from accord.core.dates import DatePrecision
from accord.core.models import ClassifiedModel, SampleModel, SourcedModel, VersionedModel

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\-]*$", _("Letters, digits, dots and dashes only.")
)


class ProgressWeighting(models.TextChoices):
    PLAIN = "plain", _("Plain average")
    FUNDING = "funding", _("Weighted by funding")


class Instrument(VersionedModel, SourcedModel):
    """A political text whose commitments are followed up (the JVAP, the 2030 Agenda...)."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=255)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    parties = models.ManyToManyField(
        "partners.Organisation", blank=True, related_name="instruments", verbose_name=_("parties")
    )
    note = models.TextField(_("note"), blank=True)
    progress_weighting = models.CharField(
        _("progress roll-up"),
        max_length=8,
        choices=ProgressWeighting.choices,
        default=ProgressWeighting.PLAIN,
        help_text=_("How a commitment's progress is computed from its children's."),
    )

    class Meta:
        ordering = ["adopted_on", "code"]
        verbose_name = _("instrument")

    def __str__(self) -> str:
        return self.code


class Commitment(VersionedModel):
    """One node of an instrument's tree: a domain, a priority, an action, a target."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="commitments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    title = models.JSONField(_("title"), default=dict, help_text=_("{language: text}"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # "/JVAP-5/JVAP-5.2/": the codes from the root down, kept by save(); finds a subtree
    # with one prefix match.
    path = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        ordering = ["instrument", "path"]
        verbose_name = _("commitment")

    def __str__(self) -> str:
        return f"{self.code} {self.title_text}"

    @property
    def title_text(self) -> str:
        return localized(self.title)

    @property
    def description_text(self) -> str:
        return localized(self.description)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def computed_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        return f"{prefix}{self.code}/"

    def save(self, *args: object, **kwargs: object) -> None:
        old_path = self.path
        self.path = self.computed_path()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "path"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()


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
        Commitment,
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
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="initiative_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "commitment"], name="commitments_link_unique"
            )
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
    code = models.CharField(_("place code"), max_length=12, db_index=True)
    kind = models.CharField(max_length=12, choices=PlaceKind.choices, default=PlaceKind.COUNTRY)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["initiative", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="commitments_place_unique")
        ]

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


class CycleStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Cycle(VersionedModel, SampleModel):
    """A reporting round the secretariat plans, opens and closes for some instruments.

    Entries are drafted, submitted and verified while it is open; ``closes_on`` is the
    deadline by which partners submit (an entry submitted later is late).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.PLANNED
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    instruments = models.ManyToManyField(Instrument, related_name="cycles", blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_cycles",
        verbose_name=_("continues"),
    )

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("reporting cycle")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="commitments_cycle_closes_after"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class CycleEntry(VersionedModel, SampleModel):
    """One initiative's record in one cycle; its history keeps every state it passed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="entries")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="cycle_entries"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=EntryState.choices, default=EntryState.DRAFT
    )
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(max_length=16, choices=InitiativeStatus.choices, blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    snapshot = models.JSONField(
        default=dict, blank=True, help_text=_("The initiative as reported in this cycle.")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Whether the entry came in by the deadline in force when it was submitted.
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )

    class Meta:
        ordering = ["cycle", "initiative"]
        verbose_name = _("cycle entry")
        verbose_name_plural = _("cycle entries")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "initiative"], name="commitments_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.initiative} ({self.state})"


class EntryException(models.Model):
    """A change the secretariat made to a verified (locked) entry, and why."""

    entry = models.ForeignKey(CycleEntry, on_delete=models.CASCADE, related_name="exceptions")
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["entry", "at"]
        verbose_name = _("exception to a verified entry")

    def __str__(self) -> str:
        return f"{self.entry}: {self.reason[:60]}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, value before, value after) for each field changed."""
        return [(name, self.before.get(name), value) for name, value in self.after.items()]


class CommitmentAlias(models.Model):
    """A code a commitment had before it was re-coded; it still resolves."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former commitment code")

    def __str__(self) -> str:
        return f"{self.code} -> {self.commitment.code}"

"""Reporting cycles: the rounds the secretariat opens for some instruments, each
initiative's entry in a round, and the exceptions made to verified entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accord.commitments.initiative_models import Initiative, InitiativeStatus
from accord.core.models import SampleModel, VersionedModel


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
    instruments = models.ManyToManyField(
        "commitments.Instrument", related_name="cycles", blank=True
    )
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

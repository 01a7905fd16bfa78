"""Commitments: instruments and their commitment trees, initiatives, reporting cycles.

- An :class:`Instrument` (the Joint Valletta Action Plan, an SDG target list...) holds a
  tree of :class:`Commitment` records with stable codes (``JVAP-5``, ``JVAP-5.2``).
- An :class:`Initiative` (a project or a policy) implements commitments: who, where,
  with how much money, how far along.
- A :class:`Cycle` is a reporting round; each :class:`CycleEntry` is one initiative's
  record in it, drafted, submitted, verified or returned.

Initiatives live in :mod:`accord.commitments.initiative_models`, cycles in
:mod:`accord.commitments.cycle_models`; this module imports them all.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.commitments.texts import localized
from accord.core.models import SourcedModel, VersionedModel

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


# --- initiatives and reporting cycles live in modules of their own; imported here so
# Django finds them and ``accord.commitments.models`` still names every model.
from accord.commitments.coverage_store import CoverageRows  # noqa: E402, F401
from accord.commitments.cycle_models import (  # noqa: E402, F401
    Cycle,
    CycleEntry,
    CycleStatus,
    EntryException,
    EntryState,
)
from accord.commitments.initiative_models import (  # noqa: E402, F401
    DEFAULT_PROGRESS,
    ExchangeRate,
    Funding,
    Initiative,
    InitiativeCommitment,
    InitiativeKind,
    InitiativeOrigin,
    InitiativePlace,
    InitiativeStatus,
    Milestone,
    PlaceKind,
    Programme,
)

"""Written and silence procedures: a draft decision put to the partners between meetings.

A written procedure is adopted when every partner asked has agreed; a silence procedure
is adopted at its deadline unless a partner has objected (an objection breaks the
silence at once). Each partner answers once; a later answer replaces its earlier one
while the procedure is open, and both stay in the trail. The outcome of an adopted
procedure is a :class:`~accord.meetings.models.Decision` that belongs to the procedure.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.core.models import ClassifiedModel, SampleModel, TrackedModel


class ProcedureKind(models.TextChoices):
    WRITTEN = "written", _("Written procedure")
    SILENCE = "silence", _("Silence procedure")


class ProcedureState(models.TextChoices):
    OPEN = "open", _("Open")
    ADOPTED = "adopted", _("Adopted")
    BROKEN = "broken", _("Not adopted")


class ProcedureOutcome(models.TextChoices):
    """Why a procedure closed."""

    ALL_AGREED = "all_agreed", _("Every partner agreed")
    SILENCE_KEPT = "silence_kept", _("Nobody objected by the deadline")
    OBJECTION = "objection", _("A partner objected")
    INCOMPLETE = "incomplete", _("Not every partner agreed by the deadline")


class Procedure(ClassifiedModel, SampleModel):
    """A draft decision put to the partners, answered by ``closes`` (the last day)."""

    kind = models.CharField(_("procedure"), max_length=16, choices=ProcedureKind.choices)
    text = models.TextField(_("draft decision"))
    closes = models.DateField(_("deadline"), help_text=_("The last day answers are taken."))
    partners = models.ManyToManyField(
        "partners.Organisation",
        related_name="procedures",
        verbose_name=_("partners asked"),
    )
    all_members = models.BooleanField(_("all members asked"), default=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ProcedureState.choices, default=ProcedureState.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ProcedureOutcome.choices, blank=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-closes", "-pk"]
        verbose_name = _("procedure")
        indexes = [models.Index(fields=["state", "closes"], name="meetings_procedure_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}: {self.text[:60]}"

    @property
    def is_open(self) -> bool:
        return self.state == ProcedureState.OPEN

    def is_due(self, today: dt.date) -> bool:
        """Past its last day and still open."""
        return self.is_open and self.closes < today


class ProcedureAnswerKind(models.TextChoices):
    AGREE = "agree", _("Agrees")
    OBJECT = "object", _("Objects")


class ProcedureAnswer(TrackedModel):
    """One partner's answer. The current one has no ``replaced_at``; the earlier ones it
    replaced stay as the trail."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="procedure_answers",
        verbose_name=_("partner"),
    )
    answer = models.CharField(_("answer"), max_length=8, choices=ProcedureAnswerKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"))
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["procedure", "answered_at", "pk"]
        verbose_name = _("answer to a procedure")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "organisation"],
                condition=Q(replaced_at__isnull=True),
                name="meetings_procedure_one_answer_per_partner",
            ),
            models.CheckConstraint(
                condition=~Q(answer="object") | ~Q(reason=""),
                name="meetings_procedure_objection_reasoned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.answer}"

"""Calls for contributions: the secretariat asks the partners for documents or agenda
requests for a meeting, by a deadline; each partner's contributions answer the call."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.models import SampleModel, TrackedModel, VersionedModel


class CallAsks(models.TextChoices):
    DOCUMENTS = "documents", _("Documents")
    AGENDA = "agenda", _("Agenda requests")
    BOTH = "both", _("Documents and agenda requests")


class CallState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ContributionCall(VersionedModel, SampleModel):
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="contribution_calls"
    )
    asks = models.CharField(
        _("asks for"), max_length=16, choices=CallAsks.choices, default=CallAsks.BOTH
    )
    message = models.TextField(_("what is asked"))
    due = models.DateField(_("deadline"))
    partners = models.ManyToManyField(
        "partners.Organisation", related_name="contribution_calls", verbose_name=_("partners asked")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=CallState.choices, default=CallState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        ordering = ["meeting", "-due", "-pk"]
        verbose_name = _("call for contributions")
        verbose_name_plural = _("calls for contributions")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.message[:60]}"

    @property
    def wants_documents(self) -> bool:
        return self.asks in {CallAsks.DOCUMENTS, CallAsks.BOTH}

    @property
    def wants_agenda(self) -> bool:
        return self.asks in {CallAsks.AGENDA, CallAsks.BOTH}


class Contribution(TrackedModel):
    """A partner's answer to a call: a document of the meeting, or an agenda request."""

    call = models.ForeignKey(
        ContributionCall, on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("partner"),
    )
    document = models.OneToOneField(
        "meetings.Document",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contribution",
    )
    agenda_request = models.TextField(_("agenda request"), blank=True)
    contributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["call", "organisation__acronym", "pk"]
        verbose_name = _("contribution")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=False) | ~models.Q(agenda_request=""),
                name="meetings_contribution_document_or_request",
            )
        ]

    def __str__(self) -> str:
        return self.agenda_request[:60] if not self.document_id else str(self.document)

"""Models of the review of minutes (comments, amendments, the actions written in them)
and of what decisions are linked to.

Imported at the end of ``accord.meetings.models``, so Django sees them as that app's.
Commitments and initiatives are named by code and id rather than by foreign key, so the
meetings app stands without the commitments app (as ``reports.AgendaCommitment`` does);
``accord.meetings.decisions`` checks them against that app when it is installed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.models import TrackedModel


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    AMENDMENT = "amendment", _("Proposed amendment")


class CommentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MinutesComment(TrackedModel):
    """A reader's comment on circulated minutes, or an amendment proposed to one of
    their paragraphs (named by its anchor), which the secretariat accepts or declines."""

    minutes = models.ForeignKey(
        "meetings.Minutes", on_delete=models.CASCADE, related_name="comments"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    revision = models.PositiveIntegerField(_("on revision"))
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True)
    paragraph_text = models.TextField(_("paragraph as read"), blank=True)
    text = models.TextField(_("comment"))
    proposed_text = models.TextField(_("proposed text"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    resolution = models.TextField(_("reason"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["minutes", "pk"]
        verbose_name = _("comment on minutes")

    def __str__(self) -> str:
        return self.text[:80]


class ProposedActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DROPPED = "dropped", _("Dropped")


class ProposedAction(models.Model):
    """An ``ACTION [IOM, DG HOME] due 2027-03-31: ...`` line of the minutes; at approval
    it is confirmed (an action point is recorded) or dropped."""

    minutes = models.ForeignKey(
        "meetings.Minutes", on_delete=models.CASCADE, related_name="proposed_actions"
    )
    line = models.TextField(_("line"))
    text = models.TextField(_("action"))
    owners = models.JSONField(_("owners"), default=list)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposedActionStatus.choices,
        default=ProposedActionStatus.PROPOSED,
    )
    action_point = models.ForeignKey(
        "meetings.ActionPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["minutes", "pk"]
        verbose_name = _("action proposed in minutes")

    def __str__(self) -> str:
        return self.text[:80]


class DecisionCommitment(models.Model):
    """A commitment a decision is about, by its stable code (``JVAP-5.2``)."""

    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.CASCADE, related_name="commitment_links"
    )
    commitment_code = models.CharField(_("commitment"), max_length=64, db_index=True)

    class Meta:
        ordering = ["decision", "commitment_code"]
        verbose_name = _("commitment of a decision")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "commitment_code"], name="meetings_decision_commitment_unique"
            )
        ]

    def __str__(self) -> str:
        return self.commitment_code


class DecisionInitiative(models.Model):
    """An initiative a decision is about, by its id."""

    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.CASCADE, related_name="initiative_links"
    )
    initiative_id = models.PositiveIntegerField(_("initiative"), db_index=True)

    class Meta:
        ordering = ["decision", "initiative_id"]
        verbose_name = _("initiative of a decision")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "initiative_id"], name="meetings_decision_initiative_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.initiative_id)

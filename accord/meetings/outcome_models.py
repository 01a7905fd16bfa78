"""What a meeting records: its minutes and their revisions, its decisions, and the
action points it raises with their dated progress.

Imported by ``accord.meetings.models``, so Django sees these models as that app's.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.core.models import ClassifiedModel, SampleModel, TrackedModel, VersionedModel
from accord.meetings.meeting_models import AgendaItem, Meeting


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated to participants")
    APPROVED = "approved", _("Approved")


class Minutes(VersionedModel, SampleModel):
    """The minutes of a meeting, or of one of its agenda items. ``body`` is the current
    Markdown; ``body_html`` its sanitised rendering; every saved text is a revision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="minutes"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False)
    # The review round (see accord.meetings.minutes).
    comment_deadline = models.DateField(_("comments until"), null=True, blank=True)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "agenda_item__position", "pk"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(agenda_item__isnull=True),
                name="meetings_minutes_one_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "agenda_item"], name="meetings_minutes_one_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}" + (f": {self.agenda_item}" if self.agenda_item else "")


class RevisionKind(models.TextChoices):
    EDIT = "edit", _("Edit")
    AMENDMENT = "amendment", _("Amendment accepted")
    CORRECTION = "correction", _("Correction")


class MinutesRevision(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    body = models.TextField(_("text (Markdown)"))
    status = models.CharField(max_length=16, choices=MinutesStatus.choices)
    kind = models.CharField(
        _("kind"), max_length=16, choices=RevisionKind.choices, default=RevisionKind.EDIT
    )
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["minutes", "number"]
        verbose_name = _("minutes revision")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"], name="meetings_minutes_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} (revision {self.number})"


class Decision(ClassifiedModel, SampleModel):
    """A decision of a meeting, numbered within it, or the outcome of a written or silence
    procedure between meetings (``procedure``, no meeting); what it is linked to
    (commitments, initiatives) lives in ``accord.meetings.minutes_models``."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    procedure = models.OneToOneField(
        "meetings.Procedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("adopted by procedure"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("decision")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(procedure__isnull=False),
                name="meetings_decision_of_meeting_or_procedure",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ActionPointStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Action points in these statuses are carried forward to the tier's next meetings.
STILL_OPEN = (ActionPointStatus.OPEN, ActionPointStatus.IN_PROGRESS)


class ActionPoint(ClassifiedModel, SampleModel):
    #: Set by the read that records progress (``action_point_to_follow_up``): the owners'
    #: (id, acronym), in order of acronym, read as plain rows rather than instances.
    owner_rows: list[tuple[int, str]]

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_points")
    text = models.TextField(_("action"))
    owners = models.ManyToManyField(
        "partners.Organisation", related_name="action_points", verbose_name=_("owners")
    )
    assignee = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("assignee"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActionPointStatus.choices,
        default=ActionPointStatus.OPEN,
    )
    raised_by_decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_points"
    )
    raised_by_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
    )

    # For forms in templates, which cannot reach the choices class.
    status_choices = ActionPointStatus.choices

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action point")
        indexes = [
            models.Index(fields=["status", "due_date"], name="meetings_ap_status_due"),
            # A meeting's follow-up: the open action points of the tier's earlier
            # meetings, counted and paged from the index alone.
            models.Index(
                fields=["meeting", "status", "classification", "due_date"],
                name="meetings_ap_meeting_status",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        # The meeting that raised an action comes first; a year-only meeting, its year.
        if self.due_date is not None and self.meeting_id is not None:
            first_day = self.meeting.period()[0]
            if self.due_date < first_day:
                raise ValidationError(
                    {
                        "due_date": _(
                            "The due date %(due)s is before the meeting that raised the "
                            "action (%(meeting)s)."
                        )
                        % {"due": self.due_date.isoformat(), "meeting": self.meeting.date_display}
                    }
                )

    @property
    def is_still_open(self) -> bool:
        return self.status in STILL_OPEN

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_still_open and self.due_date is not None and self.due_date < today


class ActionPointUpdate(TrackedModel, SampleModel):
    """Dated progress on an action point, written by an owner's focal point or the
    secretariat."""

    action_point = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status = models.CharField(
        _("status set"), max_length=16, choices=ActionPointStatus.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["action_point", "on", "pk"]
        verbose_name = _("action point update")

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"

"""Meetings: tiers, meetings and their participants, agendas, minutes, decisions, action
points with their progress, documents, and events recorded at a meeting.

A meeting's ordinal within its tier ("3rd Senior Officials Meeting") is never stored:
it follows from the dates (see :meth:`MeetingQuerySet.with_ordinal`), so a
meeting added or re-dated later renumbers the series by itself.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.dates import DatePrecision, format_partial_date, iso_partial_date
from accord.core.models import (
    ClassifiedModel,
    ClassifiedQuerySet,
    SampleModel,
    SourcedModel,
    TrackedModel,
    VersionedModel,
)


def reader_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def ordinal_label(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd``; in French ``1re``, ``2e``."""
    if reader_language() == "fr":
        return f"{number}re" if number == 1 else f"{number}e"
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


class MeetingTier(models.Model):
    """A series of meetings: Senior Officials, Heads of Unit/Division, Expert."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120, blank=True)
    framework = models.ForeignKey(
        "partners.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_tiers",
        verbose_name=_("framework"),
    )
    cadence = models.CharField(_("cadence"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("meeting tier")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language when the record has it."""
        if reader_language() == "fr" and self.name_fr:
            return self.name_fr
        return self.name


class Topic(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


def earlier_in_tier(meeting: Meeting) -> Q:
    """The meetings of ``meeting``'s tier held before it (as a condition on meetings)."""
    condition = Q(date__lt=meeting.date)
    if meeting.starts_at:
        condition |= Q(date=meeting.date, starts_at__lt=meeting.starts_at)
    return Q(tier_id=meeting.tier_id) & condition


@cache
def ordinal_expression(prefix: str = "") -> Any:
    """SQL for a meeting's ordinal in its tier: one more than the meetings held before it.

    ``prefix`` reaches the meeting from another model (``"meeting__"``). Counts rather than
    a window function, so that filtering the outer query never renumbers the series; two
    counts rather than one with OR, so that each walks the (tier, date, starts_at) index.
    """

    def count(**condition: Any) -> Any:
        earlier = (
            Meeting.objects.filter(tier=OuterRef(f"{prefix}tier"), **condition)
            .order_by()
            .values("tier")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(earlier), Value(0))

    before = count(date__lt=OuterRef(f"{prefix}date"))
    same_day = count(date=OuterRef(f"{prefix}date"), starts_at__lt=OuterRef(f"{prefix}starts_at"))
    # Built once per prefix: querysets resolve (copy) an expression when they use it.
    return before + same_day + Value(1)


class MeetingQuerySet(ClassifiedQuerySet):
    def with_ordinal(self) -> MeetingQuerySet:
        """Meetings with their ordinal (``ordinal``) and tier read in the same query, so that
        ``str(meeting)`` and ``meeting.key`` need no query of their own."""
        return self.select_related("tier").annotate(ordinal=ordinal_expression())


def with_meeting_ordinal(queryset: models.QuerySet, lookup: str = "meeting") -> models.QuerySet:
    """Records of meetings (minutes, decisions, action points...) with their meeting read
    with its ordinal in one more query, so that ``str()`` of each needs none."""
    return queryset.prefetch_related(
        models.Prefetch(lookup, queryset=Meeting.objects.with_ordinal())
    )


class Meeting(ClassifiedModel, SourcedModel, SampleModel):
    """A meeting of a tier. ``date`` is always set (its first day when only the month or
    the year is known, with ``date_precision`` saying so); ``starts_at``/``ends_at`` are
    the time-zone-aware slot when it is known."""

    tier = models.ForeignKey(
        MeetingTier, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("tier")
    )
    title = models.CharField(
        pgettext_lazy("meeting", "title"),
        max_length=255,
        blank=True,
        help_text=_("Empty: the ordinal and the tier."),
    )
    date = models.DateField(_("date"), db_index=True)
    date_precision = models.CharField(
        _("date known to the"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    virtual = models.BooleanField(_("held online"), default=False)
    host = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings")
    summary = models.TextField(_("summary"), blank=True)
    # In the reader's language when the record has it (see ``display_name``, ``venue``).
    title_fr = models.CharField(_("title in French"), max_length=255, blank=True)
    city_fr = models.CharField(_("city in French"), max_length=100, blank=True)
    # Empty while the agenda is a draft, which only the secretariat reads.
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["tier", "date", "starts_at", "pk"]
        verbose_name = _("meeting")
        indexes = [
            # Ordinals count the earlier meetings of a tier along this index.
            models.Index(fields=["tier", "date", "starts_at"], name="meetings_tier_date_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="meetings_meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def ordinal_number(self) -> int:
        """The annotated ordinal, or one computed now when the selector did not add it."""
        annotated = getattr(self, "ordinal", None)
        if annotated is not None:
            return int(annotated)
        self.ordinal = Meeting.objects.filter(earlier_in_tier(self)).count() + 1
        return self.ordinal

    @property
    def key(self) -> str:
        """The natural key used in URLs and payloads: ``som-3``."""
        return f"{self.tier.code}-{self.ordinal_number}"

    @property
    def display_name(self) -> str:
        french = reader_language() == "fr"
        if french and self.title_fr:
            return self.title_fr
        if self.title:
            return self.title
        return f"{ordinal_label(self.ordinal_number)} {self.tier.display_name}"

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str | None:
        return iso_partial_date(self.date, self.date_precision)

    @property
    def venue(self) -> str:
        if self.virtual:
            return str(_("Online"))
        if reader_language() == "fr" and self.city_fr:
            return self.city_fr
        return self.city

    @property
    def agenda_is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def slot_minutes(self) -> int | None:
        if self.starts_at and self.ends_at:
            return int((self.ends_at - self.starts_at).total_seconds() // 60)
        return None

    @property
    def named_on(self) -> dt.date:
        """The date partners are named by for this meeting (one rule, pages and API): the
        meeting's date, or the last day it may have been held when only its month or year
        is known (the 2021 meeting, after DG DEVCO became DG INTPA that January)."""
        return self.period()[1]

    def period(self) -> tuple[dt.date, dt.date]:
        """The first and last day the meeting may have been held, given what is known."""
        if self.date_precision == DatePrecision.YEAR:
            return dt.date(self.date.year, 1, 1), dt.date(self.date.year, 12, 31)
        if self.date_precision == DatePrecision.MONTH:
            first = self.date.replace(day=1)
            following = (first + dt.timedelta(days=32)).replace(day=1)
            return first, following - dt.timedelta(days=1)
        return self.date, self.date


class ParticipantRole(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-chair")
    OPENING_SPEAKER = "opening_speaker", _("Opening speaker")
    DELEGATE = "delegate", _("Delegate")


class Participant(TrackedModel, SourcedModel, SampleModel):
    """Someone (or a partner's delegation, when the people are not known) at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    role = models.CharField(
        _("role at the meeting"),
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.DELEGATE,
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    override_reason = models.TextField(
        _("why a non-member takes part"),
        blank=True,
        help_text=_(
            "Recorded when the secretariat adds someone whose organisation was not a member "
            "of the framework on the meeting date."
        ),
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "role", "pk"]
        verbose_name = _("participant")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="meetings_participant_person_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person", "role"],
                condition=Q(person__isnull=False),
                name="meetings_participant_person_once_per_role",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation", "role"],
                condition=Q(person__isnull=True),
                name="meetings_participant_delegation_once_per_role",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person_id else ""  # type: ignore[union-attr]
        org = self.organisation.acronym if self.organisation_id else ""  # type: ignore[union-attr]
        return f"{who} ({org})" if who and org else who or org


class AgendaItem(TrackedModel, SampleModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_items",
        verbose_name=_("part of"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    planned_minutes = models.PositiveIntegerField(_("planned minutes"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="agenda_items")
    standing = models.BooleanField(
        _("standing item"),
        default=False,
        help_text=_("On every meeting of the tier: copied when the next meeting is prepared."),
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")

    def __str__(self) -> str:
        return self.title


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


class MeetingEvent(SourcedModel):
    """Something recorded as happening at a meeting, e.g. a partner joining the framework."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    text = models.CharField(_("event"), max_length=255)
    membership = models.ForeignKey(
        "partners.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_events",
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("meeting event")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "text"], name="meetings_event_unique")
        ]

    def __str__(self) -> str:
        return self.text


# --- the review of minutes and the links of decisions: see minutes_models.py -----------
# --- between meetings: procedures, calls for contributions, private calendars ------------
from accord.meetings.calendar_models import CalendarFeed  # noqa: E402, F401
from accord.meetings.call_models import (  # noqa: E402, F401
    CallAsks,
    CallState,
    Contribution,
    ContributionCall,
)
from accord.meetings.minutes_models import (  # noqa: E402, F401
    CommentKind,
    CommentStatus,
    DecisionCommitment,
    DecisionInitiative,
    MinutesComment,
    ProposedAction,
    ProposedActionStatus,
)

# --- invitations (models of their own module) ---------------------------------------------
from accord.meetings.participation import Invitation, InvitationAnswer  # noqa: E402, F401
from accord.meetings.procedure_models import (  # noqa: E402, F401
    Procedure,
    ProcedureAnswer,
    ProcedureAnswerKind,
    ProcedureKind,
    ProcedureOutcome,
    ProcedureState,
)

# --- what topics are about (a model of its own module) --------------------------------------
from accord.meetings.topic_models import TopicCommitment  # noqa: E402, F401

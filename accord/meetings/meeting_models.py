"""Meetings themselves: tiers, topics, meetings with their ordinal in the tier, their
participants, agenda items, and events recorded at a meeting.

Imported by ``accord.meetings.models``, so Django sees these models as that app's.
A meeting's ordinal within its tier ("3rd Senior Officials Meeting") is never stored:
it follows from the dates (see :meth:`MeetingQuerySet.with_ordinal`), so a
meeting added or re-dated later renumbers the series by itself.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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


class MeetingOrdinal(models.Func):
    """SQL for a meeting's ordinal in its tier: one more than the meetings held before it.

    ``prefix`` reaches the meeting from another model (``"meeting__"``). Counts rather than
    a window function, so that filtering the outer query never renumbers the series; two
    counts rather than one with OR, so that each walks the (tier, date, starts_at) index.
    Written as SQL around the meeting's three columns: the same two counts built as
    querysets (an aggregate subquery each) cost the ORM three times the rest of a query
    of fifty action points' rows to resolve and compile, at every read of a meeting key.
    """

    output_field = models.IntegerField()

    def __init__(self, prefix: str = "") -> None:
        super().__init__(F(f"{prefix}tier"), F(f"{prefix}date"), F(f"{prefix}starts_at"))

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        compiled = [compiler.compile(part) for part in self.get_source_expressions()]
        (tier, tier_params), (date, date_params), (starts, starts_params) = compiled
        quote = connection.ops.quote_name
        columns = {field.name: quote(field.column) for field in Meeting._meta.concrete_fields}
        table, earlier = quote(Meeting._meta.db_table), quote("earlier_meeting")
        same_tier = f"{earlier}.{columns['tier']} = {tier}"
        sql = (
            # Names from the model; the values are the outer query's own columns.
            f"((SELECT COUNT(*) FROM {table} {earlier} WHERE {same_tier}"  # noqa: S608
            f" AND {earlier}.{columns['date']} < {date})"
            f" + (SELECT COUNT(*) FROM {table} {earlier} WHERE {same_tier}"
            f" AND {earlier}.{columns['date']} = {date}"
            f" AND {earlier}.{columns['starts_at']} < {starts}) + 1)"
        )
        params = [*tier_params, *date_params, *tier_params, *date_params, *starts_params]
        return sql, params


@cache
def ordinal_expression(prefix: str = "") -> Any:
    """A meeting's ordinal in its tier, as an expression (:class:`MeetingOrdinal`)."""
    # Built once per prefix: querysets resolve (copy) an expression when they use it.
    return MeetingOrdinal(prefix)


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

"""Partners: organisations and their names over time, units, people, frameworks, memberships."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.dates import DatePrecision
from accord.core.models import ClassifiedModel, SourcedModel, VersionedModel


class OrganisationKind(models.TextChoices):
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    OFFICE = "office", _("Office")
    EU_INSTITUTION = "eu_institution", _("EU institution")
    EU_SERVICE = "eu_service", _("EU service")
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    PUBLISHER = "publisher", _("Publisher of imported data")
    OTHER = "other", _("Other")


class Organisation(VersionedModel, SourcedModel):
    """A partner. ``acronym`` and ``name`` are the current ones; older ones are in ``names``."""

    acronym = models.CharField(_("acronym"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("As its own IATI files give it, e.g. XM-DAC-47066."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    website = models.URLField(_("website"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    opened_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.acronym

    @property
    def slug(self) -> str:
        return self.acronym.lower().replace(" ", "-")

    def acronym_on(self, on: dt.date) -> str:
        """The one naming rule: a partner is named as it was on the date of the record
        (a meeting's date), on pages and in the API alike."""
        then = self.name_on(on)
        return then.acronym if then else self.acronym

    def full_name_on(self, on: dt.date) -> str:
        then = self.name_on(on)
        return then.name if then else self.name

    def name_on(self, on: dt.date) -> OrganisationName | None:
        """The name this organisation bore on ``on`` (uses prefetched ``names`` if any)."""
        current = None
        for entry in sorted(self.names.all(), key=lambda n: n.valid_from or dt.date.min):
            if entry.valid_from is None or entry.valid_from <= on:
                current = entry
        return current


class OrganisationName(SourcedModel):
    """A name an organisation bore from a date on (``valid_from`` empty: from its start)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="names")
    acronym = models.CharField(_("acronym"), max_length=32, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", F("valid_from").asc(nulls_first=True)]
        verbose_name = _("organisation name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="partners_name_one_per_date"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(valid_from__isnull=True),
                name="partners_name_one_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.acronym} ({self.valid_from or 'original'})"


class Unit(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("unit")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="partners_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.acronym or self.name}"


class Person(ClassifiedModel):
    full_name = models.CharField(_("full name"), max_length=200, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class PersonRole(SourcedModel):
    """A position a person held. ``as_of`` is the date a source vouches for it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people_roles"
    )
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(pgettext_lazy("person", "title"), max_length=200)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    as_of_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["person", "as_of"]
        verbose_name = _("person's role")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "title"], name="partners_person_role_unique"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="partners_person_role_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.title}, {self.organisation}"


class Framework(VersionedModel, SourcedModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    purpose_topics = models.JSONField(_("purpose"), default=list, blank=True)
    builds_on = models.TextField(_("builds on"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("framework")

    def __str__(self) -> str:
        return self.name


class MembershipInstrument(models.TextChoices):
    FOUNDING = "founding", _("Founding act")
    EXCHANGE_OF_LETTERS = "exchange_of_letters", _("Exchange of letters")
    OTHER = "other", _("Other instrument")


class Membership(VersionedModel, SourcedModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField(_("joined on"))
    joined_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    instrument = models.CharField(
        _("instrument"), max_length=32, choices=MembershipInstrument.choices
    )
    letter = models.FileField(
        _("letter"),
        upload_to="memberships/%Y/",
        blank=True,
        help_text=_("The letter or act by which the partner joined, if there is one."),
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["framework", "joined_on", "organisation__acronym"]
        verbose_name = _("membership")
        indexes = [models.Index(fields=["framework", "joined_on", "left_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")),
                name="partners_membership_leaves_after_joining",
            ),
            models.UniqueConstraint(
                fields=["framework", "organisation", "joined_on"],
                name="partners_membership_unique_spell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.framework} from {self.joined_on}"

"""Evidence: indicators, places, observations, the datasets they came from, and links
from commitments to the indicators that show their effect.

The observation table is the one that grows (10 million rows at the benchmark's scale),
so it is kept lean: no history, no timestamps, two composite indexes (the unique key's and
one more) that serve the two questions asked of it: one indicator's series for one place,
and all places for one period.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accord.core.models import (
    Classification,
    ClassifiedModel,
    ImportRun,
    SampleModel,
    TrackedModel,
)

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
    _("Use letters, digits, '_', '.' and '-' only."),
)


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    NONE = "", _("No desired direction")


class Indicator(ClassifiedModel):
    """What is measured, in which unit, by whom; observations hold the figures."""

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    source_organisation = models.CharField(_("source organisation"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("source partner"),
        help_text=_("The partner that publishes the figures, when it is one."),
    )
    sdg_code = models.CharField(
        _("SDG indicator"), max_length=16, blank=True, help_text=_("For example 10.7.3.")
    )
    hxl_tag = models.CharField(_("HXL hashtag"), max_length=100, blank=True)
    direction = models.CharField(
        _("desired direction"), max_length=4, choices=Direction.choices, blank=True, default=""
    )
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    metadata = models.JSONField(
        _("metadata"), default=dict, blank=True, help_text=_("Further metadata fields by name.")
    )
    # Figures on migration are published for all to read unless said otherwise.
    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.PUBLIC,
        db_index=True,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_year__isnull=False),
                name="evidence_indicator_target_has_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def has_target(self) -> bool:
        return self.target_value is not None and self.target_year is not None


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Country or area")
    REGION = "region", _("Region (UN M49)")
    ROUTE = "route", _("Migration route")
    GROUP = "group", _("Group of countries")
    SUBDIVISION = "subdivision", _("Subdivision of a country (ISO 3166-2)")


class Place(models.Model):
    """A UN M49 country or region (code ``250``, ``001``) or a named place (``EU27_2020``)."""

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    iso2 = models.CharField(_("ISO alpha-2"), max_length=2, blank=True, db_index=True)
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, blank=True, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("place")

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(SampleModel):
    """The value an indicator should reach in one place by a year.

    Progress in a place is measured against that place's own target; the indicator's
    ``target_value`` only applies to places that have none.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("target value"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "place__name", "year"]
        verbose_name = _("target")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "place", "year"], name="evidence_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.place.code} {self.year}: {self.value}"


class PeriodPrecision(models.TextChoices):
    YEAR = "year", _("year")
    QUARTER = "quarter", _("quarter")
    MONTH = "month", _("month")
    DAY = "day", _("day")
    RANGE = "range", _("date range")


class ObservationStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


class DatasetKind(models.TextChoices):
    TIDY_CSV = "tidy_csv", _("Tidy CSV")
    HXL_CSV = "hxl_csv", _("HXL-tagged CSV")
    TIDY_XLSX = "tidy_xlsx", _("Tidy XLSX")
    HXL_XLSX = "hxl_xlsx", _("HXL-tagged XLSX")
    REFERENCE = "reference", _("Reference record")
    SDMX_ML = "sdmx_ml", _("SDMX-ML data message")
    SDMX_CSV = "sdmx_csv", _("SDMX-CSV")


class Dataset(TrackedModel):
    """One source of observations, imported once or again; each import is a version.

    Re-importing a dataset replaces its own rows; the rows of the version it replaces are
    kept in :class:`ArchivedObservation` so that version can be restored.
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    source = models.TextField(_("source"), blank=True)
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DatasetKind.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    version = models.PositiveIntegerField(_("current version"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dataset")

    def __str__(self) -> str:
        return self.name


class DatasetVersion(models.Model):
    """One import of a dataset: what file, by whom, when, how many rows."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=DatasetKind.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    source = models.TextField(_("source"), blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"))
    is_current = models.BooleanField(_("current"), default=False)
    message = models.TextField(
        _("message"),
        blank=True,
        help_text=_("What the import said of the file, such as no data yet."),
    )
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The import's run, which keeps its warnings."),
    )

    class Meta:
        ordering = ["dataset", "-number"]
        verbose_name = _("dataset version")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="evidence_version_unique"),
            models.UniqueConstraint(
                fields=["dataset"],
                condition=Q(is_current=True),
                name="evidence_version_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"


class ObservationFields(models.Model):
    """The columns an observation has, live or archived."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, db_index=False)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, db_index=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_precision = models.CharField(
        _("period precision"), max_length=8, choices=PeriodPrecision.choices
    )
    disaggregation_key = models.CharField(
        _("disaggregation"),
        max_length=255,
        blank=True,
        default="",
        help_text=_("Canonical 'name=value;name=value', names sorted; empty for the total."),
    )
    disaggregation = models.JSONField(_("dimensions"), default=dict, blank=True)
    value = models.FloatField(_("value"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ObservationStatus.choices,
        default=ObservationStatus.FINAL,
    )
    source = models.TextField(_("source"), blank=True)
    source_url = models.CharField(_("source URL"), max_length=500, blank=True)
    note = models.TextField(_("footnote"), blank=True)
    # Open SDG's ``Series`` and ``Units`` (SDMX ``SERIES`` and ``UNIT_MEASURE``): series of
    # the indicator, part of the key, not breakdowns.
    series = models.CharField(_("series"), max_length=100, blank=True, default="", db_default="")
    units = models.CharField(_("units"), max_length=100, blank=True, default="", db_default="")
    obs_status = models.CharField(
        _("observation status"),
        max_length=8,
        blank=True,
        default="",
        db_default="",
        help_text=_("The SDMX OBS_STATUS code (A normal, E estimated, P provisional, ...)."),
    )
    unit_multiplier = models.SmallIntegerField(
        _("unit multiplier"),
        null=True,
        blank=True,
        help_text=_("The power of ten the value is expressed in (SDMX UNIT_MULT: 3 thousands)."),
    )

    class Meta:
        abstract = True

    @property
    def obs_status_label(self) -> str:
        from accord.evidence.sdmx_codes import OBS_STATUS

        return OBS_STATUS.get(self.obs_status, self.obs_status)


class Observation(ObservationFields):
    """indicator x place x period x disaggregation -> value."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, null=True, blank=True, related_name="observations"
    )

    class Meta:
        verbose_name = _("observation")
        ordering = ["indicator", "place", "period_start", "disaggregation_key"]
        # The unique key's index, led by (indicator, place, period_start), serves one
        # indicator's series for a place; the first here serves all places for one period;
        # the second gives an indicator's series, units and breakdowns from the index
        # alone (the page asks for them at every view: 100,000 rows read otherwise).
        indexes = [
            models.Index(fields=["indicator", "period_start", "place"], name="evidence_obs_period"),
            models.Index(
                fields=["indicator", "series", "units", "disaggregation_key"],
                name="evidence_obs_dimensions",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "place",
                    "period_start",
                    "period_end",
                    "series",
                    "units",
                    "disaggregation_key",
                ],
                name="evidence_obs_unique_series_key",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="evidence_obs_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.place_id} {self.period_start}: {self.value}"

    @property
    def period_label(self) -> str:
        return format_period(self.period_start, self.period_end, self.period_precision)

    @property
    def shown_source(self) -> str:
        """The row's own source, else its dataset's."""
        if self.source:
            return self.source
        if hasattr(self, "dataset_source"):  # annotated by the selectors
            return self.dataset_source or ""
        return self.dataset.source if self.dataset_id and self.dataset else ""


class ArchivedObservation(ObservationFields):
    """A row of a dataset version that a later import replaced; restorable."""

    version = models.ForeignKey(
        DatasetVersion, on_delete=models.CASCADE, related_name="archived_observations"
    )

    class Meta:
        verbose_name = _("archived observation")

    def __str__(self) -> str:
        return f"v{self.version_id}: {self.indicator_id} {self.place_id} {self.period_start}"


class CommitmentIndicator(TrackedModel):
    """A commitment (by its stable code, such as ``SDG-10.7.3`` or ``JVAP-5``) and an
    indicator that shows its effect. The code keeps this app free of the commitments
    app's tables; the commitment page asks :func:`indicators_for_commitment`."""

    commitment_code = models.CharField(_("commitment"), max_length=64, db_index=True)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="commitment_links"
    )
    note = models.TextField(_("why this indicator"), blank=True)

    class Meta:
        ordering = ["commitment_code", "indicator__code"]
        verbose_name = _("commitment indicator")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment_code", "indicator"], name="evidence_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment_code} -> {self.indicator_id}"


def format_period(start: dt.date, end: dt.date, precision: str) -> str:
    """``2015``, ``2015-Q2``, ``2015-03``, ``2015-03-14`` or ``2015-01-01/2015-06-30``."""
    if precision == PeriodPrecision.YEAR:
        return f"{start.year:04d}"
    if precision == PeriodPrecision.QUARTER:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if precision == PeriodPrecision.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if precision == PeriodPrecision.DAY:
        return start.isoformat()
    return f"{start.isoformat()}/{end.isoformat()}"

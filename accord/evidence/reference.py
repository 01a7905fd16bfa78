"""Loads the reference figures (``migration_headlines.csv``) as indicators, places and
observations, each observation with its source, and links indicators to commitments.

Idempotent: indicators and places are matched on their codes, and the observations form
one dataset whose rows are replaced only when the file's checksum changes.

Links to commitments (by the commitments' stable codes):
- an indicator with an SDG indicator code ``X`` is linked to commitment ``SDG-X``
  (deaths and disappearances of migrants -> SDG indicator 10.7.3 -> ``SDG-10.7.3``);
- :data:`COMMITMENT_LINKS` lists the further links Accord ships, each with its reason.
"""

from __future__ import annotations

import csv
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accord.evidence.datasets import archive_current_rows
from accord.evidence.importing import disaggregation_key, parse_disaggregation
from accord.evidence.importing.reading import file_checksum
from accord.evidence.models import (
    CommitmentIndicator,
    Dataset,
    DatasetKind,
    DatasetVersion,
    Direction,
    Indicator,
    Observation,
    ObservationStatus,
    Place,
    PlaceKind,
)
from accord.evidence.periods import parse_period
from accord.evidence.places import PlaceResolver
from accord.reference import HEADLINES_FILE

DATASET_NAME = "Reference: migration headline figures"

# What the reference CSV does not say: SDG codes, desired directions, definitions.
INDICATOR_FACTS: dict[str, dict[str, Any]] = {
    "MMP_DEAD_MISSING": {
        "sdg_code": "10.7.3",
        "direction": Direction.DOWN,
        "hxl_tag": "#affected+dead+missing",
        "definition": (
            "Number of people who died or disappeared in the process of migration towards "
            "an international destination (IOM Missing Migrants Project; SDG 10.7.3)."
        ),
    },
    "FRONTEX_IBC": {
        "hxl_tag": "#affected+crossings",
        "definition": "Detections of irregular border crossings; detections, not persons.",
    },
    "UNHCR_FORCIBLY_DISPLACED": {"hxl_tag": "#affected+displaced"},
    "UNHCR_REFUGEES_MANDATE": {"hxl_tag": "#affected+refugees"},
    "UNHCR_IDPS_CONFLICT": {"hxl_tag": "#affected+idps"},
    "IDMC_NEW_DISPLACEMENTS": {"hxl_tag": "#affected+displaced+new"},
    "DESA_MIGRANT_STOCK": {"hxl_tag": "#population+migrants"},
}

# commitment code -> (indicator code, why the indicator shows the commitment's effect)
COMMITMENT_LINKS: list[tuple[str, str, str]] = [
    ("JVAP-4", "FRONTEX_IBC", "Irregular crossings are what JVAP domain 4 sets out to prevent."),
    ("EU-TR-JAP-2", "FRONTEX_IBC", "Crossings on the Eastern Mediterranean route."),
    ("JVAP-3", "EUROSTAT_FIRST_TIME_ASYLUM_APPLICANTS", "Demand for protection and asylum."),
    ("JVAP-5", "IOM_ASSISTED_RETURNS", "Assisted voluntary returns worldwide."),
    ("JVAP-5", "EUIOM_JI_RETURNS_CUM", "Returns under the EU-IOM Joint Initiative."),
    ("JVAP-5", "EUIOM_JI_REINTEG_CUM", "Reintegration under the EU-IOM Joint Initiative."),
    ("JVAP-1", "WB_REMITTANCES", "Remittances: the development benefit of migration."),
]


def _named_kind(code: str) -> str:
    if code.endswith("_ROUTE") or code == "MEDITERRANEAN":
        return PlaceKind.ROUTE
    return PlaceKind.GROUP


def load(data: dict[str, Any] | None = None) -> dict[str, int]:
    """Load the headline figures; ``data`` (the framework facts) is not needed here."""
    with HEADLINES_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = {"indicators": 0, "places": 0, "observations": 0, "links": 0}
    with transaction.atomic():
        indicators = _indicators(rows)
        counts["indicators"] = len(indicators)
        places = _places(rows)
        counts["places"] = len(places)
        counts["observations"] = _observations(rows, indicators, places)
        counts["links"] = _links(indicators)
    return counts


def _indicators(rows: list[dict[str, str]]) -> dict[str, Indicator]:
    specs: dict[str, dict[str, Any]] = {}
    for row in rows:
        # Where the name of a series varies between rows, the last row's name is kept.
        spec = specs.setdefault(row["indicator_code"], {"source_organisation": row["source_org"]})
        spec.update(name=row["indicator_name"], unit=row["unit"])
    indicators = {}
    for code, spec in specs.items():
        indicator, _ = Indicator.objects.update_or_create(
            code=code, defaults={**spec, **INDICATOR_FACTS.get(code, {})}
        )
        indicators[code] = indicator
    return indicators


def _places(rows: list[dict[str, str]]) -> dict[str, Place]:
    resolver = PlaceResolver.from_database()
    places: dict[str, Place] = {}
    for row in rows:
        code = row["place"].strip()
        if code in places:
            continue
        standard = resolver.resolve(code) if code.isdigit() else None
        if standard is not None:
            resolver.save_new()
            places[code] = standard
            continue
        place, _ = Place.objects.update_or_create(
            code=code, defaults={"name": row["place_name"], "kind": _named_kind(code)}
        )
        places[code] = place
    return places


def _observations(
    rows: list[dict[str, str]], indicators: dict[str, Indicator], places: dict[str, Place]
) -> int:
    checksum = file_checksum(HEADLINES_FILE)
    dataset, _ = Dataset.objects.get_or_create(
        name=DATASET_NAME,
        defaults={
            "kind": DatasetKind.REFERENCE,
            "source": "Accord reference record: migration_headlines.csv (sources per value)",
            "licence": "Facts with their public sources",
        },
    )
    if dataset.checksum == checksum and dataset.observations.exists():
        return dataset.rows
    observations: dict[tuple[Any, ...], Observation] = {}
    for row in rows:
        start, end, precision = parse_period(row["period"])
        dimensions = parse_disaggregation(row["disaggregation"])
        observation = Observation(
            indicator=indicators[row["indicator_code"]],
            place=places[row["place"].strip()],
            period_start=start,
            period_end=end,
            period_precision=precision,
            disaggregation_key=disaggregation_key(dimensions),
            disaggregation=dimensions,
            value=float(row["value"]),
            status=ObservationStatus.FINAL,
            source=row["source_org"],
            source_url=row["source_url"],
            note=row["note"],
            dataset=dataset,
        )
        key = (
            observation.indicator_id,
            observation.place_id,
            start,
            end,
            observation.disaggregation_key,
        )
        # A figure given twice for the same period (a cumulative count "as of" two dates
        # in one year) keeps the later row, as the record keeps the latest figure.
        observations[key] = observation
    current = dataset.versions.filter(is_current=True).first()
    if current is not None:
        archive_current_rows(dataset, current)  # the previous figures stay restorable
        current.is_current = False
        current.save(update_fields=["is_current"])
    Observation.objects.bulk_create(observations.values(), batch_size=1000)
    number = (dataset.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    DatasetVersion.objects.create(
        dataset=dataset,
        number=number,
        kind=DatasetKind.REFERENCE,
        file_name=HEADLINES_FILE.name,
        checksum=checksum,
        source=dataset.source,
        rows=len(observations),
        imported_at=timezone.now(),
        is_current=True,
    )
    dataset.checksum = checksum
    dataset.file_name = HEADLINES_FILE.name
    dataset.rows = len(observations)
    dataset.version = number
    dataset.save()
    return len(observations)


def _links(indicators: dict[str, Indicator]) -> int:
    wanted = [
        (f"SDG-{indicator.sdg_code}", indicator, f"SDG indicator {indicator.sdg_code}")
        for indicator in indicators.values()
        if indicator.sdg_code
    ]
    wanted += [
        (commitment, indicators[code], why)
        for commitment, code, why in COMMITMENT_LINKS
        if code in indicators
    ]
    for commitment, indicator, why in wanted:
        CommitmentIndicator.objects.update_or_create(
            commitment_code=commitment, indicator=indicator, defaults={"note": why}
        )
    return len(wanted)

"""Synthetic observations at a named scale, written through the database's bulk path
(PostgreSQL ``COPY``, SQLite ``executemany``), and tidy CSV files to import.

``small``: 10 indicators x 50 places x 20 years x 10 breakdowns = 100,000 observations
(seconds). ``large``: 100 indicators x 250 places x 40 years x 10 breakdowns = 10 million
(minutes: about 1-2 on PostgreSQL with COPY, several on SQLite).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from django.db import DatabaseError, connection, transaction

from accord.evidence.datasets import OBSERVATION_COLUMNS
from accord.evidence.figures_state import figures_changed
from accord.evidence.importing import disaggregation_key
from accord.evidence.models import Dataset, DatasetKind, Indicator, Observation, Place, PlaceKind

SIZES = {
    "test": {"indicators": 2, "places": 5, "years": 3},
    "small": {"indicators": 10, "places": 50, "years": 20},
    "large": {"indicators": 100, "places": 250, "years": 40},
}
LAST_YEAR = 2024
SEXES = ["female", "male"]
AGES = ["0-17", "18-34", "35-64", "65+"]
# The total, two by sex, four by age, three by sex and age: ten breakdowns per figure.
BREAKDOWNS = [
    {},
    *({"sex": sex} for sex in SEXES),
    *({"age": age} for age in AGES),
    *({"sex": "female", "age": age} for age in AGES[:3]),
]


@dataclass
class Observations:
    scale: str
    indicators: list[Indicator]
    places: list[Place]
    years: list[int]
    rows: int


def _places(count: int) -> list[Place]:
    countries = sorted(pycountry.countries, key=lambda c: c.numeric)[:count]
    existing = set(Place.objects.values_list("code", flat=True))
    Place.objects.bulk_create(
        Place(
            code=c.numeric,
            name=c.name,
            kind=PlaceKind.COUNTRY,
            iso2=c.alpha_2,
            iso3=c.alpha_3,
        )
        for c in countries
        if c.numeric not in existing
    )
    return list(Place.objects.filter(code__in=[c.numeric for c in countries]).order_by("code"))


def observations(scale: str, *, seed: int = 2016) -> Observations:
    """The scale's observations, generated once per benchmark database."""
    size = SIZES[scale]
    years = list(range(LAST_YEAR - size["years"] + 1, LAST_YEAR + 1))
    places = _places(size["places"])
    codes = [f"BENCH_{scale.upper()}_{n:03d}" for n in range(size["indicators"])]
    Indicator.objects.bulk_create(
        [
            Indicator(code=code, name=f"Benchmark indicator {code}", unit="persons")
            for code in codes
        ],
        ignore_conflicts=True,
    )
    indicators = list(Indicator.objects.filter(code__in=codes).order_by("code"))
    dataset, _ = Dataset.objects.get_or_create(
        name=f"bench-{scale}", defaults={"kind": DatasetKind.TIDY_CSV}
    )
    expected = len(indicators) * len(places) * len(years) * len(BREAKDOWNS)
    if not Observation.objects.filter(dataset=dataset).exists():
        rng = random.Random(seed)
        _bulk_write(_rows(indicators, places, years, dataset.pk, rng))
        # COPY under session_replication_role = replica fires no trigger: the version of
        # the figures is raised here (accord.evidence.figures_state).
        figures_changed(indicator.pk for indicator in indicators)
        dataset.rows = expected
        dataset.save(update_fields=["rows"])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Observations(scale, indicators, places, years, expected)


def _rows(
    indicators: list[Indicator],
    places: list[Place],
    years: list[int],
    dataset_id: int,
    rng: random.Random,
) -> Iterator[tuple[Any, ...]]:
    import json

    breakdowns = [(disaggregation_key(b), json.dumps(b, sort_keys=True)) for b in BREAKDOWNS]
    periods = [(f"{y}-01-01", f"{y}-12-31") for y in years]
    for indicator in indicators:
        for place in places:
            level = rng.uniform(100, 100_000)
            for start, end in periods:
                level *= rng.uniform(0.9, 1.12)
                for key, dimensions in breakdowns:
                    yield (
                        indicator.pk,
                        place.pk,
                        start,
                        end,
                        "year",
                        key,
                        dimensions,
                        round(level, 1),
                        "final",
                        "",
                        "",
                        "",
                        dataset_id,
                    )


def _bulk_write(rows: Iterator[tuple[Any, ...]], batch: int = 50_000) -> None:
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*OBSERVATION_COLUMNS, "dataset_id"])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _skip_foreign_key_triggers(cursor)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * (len(OBSERVATION_COLUMNS) + 1))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def _skip_foreign_key_triggers(cursor: Any) -> None:
    """Generated rows refer only to rows just made; checking ten million deferred foreign
    keys at commit would take longer than writing them. Needs a superuser: otherwise the
    checks simply run."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def tidy_csv(path: Path, rows: int, *, seed: int = 2015) -> Path:
    """A tidy CSV (period, GeoCode, Sex, Age, Value) of ``rows`` distinct figures: yearly
    periods while they suffice, else daily ones (a 1 GB file has some 30 million rows)."""
    if path.exists():
        return path
    rng = random.Random(seed)
    countries = [c.alpha_3 for c in sorted(pycountry.countries, key=lambda c: c.alpha_3)]
    breakdowns = [(b.get("sex", ""), b.get("age", "")) for b in BREAKDOWNS]
    per_period = len(countries) * len(breakdowns)
    needed = max(1, -(-rows // per_period))
    if needed <= LAST_YEAR - 1900:
        periods = [str(year) for year in range(LAST_YEAR - needed + 1, LAST_YEAR + 1)]
    else:
        first = dt.date(LAST_YEAR, 12, 31) - dt.timedelta(days=needed - 1)
        periods = [(first + dt.timedelta(days=n)).isoformat() for n in range(needed)]
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Year", "GeoCode", "Sex", "Age", "Value"])
        for period in periods:
            for country in countries:
                for sex, age in breakdowns:
                    if written >= rows:
                        return path
                    writer.writerow([period, country, sex, age, round(rng.uniform(0, 1e6), 1)])
                    written += 1
    return path


def tidy_csv_of_size(path: Path, megabytes: int) -> Path:
    """A tidy CSV of about ``megabytes`` MB (daily rows are some 29 bytes each)."""
    return tidy_csv(path, megabytes * 1_000_000 // 29)

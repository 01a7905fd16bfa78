"""Coverage by country: which commitments the initiatives serve in which countries, the
gaps, and one country's page (its initiatives, the commitments they serve, the
indicators measured there). Counts only initiatives the reader may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, QuerySet

from accord.access.permissions import Actor
from accord.commitments.models import (
    Commitment,
    Initiative,
    InitiativeCommitment,
    InitiativePlace,
    Instrument,
    PlaceKind,
)
from accord.commitments.places import country_alpha3, country_m49, place_name
from accord.commitments.selectors import commitment_tree
from accord.core.errors import NotFound


@dataclass
class CountryColumn:
    code: str  # M49

    @property
    def name(self) -> str:
        return place_name(self.code)

    @property
    def alpha3(self) -> str:
        return country_alpha3(self.code)


@dataclass
class MatrixRow:
    commitment: Commitment
    cells: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.cells)

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if not cell)


@dataclass
class CountryMatrix:
    instrument: Instrument
    countries: list[CountryColumn]
    rows: list[MatrixRow]


def country_matrix(instrument: Instrument, *, user: Actor) -> CountryMatrix:
    """Commitment x country: the initiatives serving each commitment (its parts rolled
    up) in each country where the instrument has any; a zero is a gap."""
    visible = Initiative.objects.visible_to(user).order_by().values("pk")
    links = (
        InitiativeCommitment.objects.filter(
            commitment__instrument=instrument, initiative_id__in=visible
        )
        .values_list("commitment__path", "initiative_id")
        .order_by()
    )
    by_initiative: dict[int, set[str]] = defaultdict(set)
    for path, initiative_id in links:
        by_initiative[initiative_id].add(path)
    places = (
        InitiativePlace.objects.filter(
            initiative_id__in=list(by_initiative), kind=PlaceKind.COUNTRY
        )
        .values_list("initiative_id", "code")
        .order_by()
    )
    counts: dict[tuple[str, str], set[int]] = defaultdict(set)
    codes: set[str] = set()
    for initiative_id, code in places:
        codes.add(code)
        for path in by_initiative[initiative_id]:
            counts[(path, code)].add(initiative_id)
    columns = sorted((CountryColumn(code) for code in codes), key=lambda c: c.name)
    rows = []
    for root in commitment_tree(instrument):
        for node in root.walk():
            prefix = node.commitment.path
            cells = []
            for column in columns:
                served: set[int] = set()
                for (path, code), ids in counts.items():
                    if code == column.code and path.startswith(prefix):
                        served |= ids
                cells.append(len(served))
            rows.append(MatrixRow(node.commitment, cells))
    return CountryMatrix(instrument=instrument, countries=columns, rows=rows)


@dataclass
class CountryPage:
    code: str  # M49
    name: str
    alpha3: str
    initiatives: list[Initiative]
    commitments: list[tuple[Commitment, int]]
    indicators: list[Any]


def country_page(key: str, *, user: Actor) -> CountryPage:
    """One country by ISO alpha-3, alpha-2 or M49 code."""
    try:
        code = country_m49(key)
    except ValueError as error:
        raise NotFound(f"No country has the code {key!r}.") from error
    initiatives = list(
        Initiative.objects.visible_to(user)
        .filter(places__code=code)
        .select_related("partner")
        .prefetch_related("commitments")
        .order_by("-start_on", "-pk")
        .distinct()
    )
    served = (
        Commitment.objects.filter(initiatives__in=[i.pk for i in initiatives])
        .annotate(n=Count("initiatives", distinct=True))
        .select_related("instrument")
        .order_by("instrument__code", "path")
    )
    return CountryPage(
        code=code,
        name=place_name(code),
        alpha3=country_alpha3(code),
        initiatives=initiatives,
        commitments=[(c, c.n) for c in served],
        indicators=list(_indicators_for(code, user)),
    )


def _indicators_for(code: str, user: Actor) -> QuerySet | list:
    """The indicators with figures for the country (by its M49 or ISO codes)."""
    if not apps.is_installed("accord.evidence"):
        return []
    indicator = apps.get_model("evidence", "Indicator")
    place = apps.get_model("evidence", "Place")
    observation = apps.get_model("evidence", "Observation")
    alpha3 = country_alpha3(code)
    places = place.objects.filter(code__in=[code, alpha3]) | place.objects.filter(iso3=alpha3)
    measured = observation.objects.filter(place__in=places).order_by().values("indicator_id")
    return indicator.objects.visible_to(user).filter(pk__in=measured).order_by("code")

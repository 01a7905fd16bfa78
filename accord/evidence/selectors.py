"""Reads about indicators, observations, datasets and the commitments they evidence."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from accord.access.selectors import access_for
from accord.core.errors import Invalid
from accord.core.importing.runs import record_warnings_of
from accord.core.models import RecordWarning
from accord.core.selectors import get_visible
from accord.evidence.models import (
    CommitmentIndicator,
    Dataset,
    DatasetVersion,
    Indicator,
    Observation,
    Place,
    format_period,
)
from accord.evidence.periods import parse_period
from accord.evidence.places import place_find

if TYPE_CHECKING:
    from accord.access.permissions import Actor

# Query parameters of an observation filter that are not dimensions.
RESERVED_PARAMETERS = {
    "place",
    "from",
    "to",
    "limit",
    "offset",
    "format",
    "view",
    "series",
    "units",
}


def indicator_list(*, user: Actor, search: str = "") -> QuerySet[Indicator]:
    """Visible indicators, each with the first and last period it has data for."""
    series = Observation.objects.filter(indicator=OuterRef("pk"))
    queryset = (
        Indicator.objects.visible_to(user)
        .select_related("organisation")
        .annotate(
            first_period=Subquery(series.order_by("period_start").values("period_start")[:1]),
            last_period=Subquery(series.order_by("-period_start").values("period_start")[:1]),
        )
    )
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(sdg_code__icontains=search)
        )
    return queryset.order_by("code")


def indicator_get(*, user: Actor, code: str) -> Indicator:
    return get_visible(
        Indicator.objects.select_related("organisation"), user=user, code__iexact=code
    )


@dataclass
class ObservationFilter:
    """What a reader asked to see: one or more places, a span of periods, dimensions.

    ``dimensions`` maps a dimension to a category, or to ``""`` for its total.
    """

    places: list[Place] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    dimensions: dict[str, str] = field(default_factory=dict)
    totals_only: bool = False
    # Open SDG's series and units: None for all of them.
    series: str | None = None
    units: str | None = None

    def as_query(self) -> dict[str, str]:
        query = dict(self.dimensions)
        for name in ("series", "units"):
            if getattr(self, name) is not None:
                query[name] = getattr(self, name)
        if self.places:
            query["place"] = ",".join(place.code for place in self.places)
        if self.start:
            query["from"] = self.start.isoformat()
        if self.end:
            query["to"] = self.end.isoformat()
        return query


def dimensions_of(indicator: Indicator) -> dict[str, list[str]]:
    """Each dimension the indicator's observations are broken down by, with its categories."""
    found: dict[str, set[str]] = defaultdict(set)
    keys = (
        Observation.objects.filter(indicator=indicator)
        .exclude(disaggregation_key="")
        .order_by()
        .values_list("disaggregation_key", flat=True)
        .distinct()
    )
    for key in keys:
        for part in key.split(";"):
            name, _eq, value = part.partition("=")
            found[name].add(value)
    return {name: sorted(values) for name, values in sorted(found.items())}


def observation_filter_parse(
    indicator: Indicator,
    parameters: Mapping[str, str],
    *,
    default_totals: bool = False,
    series: list[tuple[str, str]] | None = None,
    dimensions: dict[str, list[str]] | None = None,
) -> ObservationFilter:
    """Read ``place``, ``from``, ``to`` and ``<dimension>=`` parameters; refuse unknown ones.

    An unknown dimension, place or a malformed period raises :class:`Invalid` (422).
    ``series`` and ``dimensions``: the indicator's (series, units) pairs and breakdowns
    when the caller has them already; else they are read when a parameter needs them.
    """
    chosen = ObservationFilter()
    for code in (parameters.get("place") or "").split(","):
        if not code.strip():
            continue
        place = place_find(code)
        if place is None:
            raise Invalid(f"Unknown place code {code.strip()!r}.")
        chosen.places.append(place)
    for bound in ("from", "to"):
        text = (parameters.get(bound) or "").strip()
        if not text:
            continue
        try:
            start, end, _precision = parse_period(text)
        except ValueError as error:
            raise Invalid(f"Parameter {bound!r}: {error}.") from error
        if bound == "from":
            chosen.start = start
        else:
            chosen.end = end
    asked = {name: value for name, value in parameters.items() if name not in RESERVED_PARAMETERS}
    known = (dimensions if dimensions is not None else dimensions_of(indicator)) if asked else {}
    for name, value in asked.items():
        if name not in known:
            listed = ", ".join(known) or "none"
            raise Invalid(
                f"Unknown dimension {name!r} for {indicator.code} (its dimensions: {listed})."
            )
        value = value.strip()
        if value and value not in known[name]:
            raise Invalid(
                f"Unknown category {value!r} of {name!r} (known: {', '.join(known[name])})."
            )
        chosen.dimensions[name] = value
    pairs: list[tuple[str, str]] = []
    if {"series", "units"} & set(parameters):
        pairs = series if series is not None else indicator_series(indicator)
    for position, name in enumerate(("series", "units")):
        if name in parameters:
            value = (parameters.get(name) or "").strip()
            if not value:
                continue  # blank: every series (or unit)
            values = sorted({pair[position] for pair in pairs})
            if value not in values:
                raise Invalid(
                    f"Unknown {name} {value!r} for {indicator.code} (known: "
                    f"{', '.join(repr(k) for k in values)})."
                )
            setattr(chosen, name, value)
    chosen.totals_only = default_totals and not chosen.dimensions
    return chosen


def observation_list(indicator: Indicator, chosen: ObservationFilter) -> QuerySet[Observation]:
    """The observations of one indicator that the filter selects, in series order."""
    # The dataset's source stands in for a row without one; only that field is joined.
    queryset = (
        Observation.objects.filter(indicator=indicator)
        .select_related("place")
        .annotate(dataset_source=F("dataset__source"))
    )
    if chosen.places:
        queryset = queryset.filter(place__in=[place.pk for place in chosen.places if place.pk])
    if chosen.start:
        queryset = queryset.filter(period_start__gte=chosen.start)
    if chosen.end:
        queryset = queryset.filter(period_end__lte=chosen.end)
    if chosen.totals_only:
        queryset = queryset.filter(disaggregation_key="")
    if chosen.series is not None:
        queryset = queryset.filter(series=chosen.series)
    if chosen.units is not None:
        queryset = queryset.filter(units=chosen.units)
    for name, value in chosen.dimensions.items():
        if value:
            queryset = queryset.filter(**{f"disaggregation__{name}": value})
        else:
            queryset = queryset.exclude(disaggregation__has_key=name)
    return queryset.order_by("place__name", "period_start", "series", "units", "disaggregation_key")


# The columns of :func:`observation_rows`, in order.
ROW_COLUMNS = (
    "place_code",
    "place_name",
    "period_start",
    "period_end",
    "period_precision",
    "disaggregation",
    "value",
    "status",
    "source",
    "source_url",
    "note",
    "dataset_source",
    "series",
    "units",
    "obs_status",
    "unit_multiplier",
)
_ROW_SELECT = (
    "SELECT p.code, p.name, o.period_start, o.period_end, o.period_precision, "
    "o.disaggregation, o.value, o.status, o.source, o.source_url, o.note, d.source, "
    "o.series, o.units, o.obs_status, o.unit_multiplier "
    "FROM evidence_observation o JOIN evidence_place p ON p.id = o.place_id "
    "LEFT JOIN evidence_dataset d ON d.id = o.dataset_id WHERE o.indicator_id = %s"
)
_ROW_ORDER = " ORDER BY p.name, o.period_start, o.series, o.units, o.disaggregation_key"


@functools.lru_cache(maxsize=64)
def _row_sql(places: int, start: bool, end: bool, totals_only: bool) -> str:
    """The SQL of one shape of filter, written once."""
    sql = _ROW_SELECT
    if places:
        sql += f" AND o.place_id IN ({', '.join(['%s'] * places)})"
    if start:
        sql += " AND o.period_start >= %s"
    if end:
        sql += " AND o.period_end <= %s"
    if totals_only:
        sql += " AND o.disaggregation_key = ''"
    return sql + _ROW_ORDER


class ObservationRows:
    """What :func:`observation_list` selects, as plain tuples (``ROW_COLUMNS``) read
    with one SQL statement: no model rows, no query built per request. Sliceable and
    countable, so the API pages through it as through a queryset."""

    def __init__(self, sql: str, params: list[Any], shape: Any = None) -> None:
        self.sql = sql
        self.params = params
        self.shape = shape

    def as_dicts(self) -> ObservationRows:
        """The same rows, each as the API shows it (:func:`observation_row_dict`)."""
        return ObservationRows(self.sql, self.params, observation_row_dict)

    def _fetch(self, sql: str, params: list[Any]) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return rows if self.shape is None else [self.shape(row) for row in rows]

    def all(self) -> ObservationRows:
        return self

    def count(self) -> int:
        rows = ObservationRows(self.sql, self.params)._fetch(
            f"SELECT count(*) FROM ({self.sql}) AS shown",  # noqa: S608
            self.params,
        )
        return int(rows[0][0])

    def __iter__(self) -> Iterator[Any]:
        return iter(self._fetch(self.sql, self.params))

    def __getitem__(self, window: slice) -> list[Any]:
        offset = window.start or 0
        if window.stop is None:
            return self._fetch(
                f"{self.sql} LIMIT -1 OFFSET %s"
                if connection.vendor == "sqlite"
                else f"{self.sql} OFFSET %s",
                [*self.params, offset],
            )
        return self._fetch(
            f"{self.sql} LIMIT %s OFFSET %s", [*self.params, window.stop - offset, offset]
        )


def observation_rows(indicator: Indicator, chosen: ObservationFilter) -> ObservationRows:
    """:func:`observation_list` as plain rows, for the API and anything that reads many."""
    if chosen.dimensions or chosen.series is not None or chosen.units is not None:
        # Filters on the JSON dimensions, series or units: let the ORM write them.
        queryset = observation_list(indicator, chosen).values_list(
            "place__code",
            "place__name",
            "period_start",
            "period_end",
            "period_precision",
            "disaggregation",
            "value",
            "status",
            "source",
            "source_url",
            "note",
            "dataset__source",
            "series",
            "units",
            "obs_status",
            "unit_multiplier",
        )
        sql, orm_params = queryset.query.sql_with_params()
        return ObservationRows(sql, list(orm_params))
    adapt = connection.ops.adapt_datefield_value
    place_ids = [place.pk for place in chosen.places if place.pk]
    if chosen.places and not place_ids:
        place_ids = [0]  # only places without data: nothing to show
    params: list[Any] = [indicator.pk, *place_ids]
    if chosen.start:
        params.append(adapt(chosen.start))
    if chosen.end:
        params.append(adapt(chosen.end))
    sql = _row_sql(len(place_ids), bool(chosen.start), bool(chosen.end), chosen.totals_only)
    return ObservationRows(sql, params)


def observation_row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """One row of :func:`observation_rows` as the API shows it."""
    (code, name, start, end, precision, dimensions, value, status, source, url, note, held) = row[
        :12
    ]
    series, units, obs_status, multiplier = row[12:16]
    if isinstance(start, str):
        start, end = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if isinstance(dimensions, str):
        dimensions = json.loads(dimensions)
    return {
        "place": code,
        "place_name": name,
        "period": format_period(start, end, precision),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "disaggregation": dimensions,
        "value": value,
        "status": status,
        "source": source or held or "",
        "source_url": url,
        "note": note,
        "series": series,
        "units": units,
        "obs_status": obs_status,
        "unit_multiplier": multiplier,
    }


def observation_places(indicator: Indicator) -> QuerySet[Place]:
    """The places the indicator has figures for: one probe of the (indicator, place) index
    per place, rather than reading every figure of the indicator (100,000 at 250 places)."""
    return Place.objects.filter(
        Exists(Observation.objects.filter(indicator=indicator, place=OuterRef("pk")))
    ).order_by("name")


def indicator_sources(observations: Iterable[Observation]) -> list[dict[str, str]]:
    """The distinct sources of the observations shown, in order of first appearance."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for observation in observations:
        source = observation.shown_source
        key = (source, observation.source_url)
        if key not in seen and (source or observation.source_url):
            seen[key] = {"source": source, "url": observation.source_url}
    return list(seen.values())


def indicator_data_quality(indicator: Indicator) -> QuerySet[RecordWarning]:
    """The warnings the current imports of this indicator's figures left (open or
    cleared): its data-quality list, as an initiative's."""
    current_runs = DatasetVersion.objects.filter(is_current=True, run__isnull=False).values("run")
    return (
        record_warnings_of(indicator)
        .filter(run__in=current_runs)
        .order_by("run__file_name", "line", "pk")
    )


def indicator_series(indicator: Indicator) -> list[tuple[str, str]]:
    """The (series, units) pairs the indicator's figures come in, as Open SDG splits them."""
    return list(
        Observation.objects.filter(indicator=indicator)
        .order_by("series", "units")
        .values_list("series", "units")
        .distinct()
    )


def dataset_list(*, user: Actor) -> QuerySet[Dataset]:
    """The datasets ``user`` may know of: those holding figures, all of them for indicators
    the reader may read (the secretariat: every dataset)."""
    datasets = Dataset.objects.select_related("imported_by").prefetch_related("versions")
    if access_for(user).sees_everything:
        return datasets
    hidden = Indicator.objects.exclude(pk__in=Indicator.objects.visible_to(user).values("pk"))
    hidden_ids = list(hidden.values_list("pk", flat=True))
    holding_hidden = (
        Observation.objects.filter(indicator_id__in=hidden_ids)
        .order_by()
        .values_list("dataset_id", flat=True)
        .distinct()
        if hidden_ids
        else []
    )
    return datasets.filter(rows__gt=0).exclude(pk__in=[pk for pk in holding_hidden if pk])


# --- links to commitments --------------------------------------------------------------


def indicators_for_commitment(code: str, *, user: Actor = None) -> QuerySet[Indicator]:
    """The indicators that show the effect of the commitment with this stable code."""
    return (
        Indicator.objects.visible_to(user)
        .filter(commitment_links__commitment_code=code)
        .order_by("code")
        .distinct()
    )


def commitment_codes_without_indicators(codes: Iterable[str]) -> list[str]:
    """Of these commitment codes, those no indicator is linked to: the evidence gaps."""
    codes = list(codes)
    linked = set(
        CommitmentIndicator.objects.filter(commitment_code__in=codes).values_list(
            "commitment_code", flat=True
        )
    )
    return [code for code in codes if code not in linked]


def reference_commitments() -> list[tuple[str, str]]:
    """The commitments the reference record names, by stable code and title: the domains
    of the Joint Valletta Action Plan, the parts of the EU-Turkey Joint Action Plan and
    the migration-related SDG indicators (``SDG-10.7.3``). Until the commitments app
    serves them, the evidence overview lists its gaps from these."""
    from accord.reference import framework_facts

    commitments: list[tuple[str, str]] = []
    for instrument in framework_facts().get("instruments", []):
        for part in [*instrument.get("domains", []), *instrument.get("parts", [])]:
            commitments.append((str(part["code"]), str(part["title"])))
        for target in instrument.get("targets", []):
            for item in target.get("indicators", []):
                commitments.append((f"SDG-{item['code']}", str(item["title"])))
    return commitments


def evidence_gaps() -> list[tuple[str, str]]:
    """The reference record's commitments that no indicator is linked to."""
    commitments = reference_commitments()
    missing = set(commitment_codes_without_indicators(code for code, _title in commitments))
    return [(code, title) for code, title in commitments if code in missing]


def commitment_codes_for_indicator(indicator: Indicator) -> list[str]:
    return list(indicator.commitment_links.values_list("commitment_code", flat=True))

"""An indicator's figures as SDMX-CSV 1.0: ``DATAFLOW``, the dimensions (``SERIES``,
``REF_AREA``, the breakdowns, ``UNIT_MEASURE``), ``TIME_PERIOD``, ``OBS_VALUE``, then the
attributes ``OBS_STATUS``, ``UNIT_MULT`` and ``COMMENT_OBS``. A breakdown's total is
SDMX's ``_T``; a span of time is its start and duration (``1980-01-01/P11Y``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from accord.evidence.models import Indicator, Observation, PeriodPrecision
from accord.evidence.periods import duration_of

AGENCY = "ACCORD"
TOTAL = "_T"


def dataflow(indicator: Indicator) -> str:
    return f"{AGENCY}:{indicator.code}(1.0)"


def sdmx_period(observation: Observation) -> str:
    if observation.period_precision == PeriodPrecision.RANGE:
        start = observation.period_start
        return f"{start.isoformat()}/{duration_of(start, observation.period_end)}"
    return observation.period_label


def sdmx_header(dimensions: list[str]) -> list[str]:
    return [
        "DATAFLOW",
        "SERIES",
        "REF_AREA",
        *(name.upper() for name in dimensions),
        "UNIT_MEASURE",
        "TIME_PERIOD",
        "OBS_VALUE",
        "OBS_STATUS",
        "UNIT_MULT",
        "COMMENT_OBS",
    ]


def sdmx_rows(
    indicator: Indicator, observations: Iterable[Observation], dimensions: list[str]
) -> Iterator[list[object]]:
    flow = dataflow(indicator)
    for observation in observations:
        value = observation.value
        yield [
            flow,
            observation.series,
            observation.place.code,
            *(observation.disaggregation.get(name, TOTAL) for name in dimensions),
            observation.units,
            sdmx_period(observation),
            int(value) if float(value).is_integer() else value,
            observation.obs_status or ("P" if observation.status == "provisional" else ""),
            "" if observation.unit_multiplier is None else observation.unit_multiplier,
            observation.note,
        ]


def sdmx_csv_table(
    indicator: Indicator, observations: Iterable[Observation]
) -> tuple[list[str], Iterator[list[object]]]:
    from accord.evidence.selectors import dimensions_of

    dimensions = list(dimensions_of(indicator))
    return sdmx_header(dimensions), sdmx_rows(indicator, observations, dimensions)

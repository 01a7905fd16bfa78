"""Which column means what: tidy tables (Open SDG's data format), HXL-tagged tables and
SDMX-CSV (1.0, first column ``DATAFLOW``; 2.0, first columns ``STRUCTURE,STRUCTURE_ID``).

Open SDG: ``Year``, then the breakdowns, ``Value`` last; ``GeoCode``, ``Units``,
``Series``, ``Unit multiplier``, ``Observation status`` and footnote columns
(``COMMENT_OBS``) have their own meaning; every other column is a disaggregation. Its
SDMX-coded form (``UNIT_MEASURE``, ``REF_AREA``, ``OBS_STATUS``, ...) reads the same.
SDMX-CSV: dimensions, then ``OBS_VALUE``, then attributes; the place is ``REF_AREA``,
``GEO`` or ``COUNTRY``, the period ``TIME_PERIOD``; attributes other than status, unit
multiplier, units and footnotes are not kept (a warning names them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from accord.evidence.importing.report import Problem

INDICATOR_NAMES = {"indicator", "indicator_code", "indicator code"}
PLACE_NAMES = {"geocode", "geo_code", "place", "place_code", "ref_area", "geo"}
SDMX_PLACE_NAMES = PLACE_NAMES | {"country"}
PERIOD_NAMES = {"year", "period", "date", "time_period", "time period"}
VALUE_NAMES = {"value", "obs_value"}
STATUS_NAMES = {"status", "observation status", "observation_status", "obs_status"}
MULTIPLIER_NAMES = {"unit multiplier", "unit_multiplier", "unit_mult"}
UNITS_NAMES = {"units", "unit_measure", "unit measure"}
SERIES_NAMES = {"series"}
SOURCE_NAMES = {"source"}
SOURCE_URL_NAMES = {"source_url", "url"}
NOTE_NAMES = {"note", "notes", "comment", "footnote", "footnotes", "comment_obs"}
IGNORED_NAMES = {"place_name", "geoname", "indicator_name", "unit", "units_name"}
# SDMX-CSV's own columns, and FREQ, which the period's form already says.
SDMX_STRUCTURE_NAMES = {"dataflow", "structure", "structure_id", "action", "freq"}
# SDMX's codes for "the total" and "not applicable" in a breakdown: blank in Accord.
SDMX_TOTALS = {"_T", "_Z"}
_LABELLED = re.compile(r"^[A-Za-z][A-Za-z0-9_@.-]*: ")


@dataclass
class Layout:
    kind: str  # "tidy", "hxl" or "sdmx"
    header: list[str]
    period: int
    value: int
    indicator: int | None = None
    places: list[int] = field(default_factory=list)
    status: int | None = None
    multiplier: int | None = None
    units: int | None = None
    series: int | None = None
    source: int | None = None
    source_url: int | None = None
    notes: list[int] = field(default_factory=list)
    dimensions: list[tuple[int, str]] = field(default_factory=list)
    action: int | None = None  # SDMX-CSV 2.0: ``D`` deletes, which an import skips
    labels: bool = False  # SDMX-CSV written with labels: ``A: Normal value``
    period_missing: bool = False
    warnings: list[Problem] = field(default_factory=list)

    @property
    def hxl(self) -> bool:
        return self.kind == "hxl"

    @property
    def sdmx(self) -> bool:
        return self.kind == "sdmx"

    def column(self, index: int) -> str:
        return (
            self.header[index]
            if index < len(self.header) and self.header[index]
            else (f"column {index + 1}")
        )


def _name(cell: str) -> str:
    """A column's name in lower case, one space between words; ``ID: label`` is ``id``."""
    text = cell.strip()
    if _LABELLED.match(text):
        text = text.partition(":")[0]
    return " ".join(text.lower().split())


def is_sdmx_csv(header: list[str]) -> bool:
    names = [_name(cell) for cell in header[:2]]
    return names[:1] == ["dataflow"] or names == ["structure", "structure_id"]


def tidy_layout(header: list[str], *, period_column: str = "", sdmx: bool = False) -> Layout:
    """Open SDG's columns (and SDMX's, which name the same things)."""
    names = [_name(cell) for cell in header]
    sdmx = sdmx or is_sdmx_csv(header)

    def find(candidates: set[str]) -> int | None:
        return next((i for i, name in enumerate(names) if name in candidates), None)

    period = find({_name(period_column)} if period_column.strip() else PERIOD_NAMES)
    value = find(VALUE_NAMES)
    layout = Layout(
        kind="sdmx" if sdmx else "tidy",
        header=[cell.strip() for cell in header],
        period=0 if period is None else period,
        value=len(names) - 1 if value is None else value,
        indicator=find(INDICATOR_NAMES),
        status=find(STATUS_NAMES),
        multiplier=find(MULTIPLIER_NAMES),
        units=find(UNITS_NAMES),
        series=find(SERIES_NAMES),
        source=find(SOURCE_NAMES),
        source_url=find(SOURCE_URL_NAMES),
        labels=any(_LABELLED.match(cell.strip()) for cell in header),
    )
    # SDMX names its period TIME_PERIOD; without it (or the column asked for) no guess.
    layout.period_missing = period is None and bool(sdmx or period_column.strip())
    layout.notes = [i for i, name in enumerate(names) if name in NOTE_NAMES]
    place = find(SDMX_PLACE_NAMES if sdmx else PLACE_NAMES)
    layout.places = [] if place is None else [place]
    if sdmx:
        if layout.units is None:  # Eurostat's dimension of the unit of measure
            layout.units = find({"unit"})
        if layout.indicator is None:
            layout.indicator = find({"dataflow", "structure_id"})
        layout.action = find({"action"})
    taken = {
        layout.period,
        layout.value,
        layout.indicator,
        place,
        layout.status,
        layout.multiplier,
        layout.units,
        layout.series,
        layout.source,
        layout.source_url,
        layout.action,
        *layout.notes,
    }
    ignored = IGNORED_NAMES | (SDMX_STRUCTURE_NAMES if sdmx else set())
    for i, name in enumerate(names):
        if i in taken or not name or name in ignored:
            continue
        if sdmx and i > layout.value:
            # After the measure come the attributes: not a breakdown of the figure.
            layout.warnings.append(
                Problem(1, layout.column(i), "an attribute Accord does not keep: not imported")
            )
            continue
        # Dimension names are canonical in lower case: "Sex" in one file is "sex" in another.
        layout.dimensions.append((i, name))
    return layout


def _hxl_parts(tag: str) -> tuple[str, set[str]]:
    parts = [part.strip().lower() for part in tag.replace(" ", "").split("+")]
    return parts[0], set(parts[1:])


HXL_VALUE_PRIORITY = ["indicator+value", "indicator+num", "affected", "population"]


def hxl_layout(header: list[str], tags: list[str]) -> tuple[Layout | None, list[Problem]]:
    problems: list[Problem] = []
    period = indicator = status = source = source_url = None
    notes: list[int] = []
    places: list[int] = []
    values: dict[str, int] = {}
    dimensions: list[tuple[int, str]] = []
    for index, tag in enumerate(tags):
        tag = tag.strip()
        if not tag.startswith("#"):
            continue  # untagged columns are not part of the HXL data
        base, attributes = _hxl_parts(tag)
        if base == "#indicator" and "code" in attributes:
            indicator = index
        elif base in {"#country", "#region"} and "code" in attributes:
            places.append(index)
        elif base == "#date":
            if period is None or "year" in attributes:
                period = index
        elif base == "#indicator" and attributes & {"value", "num"}:
            values.setdefault(
                "indicator+value" if "value" in attributes else "indicator+num", index
            )
        elif base in {"#affected", "#population"}:
            values.setdefault(base[1:], index)
        elif base == "#status" or (base == "#meta" and "status" in attributes):
            status = index
        elif base == "#meta" and "url" in attributes:
            source_url = index
        elif base == "#meta" and "source" in attributes:
            source = index
        elif base == "#description" or (base == "#meta" and "note" in attributes):
            notes.append(index)
        elif base in {"#country", "#region", "#indicator", "#adm1", "#adm2"}:
            continue  # names of places and indicators: the codes carry the meaning
        else:
            dimensions.append((index, "_".join([base[1:], *sorted(attributes)])))
    value = next((values[key] for key in HXL_VALUE_PRIORITY if key in values), None)
    if value is None:
        problems.append(
            Problem(
                2,
                "hashtags",
                "no value column: tag one #indicator+value, #indicator+num, #affected or "
                "#population",
            )
        )
    if period is None:
        problems.append(Problem(2, "hashtags", "no period column: tag one #date (+year)"))
    # Value-tagged columns other than the one read as the value are further dimensions.
    for key, index in values.items():
        if index != value:
            dimensions.append((index, key.replace("+", "_")))
    if problems or value is None or period is None:
        return None, problems
    return (
        Layout(
            kind="hxl",
            header=[name.strip() or tags[i].strip() for i, name in enumerate(header)],
            period=period,
            value=value,
            indicator=indicator,
            places=places,
            status=status,
            source=source,
            source_url=source_url,
            notes=notes,
            dimensions=dimensions,
        ),
        problems,
    )


def looks_like_hashtags(row: list[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and all(cell.startswith("#") for cell in cells)

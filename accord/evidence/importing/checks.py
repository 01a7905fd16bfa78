"""Reading each distinct cell of a file of figures: indicator codes, places, periods,
breakdowns, statuses and multipliers. The import checks rows set-wise in SQL
(:mod:`.staging`); this reads the few distinct values for it, and reads again each row
found bad, to name its line and column."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import pycountry
from django.utils import timezone

from accord.evidence.importing.layout import SDMX_TOTALS, Layout
from accord.evidence.importing.report import Problem
from accord.evidence.models import Indicator, Place, PlaceKind
from accord.evidence.periods import check_period_range, parse_period
from accord.evidence.places import PlaceResolver
from accord.evidence.sdmx_codes import read_obs_status, read_unit_multiplier

CACHE_LIMIT = 100_000
MISSING_VALUES = {"", "nan"}
_COMMA_NUMBER = re.compile(r"^[+-]?\d[\d.]*(?:,\d+)+$")
# ``AGENCY:ID(VERSION)``: an SDMX dataflow or structure reference.
_STRUCTURE_REF = re.compile(r"^(?:[^:]+:)?([^()]+?)(?:\([^()]*\))?$")
# The European Union's own country codes (Eurostat's and the Interinstitutional Style
# Guide's) where they differ from ISO 3166: SDMX files of EU publishers write them.
EU_COUNTRY_CODES = {"EL": ("GR", "Greece"), "UK": ("GB", "the United Kingdom")}
# ISO 3166-2 subdivision codes, written ``KZ-AKM`` or, as some platforms do, ``KZAKM``.
_SUBDIVISION = re.compile(r"^([A-Z]{2})-?([A-Z0-9]{1,3})$")


@dataclass
class Options:
    indicator: str = ""
    place: str = ""
    source: str = ""
    licence: str = ""
    dataset: str = ""
    period_column: str = ""
    dry_run: bool = False


def disaggregation_key(dimensions: dict[str, str]) -> str:
    """The canonical key of a disaggregation: ``age=0-17;sex=female``; ``""`` for a total."""
    return ";".join(f"{name}={dimensions[name]}" for name in sorted(dimensions))


def parse_disaggregation(text: str) -> dict[str, str]:
    """``sex=female;age=0-17`` (or ``,``-separated) into a dict; blank is the total."""
    dimensions: dict[str, str] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, equals, value = part.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise ValueError(f"{part!r} is not name=value")
        dimensions[" ".join(name.lower().split())] = value.strip()
    return dimensions


def parse_value(text: str) -> float:
    value = float(text.strip())
    if math.isnan(value) or math.isinf(value):
        raise ValueError("not a finite number")
    return value


def not_a_number(text: str) -> str:
    """The refusal of a value that is no number; a comma in it is named, never guessed
    (``12,5`` may be twelve and a half or, with a thousands separator, 125)."""
    cleaned = text.strip()
    if _COMMA_NUMBER.match(cleaned):
        return (
            f"{cleaned!r} is not a number: a decimal comma or a thousands separator? "
            "Write the number with a decimal point and no separator (12.5, 1234)"
        )
    return f"{cleaned!r} is not a number"


def is_missing(text: str) -> bool:
    """No figure: a blank cell, or SDMX's ``NaN`` (with a status such as M, missing)."""
    return text.strip().lower() in MISSING_VALUES


def code_of(cell: str, layout: Layout) -> str:
    """A cell's code: ``F: Female`` is ``F`` in SDMX-CSV written with labels."""
    text = cell.strip()
    if layout.labels and ": " in text:
        return text.partition(": ")[0].strip()
    return text


class Places:
    """Place codes to places: a registry's code, else (only for the file's own country,
    given with ``--place``) an ISO 3166-2 subdivision of it such as ``KZ-AKM`` or
    ``KZAKM``; never a guess between places. Subdivisions the current ISO 3166-2 list
    lacks (renamed regions keep their old codes in published series) are kept as written,
    with a warning."""

    def __init__(self, resolver: PlaceResolver, default: str) -> None:
        self.resolver = resolver
        self.default = default.strip()
        home = resolver.resolve(self.default) if self.default else None
        self.home = home if home is not None and home.kind == PlaceKind.COUNTRY else None
        self.subdivisions: dict[str, Place] = {}
        self.new_subdivisions: list[Place] = []
        self.warnings: dict[str, str] = {}

    def resolve(self, code: str) -> Place | None:
        place = self.resolver.resolve(code)
        if place is not None:
            return place
        text = code.strip().upper()
        if text in self.subdivisions:
            return self.subdivisions[text]
        if text in EU_COUNTRY_CODES:
            iso, name = EU_COUNTRY_CODES[text]
            place = self.resolver.resolve(iso)
            if place is not None:
                self.warnings[text] = f"read the EU country code {text} as {name} (ISO 3166 {iso})"
                self.subdivisions[text] = place
            return place
        match = _SUBDIVISION.match(text)
        if self.home is None or match is None or match[1] != self.home.iso2:
            return None
        iso = f"{match[1]}-{match[2]}"
        place = self.resolver.known.get(iso)
        if place is None:
            standard = pycountry.subdivisions.get(code=iso)
            name = standard.name if standard else f"{iso} ({self.home.name})"
            place = Place(code=iso, name=name, kind=PlaceKind.SUBDIVISION, iso2=match[1])
            self.new_subdivisions.append(place)
            self.resolver.known[iso] = place
            if standard is None:
                self.warnings[text] = (
                    f"read as {iso}, a subdivision of {self.home.name} that the current "
                    "ISO 3166-2 list does not hold: kept as written"
                )
        self.subdivisions[text] = place
        return place

    def save_new(self) -> int:
        count = self.resolver.save_new()
        if self.new_subdivisions:
            Place.objects.bulk_create(self.new_subdivisions)
            ids = dict(
                Place.objects.filter(code__in=[p.code for p in self.new_subdivisions]).values_list(
                    "code", "id"
                )
            )
            for place in self.new_subdivisions:
                place.pk = ids[place.code]
            count += len(self.new_subdivisions)
            self.new_subdivisions = []
        return count


class RowReader:
    """Reads each distinct value once (a file repeats few of them) and names the
    problems of one row, for the report."""

    def __init__(self, layout: Layout, options: Options, places: Places) -> None:
        self.layout = layout
        self.options = options
        self.places = places
        self.indicators = {
            code.upper(): pk for code, pk in Indicator.objects.values_list("code", "id")
        }
        self.today = timezone.localdate()
        self.default_indicator = options.indicator.strip()
        self._periods: dict[str, tuple[str, str, str] | str] = {}
        self._breakdowns: dict[tuple[str, ...], tuple[str, str] | list[tuple[int, str]]] = {}

    # --- each kind of cell -------------------------------------------------------------

    def indicator_code(self, cell: str) -> str:
        text = cell.strip() if self.layout.indicator is not None else ""
        if text and self.layout.sdmx and (match := _STRUCTURE_REF.match(text)):
            text = match[1].strip()  # ESTAT:NA_MAIN(1.6.0) names NA_MAIN
        return text or self.default_indicator

    def indicator(self, cell: str) -> int | None:
        code = self.indicator_code(cell)
        return self.indicators.get(code.upper()) if code else None

    def place(self, cells: tuple[str, ...]) -> Place | None:
        code = next((c for c in (code_of(cell, self.layout) for cell in cells) if c), "")
        code = code or self.places.default
        return self.places.resolve(code) if code else None

    def period(self, text: str) -> tuple[str, str, str] | str:
        """(start, end, precision) in ISO form, or the problem with the period."""
        found = self._periods.get(text)
        if found is None:
            try:
                start, end, precision = parse_period(code_of(text, self.layout))
                check_period_range(start, self.today)
                found = (start.isoformat(), end.isoformat(), str(precision))
            except ValueError as error:
                found = str(error)
            if len(self._periods) < CACHE_LIMIT:
                self._periods[text] = found
        return found

    def breakdown(self, categories: tuple[str, ...]) -> tuple[str, str] | list[tuple[int, str]]:
        """(key, JSON) of a row's disaggregation, or the problems with it."""
        found = self._breakdowns.get(categories)
        if found is not None:
            return found
        dimensions: dict[str, str] = {}
        problems: list[tuple[int, str]] = []
        for (index, name), raw in zip(self.layout.dimensions, categories, strict=True):
            cell = code_of(raw, self.layout)
            if not cell or (self.layout.sdmx and cell in SDMX_TOTALS):
                continue  # blank (SDMX: _T, _Z) is the total for this dimension
            if ";" in cell or "=" in cell:
                problems.append((index, f"{cell!r}: a category may not contain ';' or '='"))
                continue
            dimensions[name] = cell
        key = disaggregation_key(dimensions)
        if len(key) > 255:
            problems.append((-1, "the disaggregation is longer than 255 characters"))
        found = problems or (key, json.dumps(dimensions, ensure_ascii=False, sort_keys=True))
        if len(self._breakdowns) < CACHE_LIMIT:
            self._breakdowns[categories] = found
        return found

    def status(self, text: str) -> tuple[str, str, str]:
        return read_obs_status(code_of(text, self.layout) if self.layout.labels else text)

    def multiplier(self, text: str) -> tuple[int | None, str]:
        return read_unit_multiplier(text)

    # --- one row, for the report -------------------------------------------------------

    def problems(self, line: int, cells: list[str]) -> list[Problem]:
        layout = self.layout
        width = len(layout.header)
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        problems: list[Problem] = []

        def bad(index: int | None, message: str, column: str = "", value: str = "") -> None:
            name = column or (layout.column(index) if index is not None else "")
            problems.append(Problem(line, name, message, value=value))

        indicator_cell = cells[layout.indicator] if layout.indicator is not None else ""
        code = self.indicator_code(indicator_cell)
        if not code:
            bad(layout.indicator, "no indicator (give a code, or --indicator)", "indicator")
        elif self.indicator(indicator_cell) is None:
            bad(layout.indicator, f"unknown indicator {code!r}", "indicator", code)

        place_cells = tuple(cells[i] for i in layout.places)
        place_code = next((c.strip() for c in place_cells if c.strip()), self.places.default)
        place_column = layout.column(layout.places[0]) if layout.places else "place"
        if not place_code:
            bad(None, "no place (give a code, or --place)", place_column)
        elif self.place(place_cells) is None:
            bad(
                None,
                f"unknown place code {place_code!r} (UN M49, ISO 3166 alpha-2/alpha-3, a "
                "named place the record knows, or a subdivision of the --place country)",
                place_column,
                place_code,
            )

        period = self.period(cells[layout.period])
        if isinstance(period, str):
            bad(layout.period, period, value=cells[layout.period].strip())

        text = cells[layout.value]
        try:
            parse_value(text)
        except ValueError:
            if not is_missing(text):
                bad(layout.value, not_a_number(text), value=text.strip())

        breakdown = self.breakdown(tuple(cells[index] for index, _name in layout.dimensions))
        if isinstance(breakdown, list):
            for index, message in breakdown:
                bad(index if index >= 0 else None, message, "" if index >= 0 else "disaggregation")
        return problems


def warning_meaning(messages: dict[str, str], key: str) -> str:
    return messages.get(key.strip().upper(), "")


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)

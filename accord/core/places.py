"""The one registry of places for every app: countries (ISO 3166 and IATI's Country
codelist, so ``XK`` Kosovo too), UN M49 regions, OECD DAC regions, and the named routes
and groups of the record.

Each place has one code Accord keeps and one name, whichever app asks:
- a country: its M49 (= ISO 3166-1 numeric) code, named by pycountry's common name
  where it has one (``Bolivia``), else its ISO name; a country of IATI's codelist that
  ISO 3166 lacks keeps its alpha-2 code (``XK``, Kosovo, ``XKX`` as alpha-3);
- an M49 region: its three-digit code (``002`` Africa), from the UN Statistics
  Division's table below (unstats.un.org/unsd/methodology/m49/), which changes rarely;
- an OECD DAC region (IATI's Region vocabulary 1): ``DAC-`` and its code (``DAC-298``
  Africa, regional), named by IATI's Region codelist; DAC and M49 codes overlap as
  numbers, so the prefix keeps them apart;
- a named route or group (``CENTRAL_MEDITERRANEAN_ROUTE``, ``EU27_2020``): its code.
An unknown code is ``None``, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry

COUNTRY = "country"
REGION = "region"
DAC_REGION = "dac_region"
ROUTE = "route"
GROUP = "group"
DAC_PREFIX = "DAC-"

# UNSD M49 geographic regions and sub-regions (codes and English names).
M49_REGIONS: dict[str, str] = {
    "001": "World",
    "002": "Africa",
    "015": "Northern Africa",
    "202": "Sub-Saharan Africa",
    "014": "Eastern Africa",
    "017": "Middle Africa",
    "018": "Southern Africa",
    "011": "Western Africa",
    "019": "Americas",
    "419": "Latin America and the Caribbean",
    "029": "Caribbean",
    "013": "Central America",
    "005": "South America",
    "021": "Northern America",
    "142": "Asia",
    "143": "Central Asia",
    "030": "Eastern Asia",
    "035": "South-eastern Asia",
    "034": "Southern Asia",
    "145": "Western Asia",
    "150": "Europe",
    "151": "Eastern Europe",
    "154": "Northern Europe",
    "039": "Southern Europe",
    "155": "Western Europe",
    "009": "Oceania",
    "053": "Australia and New Zealand",
    "054": "Melanesia",
    "057": "Micronesia",
    "061": "Polynesia",
}

# Named routes and groups the record's figures use (code -> name).
NAMED_PLACES: dict[str, tuple[str, str]] = {
    "EU_EXTERNAL_BORDERS": ("EU external borders (all routes)", ROUTE),
    "EASTERN_MEDITERRANEAN_ROUTE": ("Eastern Mediterranean route", ROUTE),
    "CENTRAL_MEDITERRANEAN_ROUTE": ("Central Mediterranean route", ROUTE),
    "WESTERN_MEDITERRANEAN_ROUTE": ("Western Mediterranean route", ROUTE),
    "WESTERN_BALKAN_ROUTE": ("Western Balkan route", ROUTE),
    "WESTERN_AFRICAN_ATLANTIC_ROUTE": ("Western African (Atlantic) route", ROUTE),
    "MEDITERRANEAN": ("Mediterranean (all routes)", ROUTE),
    "EU28": ("European Union (28 countries, 2013-2020)", GROUP),
    "EU27_2020": ("European Union (27 countries, from 2020)", GROUP),
    "LMIC": ("Low- and middle-income countries (World Bank)", GROUP),
    "EU_IOM_JI_COUNTRIES": ("EU-IOM Joint Initiative countries (Africa)", GROUP),
}

# Countries of IATI's Country codelist that ISO 3166 lacks (user-assigned codes):
# alpha-2 -> alpha-3 as commonly used.
IATI_ONLY_ALPHA3 = {"XK": "XKX"}


@dataclass(frozen=True)
class PlaceInfo:
    code: str
    name: str
    kind: str
    iso2: str = ""
    iso3: str = ""

    @property
    def iati_code(self) -> str:
        """The code an IATI file gives it (alpha-2 for a country, the bare DAC code)."""
        if self.kind == COUNTRY:
            return self.iso2
        if self.kind == DAC_REGION:
            return self.code.removeprefix(DAC_PREFIX)
        return self.code


def _country_info(country: object) -> PlaceInfo:
    name = getattr(country, "common_name", None) or country.name  # type: ignore[attr-defined]
    return PlaceInfo(
        code=str(country.numeric),  # type: ignore[attr-defined]
        name=str(name),
        kind=COUNTRY,
        iso2=str(country.alpha_2),  # type: ignore[attr-defined]
        iso3=str(country.alpha_3),  # type: ignore[attr-defined]
    )


@cache
def _countries() -> dict[str, PlaceInfo]:
    """Every country by each of its codes (numeric, alpha-2, alpha-3), upper case."""
    from accord.core.codelists import codelist

    table: dict[str, PlaceInfo] = {}
    for country in pycountry.countries:
        info = _country_info(country)
        table[info.code] = table[info.iso2] = table[info.iso3] = info
    for code, item in codelist("Country").codes.items():
        if code not in table and item.status != "withdrawn":
            info = PlaceInfo(
                code=code,
                name=item.name(),
                kind=COUNTRY,
                iso2=code,
                iso3=IATI_ONLY_ALPHA3.get(code, ""),
            )
            table[code] = info
            if info.iso3:
                table[info.iso3] = info
    return table


@cache
def _dac_regions() -> dict[str, PlaceInfo]:
    from accord.core.codelists import codelist

    return {
        code: PlaceInfo(code=DAC_PREFIX + code, name=item.name(), kind=DAC_REGION)
        for code, item in codelist("Region").codes.items()
    }


def country(code: str) -> PlaceInfo | None:
    """A country by ISO 3166 alpha-2, alpha-3 or numeric (= M49) code, or IATI's ``XK``."""
    text = str(code).strip().upper()
    if text.isdigit():
        text = text.zfill(3)
    return _countries().get(text)


def m49_region(code: str) -> PlaceInfo | None:
    text = str(code).strip()
    if not text.isdigit() or len(text) > 3:
        return None
    numeric = text.zfill(3)
    name = M49_REGIONS.get(numeric)
    return PlaceInfo(code=numeric, name=name, kind=REGION) if name else None


def dac_region(code: str) -> PlaceInfo | None:
    """An OECD DAC region (IATI Region vocabulary 1) by its code, with or without ``DAC-``."""
    return _dac_regions().get(str(code).strip().upper().removeprefix(DAC_PREFIX))


def named_place(code: str) -> PlaceInfo | None:
    found = NAMED_PLACES.get(str(code).strip().upper())
    return (
        PlaceInfo(code=str(code).strip().upper(), name=found[0], kind=found[1]) if found else None
    )


def place(code: str) -> PlaceInfo | None:
    """Any place by the code Accord keeps (or an ISO code of a country); None if unknown."""
    text = str(code).strip()
    if text.upper().startswith(DAC_PREFIX):
        return dac_region(text)
    if text.isdigit() and len(text) <= 3 and text.zfill(3) in M49_REGIONS:
        return m49_region(text)
    return country(text) or named_place(text)


def place_name(code: str) -> str:
    found = place(code)
    return found.name if found else code

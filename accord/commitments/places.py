"""Places by UN M49 code: countries from pycountry, regions from the M49 standard.

ISO 3166-1 numeric codes are the M49 codes of countries, so pycountry (which follows
ISO 3166 as Debian's iso-codes maintains it) answers for every country. M49's regions
are not in ISO 3166; the table below holds the UN Statistics Division's geographic
regions and sub-regions (unstats.un.org/unsd/methodology/m49/), which change rarely.
"""

from __future__ import annotations

from functools import cache

import pycountry

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


@cache
def _countries() -> dict[str, str]:
    return {country.numeric: country.name for country in pycountry.countries}


def country_m49(code: str) -> str:
    """The M49 code of a country given by ISO alpha-2, alpha-3 or numeric code."""
    text = str(code).strip().upper()
    if text.isdigit():
        numeric = text.zfill(3)
        if numeric in _countries():
            return numeric
        raise ValueError(f"{code!r} is not the M49 code of a country")
    country = pycountry.countries.get(alpha_2=text) if len(text) == 2 else None
    if country is None and len(text) == 3:
        country = pycountry.countries.get(alpha_3=text)
    if country is None:
        raise ValueError(f"{code!r} is not an ISO 3166 country code")
    return str(country.numeric)


def region_m49(code: str) -> str:
    numeric = str(code).strip().zfill(3)
    if numeric not in M49_REGIONS:
        raise ValueError(f"{code!r} is not an M49 region code")
    return numeric


def is_country(code: str) -> bool:
    return code in _countries()


def place_name(code: str) -> str:
    return _countries().get(code) or M49_REGIONS.get(code) or code


def country_alpha3(code: str) -> str:
    country = pycountry.countries.get(numeric=code)
    return str(country.alpha_3) if country else code

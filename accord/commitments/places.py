"""Places of initiatives by UN M49 code: countries and regions (see ``accord.core.places``)."""

from __future__ import annotations

from functools import cache

import pycountry

from accord.core.params import whole_number
from accord.core.places import M49_REGIONS


@cache
def _countries() -> dict[str, str]:
    return {country.numeric: country.name for country in pycountry.countries}


def country_m49(code: str) -> str:
    """The M49 code of a country given by ISO alpha-2, alpha-3 or numeric code."""
    text = str(code).strip().upper()
    if whole_number(text) is not None:
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

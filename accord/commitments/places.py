"""Places of initiatives by the code Accord keeps (see :mod:`accord.core.places`):
countries (M49, or ``XK``), M49 regions and OECD DAC regions (``DAC-298``)."""

from __future__ import annotations

from accord.core import places


def country_m49(code: str) -> str:
    """The code Accord keeps for a country given by ISO alpha-2, alpha-3 or numeric code."""
    found = places.country(code)
    if found is None:
        raise ValueError(f"{code!r} is not an ISO 3166 or IATI country code")
    return found.code


def region_m49(code: str) -> str:
    """The code of an M49 region, or of a DAC region given as ``DAC-298``."""
    found = places.m49_region(code) or (
        places.dac_region(code) if str(code).upper().startswith(places.DAC_PREFIX) else None
    )
    if found is None:
        raise ValueError(f"{code!r} is not an M49 region code")
    return found.code


def is_country(code: str) -> bool:
    found = places.place(code)
    return found is not None and found.kind == places.COUNTRY and found.code == code


def place_name(code: str) -> str:
    return places.place_name(code)


def country_alpha3(code: str) -> str:
    found = places.country(code)
    return found.iso3 or found.iso2 if found else code

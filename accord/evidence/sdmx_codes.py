"""The codes of SDMX that figures carry: observation status (``OBS_STATUS``) and unit
multiplier (``UNIT_MULT``), by code or by English label as Open SDG files write them."""

from __future__ import annotations

import re

# SDMX's cross-domain code list CL_OBS_STATUS (the codes and their English names).
OBS_STATUS: dict[str, str] = {
    "A": "Normal value",
    "B": "Time series break",
    "D": "Definition differs",
    "E": "Estimated value",
    "F": "Forecast value",
    "G": "Experimental value",
    "H": "Missing value; holiday or weekend",
    "I": "Imputed value",
    "J": "Derogation",
    "K": "Data included in another category",
    "L": "Missing value; data exist but were not collected",
    "M": "Missing value; data cannot exist",
    "N": "Not significant",
    "O": "Missing value",
    "P": "Provisional value",
    "Q": "Missing value; suppressed",
    "S": "Strike and other special events",
    "U": "Low reliability",
    "V": "Unvalidated value",
    "W": "Includes data from another category",
}
# Other English names publishers use for the same codes, and Accord's own two words.
STATUS_ALIASES: dict[str, str] = {
    "break in series": "B",
    "break": "B",
    "estimate": "E",
    "estimated": "E",
    "forecast": "F",
    "imputed value (ccsa definition)": "I",
    "imputed": "I",
    "missing": "O",
    "provisional": "P",
    "normal": "A",
    "unvalidated": "V",
    "not significant": "N",
}
# Accord's own "final" (the default) means no particular status.
NO_STATUS = {"", "final"}
_BY_LABEL = {label.lower(): code for code, label in OBS_STATUS.items()}

# SDMX's code list CL_UNIT_MULT: the power of ten a value is expressed in.
UNIT_MULT_LABELS: dict[str, int] = {
    "units": 0,
    "unit": 0,
    "ones": 0,
    "tens": 1,
    "hundreds": 2,
    "thousands": 3,
    "tens of thousands": 4,
    "hundreds of thousands": 5,
    "millions": 6,
    "tens of millions": 7,
    "hundreds of millions": 8,
    "billions": 9,
    "tens of billions": 10,
    "hundreds of billions": 11,
    "trillions": 12,
    "quadrillions": 15,
    "tenths": -1,
    "hundredths": -2,
    "thousandths": -3,
}
_NUMBER = re.compile(r"^[+-]?\d{1,2}(?:\.0+)?$")


def _code_part(text: str) -> str:
    """``A: Normal value`` (SDMX-CSV written with labels) is the code ``A``."""
    code, colon, _label = text.partition(":")
    return code.strip() if colon else text


def read_obs_status(text: str) -> tuple[str, str, str]:
    """(SDMX code, ``provisional`` or ``final``, warning) for a status cell.

    A code or label SDMX does not know is kept as no status, with a warning."""
    cleaned = " ".join(text.split())
    if cleaned.lower() in NO_STATUS:
        return "", "final", ""
    candidate = _code_part(cleaned)
    upper = candidate.upper()
    code = (
        upper
        if upper in OBS_STATUS
        else _BY_LABEL.get(candidate.lower()) or STATUS_ALIASES.get(candidate.lower())
    )
    if code is None:
        return (
            "",
            "final",
            f"{cleaned!r} is no SDMX observation status (A, B, E, F, I, M, P, ... or their "
            "names): kept without a status",
        )
    return code, "provisional" if code == "P" else "final", ""


def read_unit_multiplier(text: str) -> tuple[int | None, str]:
    """(power of ten, warning) for a unit multiplier cell: ``3``, ``Thousands``."""
    cleaned = " ".join(_code_part(text.strip()).split())
    if not cleaned:
        return None, ""
    if _NUMBER.match(cleaned):
        power = int(float(cleaned))
        if -15 <= power <= 15:
            return power, ""
    found = UNIT_MULT_LABELS.get(cleaned.lower())
    if found is not None:
        return found, ""
    return (
        None,
        f"{text.strip()!r} is no unit multiplier (a power of ten, or Units, Thousands, "
        "Millions, ...): kept without one",
    )

"""UN M49 places shared by every app: the standard's regions, and countries by any ISO code.

ISO 3166-1 numeric codes are the M49 codes of countries, so pycountry (which follows
ISO 3166 as Debian's iso-codes maintains it) answers for every country. M49's regions
are not in ISO 3166; the table below holds the UN Statistics Division's geographic
regions and sub-regions (unstats.un.org/unsd/methodology/m49/), which change rarely.
"""

from __future__ import annotations

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

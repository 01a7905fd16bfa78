"""The one registry of places: the same code and name whichever app asks."""

import pytest

from accord.commitments.places import country_m49, place_name
from accord.core import places
from accord.evidence.places import place_find


def test_countries_by_any_code_including_iati_only_ones():
    assert places.country("TR").code == places.country("TUR").code == "792"
    kosovo = places.country("XK")
    assert (kosovo.code, kosovo.name, kosovo.iso3) == ("XK", "Kosovo", "XKX")
    assert places.country("XX") is None
    assert country_m49("xk") == "XK"


def test_regions_of_both_vocabularies():
    assert places.m49_region("2").name == "Africa"
    africa = places.dac_region("298")
    assert (africa.code, africa.name, africa.iati_code) == ("DAC-298", "Africa, regional", "298")
    assert places.place("DAC-998").name == "Developing countries, unspecified"
    assert places.named_place("EU27_2020").kind == places.GROUP


@pytest.mark.django_db
def test_commitments_and_evidence_name_a_country_alike():
    for code in ("068", "792", "XK", "434"):
        assert place_find(code).name == place_name(code) == places.place(code).name

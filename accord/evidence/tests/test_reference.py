import io

import pytest
from django.core.management import call_command

from accord.evidence import selectors
from accord.evidence.models import CommitmentIndicator, Dataset, Indicator, Observation, Place
from accord.evidence.reference import DATASET_NAME

pytestmark = pytest.mark.django_db


def test_headline_figures_load_with_a_source_on_every_value(reference):
    assert Indicator.objects.count() == 14
    # 222 rows; one cumulative figure is given twice for 2018 and the later one is kept.
    assert Observation.objects.count() == 221
    assert not Observation.objects.filter(source="").exists()
    assert not Observation.objects.filter(source_url="").exists()
    central = Observation.objects.get(
        indicator__code="FRONTEX_IBC",
        place__code="CENTRAL_MEDITERRANEAN_ROUTE",
        period_start__year=2016,
    )
    assert central.value == 181376
    assert central.source == "Frontex"
    assert Place.objects.get(code="001").name == "World"
    assert Place.objects.get(code="EU27_2020").kind == "group"
    assert Place.objects.get(code="WESTERN_BALKAN_ROUTE").kind == "route"
    returns = Observation.objects.get(
        indicator__code="EUIOM_JI_RETURNS_CUM", period_start__year=2018
    )
    assert returns.value == 32000


def test_loading_twice_leaves_one_copy(reference):
    before = sorted(Observation.objects.values_list("id", flat=True))
    call_command("load_reference", stdout=io.StringIO())
    assert sorted(Observation.objects.values_list("id", flat=True)) == before
    assert Dataset.objects.get(name=DATASET_NAME).versions.count() == 1
    assert CommitmentIndicator.objects.count() == 8


def test_links_to_commitments(reference):
    deaths = Indicator.objects.get(code="MMP_DEAD_MISSING")
    assert deaths.sdg_code == "10.7.3"
    assert list(selectors.indicators_for_commitment("SDG-10.7.3")) == [deaths]
    assert {i.code for i in selectors.indicators_for_commitment("JVAP-5")} == {
        "IOM_ASSISTED_RETURNS",
        "EUIOM_JI_RETURNS_CUM",
        "EUIOM_JI_REINTEG_CUM",
    }
    assert selectors.commitment_codes_without_indicators(
        ["JVAP-1", "JVAP-2", "SDG-10.7.3", "SDG-10.c.1"]
    ) == ["JVAP-2", "SDG-10.c.1"]


def test_disaggregations_of_the_reference(reference):
    displacements = Indicator.objects.get(code="IDMC_NEW_DISPLACEMENTS")
    assert selectors.dimensions_of(displacements) == {"cause": ["conflict", "disaster"]}


def test_evidence_gaps_of_the_reference_commitments(reference):
    gaps = dict(selectors.evidence_gaps())
    assert "JVAP-2" in gaps
    assert "SDG-10.7.1" in gaps
    assert "SDG-10.7.3" not in gaps
    assert "JVAP-5" not in gaps

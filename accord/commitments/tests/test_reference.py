import pytest
from django.core.management import call_command

from accord.commitments.models import Commitment, Initiative, Instrument
from accord.core.models import Classification

pytestmark = pytest.mark.django_db


def codes(instrument: str, parent: str | None = None) -> list[str]:
    found = Commitment.objects.filter(instrument__code=instrument)
    found = found.filter(parent__code=parent) if parent else found.filter(parent__isnull=True)
    return sorted(found.values_list("code", flat=True))


def test_instruments_and_trees_are_loaded(reference):
    assert set(Instrument.objects.values_list("code", flat=True)) == {
        "JVAP",
        "WB-2015",
        "EU-TR-JAP",
        "EAM-2015",
        "SDG",
    }
    assert codes("JVAP") == ["JVAP-1", "JVAP-2", "JVAP-3", "JVAP-4", "JVAP-5"]
    jvap5 = Commitment.objects.get(code="JVAP-5")
    assert jvap5.title_text == "Return, readmission and reintegration"
    assert "nationality" in jvap5.description_text
    assert len(codes("WB-2015")) == 8
    assert codes("WB-2015", "WB-2015-1") == ["WB-2015-P1", "WB-2015-P2"]
    assert codes("WB-2015", "WB-2015-3") == ["WB-2015-P4", "WB-2015-P5", "WB-2015-P6"]
    assert codes("EU-TR-JAP") == ["EU-TR-JAP-1", "EU-TR-JAP-2"]
    assert codes("EAM-2015") == ["EAM-2015-1", "EAM-2015-2", "EAM-2015-3", "EAM-2015-4"]
    assert codes("SDG", "SDG-10.7") == ["SDG-10.7.1", "SDG-10.7.2", "SDG-10.7.3", "SDG-10.7.4"]
    assert Commitment.objects.get(code="SDG-10.7.3").path == "/SDG-10.7/SDG-10.7.3/"


def test_joint_initiative_is_public_with_its_countries(reference):
    initiative = Initiative.objects.get(external_ids__reference="EU-IOM-JI")
    assert initiative.classification == Classification.PUBLIC
    assert initiative.partner.acronym == "IOM"
    assert initiative.places.count() == 22
    assert initiative.places.filter(code="706").exists()  # Somalia, from SOM
    assert {f.funder_display for f in initiative.fundings.all()} == {
        "EUTF-AFRICA",
        "Germany",
        "Italy",
    }
    assert set(initiative.commitments.values_list("code", flat=True)) >= {"JVAP-5"}


def test_loading_twice_keeps_one_copy(reference):
    before = (Commitment.objects.count(), Initiative.objects.count())
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Commitment.objects.count(), Initiative.objects.count()) == before

"""Shapes real publishers' IATI files take that Accord did not write: an IATI 1.03
activity (words and letters for codes, text without narratives), a region of UN M49
(vocabulary 2), SDG sectors (vocabularies 7, 8, 9), transactions naming their provider and
receiver only by ``ref``, titles in several languages, an activity with nothing optional,
values without a value date. Each imports through the command and the API."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from accord.commitments.models import Initiative

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "publishers"
V1 = DATA / "iati-1.03-words-and-letters.xml"
ODD = DATA / "iati-2.03-refs-regions-sdg-languages.xml"


def test_an_iati_1_03_file_imports_with_a_warning_naming_the_activity(reference):
    out = StringIO()
    call_command("import", "iati", str(V1), stdout=out)
    text = out.getvalue()
    assert "created 1, updated 0, unchanged 0, skipped 0, warnings 1" in text
    assert "line 3, XM-DAC-47066-OLD-1, column 'iati-activities/@version' = '1.03'" in text
    initiative = Initiative.objects.get(iati_identifier="XM-DAC-47066-OLD-1")
    assert initiative.title == {"en": "Old style title"}
    assert initiative.iati["transactions"][0]["type"] == "3"  # D: disbursement
    roles = {org["role"] for org in initiative.iati["participating_orgs"]}
    assert roles == {"funding", "implementing"}
    again = StringIO()
    call_command("import", "iati", str(V1), stdout=again)
    assert "created 0, updated 0, unchanged 1" in again.getvalue()


def test_refs_regions_sdg_sectors_and_languages_import(reference):
    out = StringIO()
    call_command("import", "iati", str(ODD), stdout=out)
    assert "created 2, updated 0, unchanged 0, skipped 0, warnings 3" in out.getvalue()
    assert "'sector/@percentage (vocabulary 7)' = '50.00'" in out.getvalue()
    odd = Initiative.objects.get(iati_identifier="XM-DAC-47066-ODD-1")
    assert odd.title == {
        "fr": "Gestion des frontières",
        "en": "Border management",
        "es": "Gestión de fronteras",
    }
    [disbursement, incoming] = odd.iati["transactions"]
    assert (disbursement["provider_ref"], disbursement["receiver_ref"]) == (
        "XI-IATI-EC_INTPA",
        "XM-DAC-47066",
    )
    assert incoming["currency"] == "EUR"
    # no funding participating-org: the provider of the incoming funds is the funder;
    # the budget has no value date and counts all the same
    [funding] = odd.fundings.all()
    assert (funding.funder_name, funding.amount, funding.currency) == (
        "XI-IATI-EC_INTPA",
        1000,
        "USD",
    )
    assert {s["vocabulary"] for s in odd.sectors} == {"7", "8", "9"}
    bare = Initiative.objects.get(iati_identifier="XM-DAC-47066-BARE-1")
    assert (bare.title, bare.start_on, bare.iati["budgets"]) == ({"en": "Bare activity"}, None, [])
    again = StringIO()
    call_command("import", "iati", str(ODD), stdout=again)
    assert "created 0, updated 0, unchanged 2" in again.getvalue()


@pytest.mark.parametrize("path", [V1, ODD])
def test_the_api_answers_the_same_files_with_their_report(reference, roles, api_client, path):
    with path.open("rb") as upload:
        answer = api_client(roles["secretariat"]).post("/api/v1/imports/iati", {"file": upload})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["created"] >= 1
    assert all(p["line"] > 0 and p["column"] for p in body["problems"])


def test_a_value_that_is_no_number_refuses_naming_row_column_and_value(
    reference, roles, api_client
):
    path = DATA / "iati-bad-percentage.xml"
    with path.open("rb") as upload:
        answer = api_client(roles["secretariat"]).post("/api/v1/imports/iati", {"file": upload})
    assert answer.status_code == 422, answer.content
    [error] = answer.json()["errors"]
    assert (error["record"], error["column"], error["value"]) == (
        "XM-DAC-47066-H",
        "recipient-country/@percentage",
        "abc",
    )
    assert error["line"] == 1
    assert not Initiative.objects.filter(iati_identifier="XM-DAC-47066-H").exists()

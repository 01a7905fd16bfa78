"""Imports write only onto initiatives the importer may change: the EXISTING record's
owner decides, not the partner the file names."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accord.commitments.initiatives import initiative_create
from accord.commitments.models import Initiative
from accord.commitments.records import InitiativeRecord
from accord.core.models import Classification
from accord.partners.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def iom_restricted(roles):
    record = InitiativeRecord(
        title={"en": "IOM restricted work"},
        partner="IOM",
        iati_identifier="XM-DAC-47066-SECRET-1",
        classification=Classification.RESTRICTED,
    )
    initiative = initiative_create(user=roles["secretariat"], record=record)
    initiative.restricted_to.add(Organisation.objects.get(acronym="IOM"))
    return initiative


def upload(client, kind, name, content):
    return client.post(f"/api/v1/imports/{kind}", {"file": _file(name, content)})


def _file(name, content):
    handle = io.BytesIO(content.encode())
    handle.name = name
    return handle


def iati_activity(identifier, reporting_org):
    return f"""<?xml version="1.0"?>
<iati-activities version="2.03"><iati-activity default-currency="EUR">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="X" type="10"><narrative>{reporting_org}</narrative></reporting-org>
  <title><narrative>TAKEN OVER</narrative></title>
  <activity-status code="2"/>
</iati-activity></iati-activities>
"""


def unchanged(initiative):
    fresh = Initiative.objects.get(pk=initiative.pk)
    assert fresh.partner.acronym == "IOM"
    assert fresh.classification == Classification.RESTRICTED
    assert fresh.title["en"] == "IOM restricted work"


def test_a_spreadsheet_naming_anothers_initiative_by_id_is_refused_as_missing(
    api_client, roles, iom_restricted
):
    body = f"id,title_en,partner,classification\n{iom_restricted.pk},TAKEN OVER,DG HOME,members\n"
    answer = upload(api_client(roles["focal"]), "initiatives", "take.csv", body)
    assert answer.status_code == 422, answer.content
    assert f"no initiative has the id {iom_restricted.pk}" in answer.json()["detail"]
    unchanged(iom_restricted)


def test_a_spreadsheet_naming_a_visible_initiative_of_another_partner_is_refused(
    api_client, roles, iom_restricted
):
    iom_restricted.classification = Classification.MEMBERS
    iom_restricted.save()
    body = f"id,title_en,partner,classification\n{iom_restricted.pk},TAKEN OVER,DG HOME,members\n"
    answer = upload(api_client(roles["focal"]), "initiatives", "take.csv", body)
    assert answer.status_code == 403, answer.content
    fresh = Initiative.objects.get(pk=iom_restricted.pk)
    assert (fresh.partner.acronym, fresh.title["en"]) == ("IOM", "IOM restricted work")


def test_an_iati_file_reusing_anothers_identifier_is_refused(api_client, roles, iom_restricted):
    content = iati_activity(
        "XM-DAC-47066-SECRET-1", "Directorate-General for Migration and Home Affairs (DG HOME)"
    )
    answer = upload(api_client(roles["focal"]), "iati", "take.xml", content)
    assert answer.status_code == 403, answer.content
    assert "TAKEN OVER" not in answer.content.decode()
    unchanged(iom_restricted)


def test_the_owners_focal_point_still_imports_onto_its_own(api_client, roles, iom_restricted):
    body = f"id,title_en,partner,classification\n{iom_restricted.pk},Renamed,IOM,restricted\n"
    answer = upload(api_client(roles["other_focal"]), "initiatives", "own.csv", body)
    assert answer.status_code == 200, answer.content
    assert Initiative.objects.get(pk=iom_restricted.pk).title["en"] == "Renamed"


def test_the_command_line_imports_as_the_named_user(tmp_path, roles, iom_restricted):
    path = tmp_path / "take.csv"
    path.write_text(
        f"id,title_en,partner,classification\n{iom_restricted.pk},TAKEN OVER,DG HOME,members\n"
    )
    with pytest.raises(Exception, match=f"no initiative has the id {iom_restricted.pk}"):
        call_command("import", "initiatives", str(path), "--as", "home-focal", stdout=io.StringIO())
    unchanged(iom_restricted)
    # Without --as the operator's full rights apply.
    call_command("import", "initiatives", str(path), stdout=io.StringIO())
    assert Initiative.objects.get(pk=iom_restricted.pk).partner.acronym == "DG HOME"

"""Warnings kept with each initiative: its data-quality list on the page and in the API,
cleared by the secretariat with a comment; the import page and API show the report."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.access.models import AuditEvent
from accord.commitments.iati import import_iati
from accord.commitments.models import Initiative
from accord.core.models import RecordWarning

pytestmark = pytest.mark.django_db

FILE = """<?xml version="1.0"?><iati-activities version="2.03">
<iati-activity default-currency="USD"><iati-identifier>XM-DAC-47066-Q1</iati-identifier>
<reporting-org ref="XM-DAC-47066" type="40"><narrative>IOM</narrative></reporting-org>
<title><narrative>Border management</narrative></title>
<recipient-country code="998"/></iati-activity></iati-activities>"""


@pytest.fixture
def imported(roles, tmp_path):
    path = tmp_path / "q.xml"
    path.write_text(FILE)
    import_iati(path, actor=roles["secretariat"])
    return Initiative.objects.get(iati_identifier="XM-DAC-47066-Q1")


def test_the_page_and_the_api_list_the_data_quality_warnings(imported, client, roles, api_client):
    client.force_login(roles["secretariat"])
    page = client.get(f"/initiatives/{imported.pk}/").content.decode()
    assert "Data quality" in page
    assert "read 998 as the DAC region Developing countries, unspecified" in page
    body = api_client(roles["member"]).get(f"/api/v1/initiatives/{imported.pk}").json()
    (warning,) = body["data_quality"]
    assert (warning["field"], warning["value"], warning["cleared"]) == (
        "recipient-country/@code",
        "998",
        False,
    )
    assert AuditEvent.objects.filter(verb="import.done").exists()


def test_the_secretariat_clears_a_warning_with_a_comment(imported, client, roles, api_client):
    warning = RecordWarning.objects.get(object_id=str(imported.pk))
    refused = api_client(roles["focal"]).post(
        f"/api/v1/data-quality/{warning.pk}/clear",
        {"comment": "fine"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    empty = api_client(roles["secretariat"]).post(
        f"/api/v1/data-quality/{warning.pk}/clear",
        {"comment": " "},
        content_type="application/json",
    )
    assert empty.status_code == 422
    client.force_login(roles["secretariat"])
    answer = client.post(
        f"/data-quality/{warning.pk}/clear/",
        {
            "comment": "Multi-country project: the publisher's own convention",
            "next": "/initiatives/",
        },
    )
    assert answer.status_code == 302
    warning.refresh_from_db()
    assert warning.cleared_by == roles["secretariat"]
    assert AuditEvent.objects.filter(verb="data_quality.cleared").exists()
    page = client.get(f"/initiatives/{imported.pk}/").content.decode()
    assert "Multi-country project" in page


def test_the_import_page_shows_counts_and_warnings(roles, client):
    client.force_login(roles["secretariat"])
    upload = SimpleUploadedFile("q.xml", FILE.encode(), content_type="text/xml")
    page = client.post("/initiatives/import/", {"kind": "iati", "upload": upload}).content.decode()
    assert "Created 1, updated 0, unchanged 0, skipped 0, warnings 1." in page
    assert "998" in page
    bad = SimpleUploadedFile(
        "bad.xml", b"<iati-activities><iati-activity>", content_type="text/xml"
    )
    page = client.post("/initiatives/import/", {"kind": "iati", "upload": bad}).content.decode()
    assert "The file was refused" in page


def test_the_api_import_answers_the_report_and_strict_refuses(roles, api_client):
    client = api_client(roles["secretariat"])
    upload = SimpleUploadedFile("q.xml", FILE.encode(), content_type="text/xml")
    body = client.post("/api/v1/imports/iati", {"file": upload}).json()
    assert (body["created"], body["warnings"]) == (1, 1)
    assert body["problems"][0]["action"].startswith("read 998 as the DAC region")
    assert body["warnings_by_publisher"] == {"XM-DAC-47066": 1}
    upload = SimpleUploadedFile("q.xml", FILE.encode(), content_type="text/xml")
    strict = client.post("/api/v1/imports/iati?strict=true", {"file": upload})
    assert strict.status_code == 422
    assert strict.json()["errors"][0]["action"] == "refused (strict)"
    runs = client.get("/api/v1/import-runs").json()
    assert runs["count"] == 1


def test_hostile_upload_through_the_page_is_refused_cleanly(roles, client, tmp_path):
    client.force_login(roles["secretariat"])
    data = Path(tmp_path / "e.xml")
    data.write_text('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    upload = SimpleUploadedFile("e.xml", data.read_bytes(), content_type="text/xml")
    answer = client.post("/initiatives/import/", {"kind": "iati", "upload": upload})
    assert answer.status_code == 200
    assert "DTD" in answer.content.decode()

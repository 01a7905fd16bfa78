"""The import page: focal points and the secretariat upload a file and read the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accord.evidence.models import Observation

pytestmark = pytest.mark.django_db

BAD = b"Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,1o0\n2021,FRA,3\n"
GOOD = b"Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,2\n"


def upload(client, content, **fields):
    data = {"upload": SimpleUploadedFile("figures.csv", content, "text/csv"), **fields}
    return client.post(reverse("evidence-import"), data)


def test_members_may_not_import(client, make_user, deaths):
    client.force_login(make_user("m", ("EEAS", "member")))
    assert client.get(reverse("evidence-import")).status_code == 403
    assert "Import a file" not in client.get(reverse("evidence-overview")).content.decode()


def test_a_file_with_an_error_is_refused_naming_the_row(client, make_user, deaths):
    client.force_login(make_user("f", ("IOM", "focal_point")))
    assert "Import a file" in client.get(reverse("evidence-overview")).content.decode()
    body = upload(client, BAD, indicator="MMP_DEAD_MISSING").content.decode()
    assert "The file was refused" in body
    assert "line 3" in body
    assert "&#x27;1o0&#x27; is not a number" in body
    assert 'value="MMP_DEAD_MISSING"' in body
    assert Observation.objects.count() == 0


def test_a_good_file_is_imported_and_the_htmx_answer_is_the_report(client, make_user, deaths):
    client.force_login(make_user("s", ("IOM-RO-BRU", "secretariat")))
    response = client.post(
        reverse("evidence-import"),
        {
            "upload": SimpleUploadedFile("figures.csv", GOOD, "text/csv"),
            "indicator": "MMP_DEAD_MISSING",
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "2 observations imported" in body
    assert Observation.objects.count() == 2


def test_no_file_is_named_as_missing(client, make_user, deaths):
    client.force_login(make_user("f", ("IOM", "focal_point")))
    body = client.post(reverse("evidence-import"), {"indicator": "X"}).content.decode()
    assert 'id="id_upload_error"' in body


def test_an_sdmx_message_is_imported_and_its_warnings_listed(client, make_user, deaths):
    from pathlib import Path

    client.force_login(make_user("s", ("IOM-RO-BRU", "secretariat")))
    message = (
        Path(__file__).parent / "data" / "estat-demography-structure-specific.xml"
    ).read_bytes()
    response = client.post(
        reverse("evidence-import"),
        {
            "upload": SimpleUploadedFile("demography.xml", message, "application/xml"),
            "indicator": "MMP_DEAD_MISSING",
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "55 observations imported (sdmx_ml)" in body
    assert "2 warnings" in body
    assert "read the EU country code EL as Greece" in body
    assert "no figure: row skipped" in body

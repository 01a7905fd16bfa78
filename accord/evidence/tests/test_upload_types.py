"""Uploaded XLSX files of figures keep their type, so they import as from the command line."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accord.core.uploads import upload_suffix
from accord.evidence.models import Observation

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _figures() -> bytes:
    workbook = Workbook()
    for row in (["Year", "GeoCode", "Value"], [2019, "FRA", 1], [2020, "FRA", 2]):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_upload_keeps_its_type_and_nothing_else_of_its_name():
    assert upload_suffix("Figures 2020.XLSX") == ".xlsx"
    assert upload_suffix("../../etc/passwd") == ""
    assert upload_suffix("figures", default=".csv") == ".csv"
    assert upload_suffix("a.x;rm -rf") == ""


def test_an_xlsx_uploaded_on_the_import_page_is_imported(client, make_user, deaths):
    client.force_login(make_user("s", ("IOM-RO-BRU", "secretariat")))
    upload = SimpleUploadedFile("figures.xlsx", _figures(), XLSX)
    response = client.post(
        reverse("evidence-import"), {"upload": upload, "indicator": "MMP_DEAD_MISSING"}
    )
    assert "2 observations imported" in response.content.decode()
    assert Observation.objects.count() == 2


def test_an_xlsx_posted_to_the_api_is_imported(api_client, make_user, deaths):
    secretariat = make_user("s", ("IOM-RO-BRU", "secretariat"))
    upload = SimpleUploadedFile("figures.xlsx", _figures(), XLSX)
    response = api_client(secretariat).post(
        "/api/v1/indicators/import", {"file": upload, "indicator": "MMP_DEAD_MISSING"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == 2
    assert Observation.objects.count() == 2

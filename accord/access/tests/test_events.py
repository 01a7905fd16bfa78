"""The audit rows written by other apps' services: import, export, press release, deletion."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client

from accord.access.models import AuditEvent
from accord.evidence.importing import Options, observations_import
from accord.evidence.tests.factories import IndicatorFactory
from accord.meetings.tests.factories import MeetingFactory
from accord.partners.tests.factories import OrganisationFactory
from accord.reports.services import press_release_create_draft, press_release_publish

TIDY = "Year,GeoCode,Value\n2019,ITA,100\n2020,ITA,120\n"


def test_an_import_is_logged_with_its_counts(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(TIDY)
    IndicatorFactory(code="ARRIVALS")
    observations_import(path=path, options=Options(indicator="ARRIVALS", dataset="arrivals"))
    event = AuditEvent.objects.get(verb="import.done")
    assert event.data["rows"] == 2
    assert event.data["kind"] == "observations"
    assert event.target_label


def test_an_export_is_logged(make_user: Any, tmp_path: Path) -> None:
    call_command(
        "export", "meetings", "--format", "csv", "-o", str(tmp_path / "m.csv"), stdout=io.StringIO()
    )
    event = AuditEvent.objects.get(verb="export.done")
    assert (event.data["kind"], event.data["format"], event.data["rows"]) == ("meetings", "csv", 0)


def test_publishing_a_press_release_is_logged(make_user: Any) -> None:
    clerk = make_user("clerk", ("IOM", "secretariat"))
    release = press_release_create_draft(meeting=MeetingFactory(), by=clerk)
    press_release_publish(release=release, version=release.version, by=clerk)
    event = AuditEvent.objects.get(verb="press_release.published")
    assert (event.actor_name, event.target_id) == ("clerk", str(release.pk))


def test_a_record_deleted_in_the_admin_is_logged(make_user: Any) -> None:
    admin = make_user("boss", is_staff=True, is_superuser=True)
    partner = OrganisationFactory(acronym="GONE")
    client = Client()
    client.force_login(admin)
    url = f"/admin/partners/organisation/{partner.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(verb="record.deleted")
    assert event.actor_name == "boss"
    assert event.target_type == "partners.organisation"
    assert event.target_id == str(partner.pk)
    assert "GONE" in event.target_label


def test_the_login_page_speaks_french() -> None:
    page = Client(headers={"Accept-Language": "fr"}).get("/login/")
    assert "Mot de passe oublié" in page.content.decode()

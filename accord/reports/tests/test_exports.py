import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accord.meetings.models import ActionPoint
from accord.reports.models import ExportRecord
from accord.reports.tests.conftest import MEMBERS_ONLY, PUBLIC_ACTION

pytestmark = pytest.mark.django_db


def test_export_command_writes_meetings_as_xlsx(reference, tmp_path):
    out = tmp_path / "meetings.xlsx"
    call_command("export", "meetings", "--format", "xlsx", "-o", str(out), "--filter", "year=2016")
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("key", "meeting", "tier", "date")
    assert rows[1][:4] == (
        "som-3",
        "3rd Senior Officials Meeting",
        "Senior Officials Meeting",
        "2016-02-16",
    )
    assert len(rows) == 2
    record = ExportRecord.objects.get()
    assert (record.kind, record.format, record.rows, record.via) == (
        "meetings",
        "xlsx",
        1,
        "command",
    )
    assert record.filters == {"year": "2016"}


def test_action_points_export_neutralises_formulas_and_hides_members_only(record, member, tmp_path):
    ActionPoint.objects.filter(text=PUBLIC_ACTION).update(text='=HYPERLINK("http://x")')
    public = tmp_path / "ap.csv"
    call_command("export", "action-points", "--format", "csv", "-o", str(public))
    rows = list(csv.reader(io.StringIO(public.read_text(encoding="utf-8-sig"))))
    texts = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in texts
    assert not any(MEMBERS_ONLY in text for text in texts)
    members = tmp_path / "ap.json"
    call_command(
        "export",
        "action-points",
        "--format",
        "json",
        "-o",
        str(members),
        "--as",
        member.username,
        "--filter",
        "status=open",
    )
    data = json.loads(members.read_text())
    assert data["count"] == 2
    assert any(MEMBERS_ONLY in item["action"] for item in data["items"])
    assert {item["status"] for item in data["items"]} == {"open"}


def test_list_pages_link_their_exports_with_the_filters(record, client, member):
    page = client.get(reverse("meeting-list"), {"tier": "som", "year": "2016"}).content.decode()
    link = reverse("export-download", args=["meetings", "csv"]) + "?tier=som&amp;year=2016"
    assert link in page
    response = client.get(
        reverse("export-download", args=["meetings", "json"]), {"tier": "som", "year": "2016"}
    )
    assert [item["key"] for item in json.loads(response.content)["items"]] == ["som-3"]
    register = client.get(reverse("action-register"), {"status": "open"}).content.decode()
    assert reverse("export-download", args=["action-points", "xlsx"]) + "?status=open" in register

    client.force_login(member)
    response = client.get(
        reverse("export-download", args=["action-points", "xlsx"]), {"status": "open"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)].count(
        f"{MEMBERS_ONLY} (action)"
    ) == 1
    record_ = ExportRecord.objects.filter(via="page").order_by("pk").last()
    assert record_.user == member
    assert record_.filters == {"status": "open"}
    assert record_.rows == 2


def test_bad_export_requests_are_refused(reference, client):
    assert client.get("/exports/secrets.csv").status_code == 404
    bad = client.get(
        reverse("export-download", args=["action-points", "csv"]), {"due_before": "soon"}
    )
    assert bad.status_code == 400
    assert (
        client.get(
            reverse("export-download", args=["meetings", "csv"]), {"tier": "nope"}
        ).status_code
        == 404
    )
    assert not ExportRecord.objects.exists()


def test_exports_are_in_the_admin_for_the_secretariat(reference, secretariat, client, tmp_path):
    call_command("export", "meetings", "-o", str(tmp_path / "m.csv"))
    secretariat.is_staff = secretariat.is_superuser = True  # as the demo's secretariat
    secretariat.save()
    client.force_login(secretariat)
    page = client.get(reverse("admin:reports_exportrecord_changelist")).content.decode()
    assert "meetings" in page

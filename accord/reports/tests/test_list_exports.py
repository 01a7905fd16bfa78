"""The exports of partners, commitments, coverage, cycles and their entries, and indicators:
each format, neutralised, recorded, as the reader sees them, with their refusals."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from accord.reports.models import ExportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(make_user, reference):
    return {
        "secretariat": make_user("sec", ("IOM-RO-BRU", "secretariat")),
        "focal": make_user("home-focal", ("DG HOME", "focal_point")),
        "member": make_user("member", ("EEAS", "member")),
    }


def rows_of(response):
    return json.loads(response.content)["items"]


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("partners", "acronym"),
        ("commitments", "title_fr"),
        ("coverage", "gaps"),
        ("cycles", "status"),
        ("indicators", "targets_by_place"),
    ],
)
def test_each_list_exports_in_three_formats_and_is_recorded(client, roles, kind, column):
    for fmt in ("csv", "xlsx", "json"):
        response = client.get(f"/exports/{kind}.{fmt}")
        assert response.status_code == 200, (kind, fmt, response.content[:200])
    assert column in client.get(f"/exports/{kind}.csv").content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(client.get(f"/exports/{kind}.xlsx").content))
    sheet = book.active
    assert sheet is not None
    assert column in [cell.value for cell in sheet[1]]
    assert ExportRecord.objects.filter(kind=kind).count() == 5


def test_cells_a_spreadsheet_would_run_are_neutralised(client, roles):
    from accord.commitments.models import Commitment

    Commitment.objects.filter(code="JVAP-2").update(title={"en": '=HYPERLINK("http://x")'})
    text = client.get("/exports/commitments.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_cycle_entries_export_for_the_secretariat_and_reporters_only(client, roles):
    from accord.commitments.cycles import cycle_open, entry_draft
    from accord.commitments.models import Commitment, Initiative

    cycle = cycle_open(
        user=roles["secretariat"],
        name="2026",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    mine = Initiative.objects.create(
        title={"en": "Home one"}, partner_id=roles["focal"].accord_roles.get().organisation_id
    )
    mine.commitments.add(Commitment.objects.get(code="JVAP-2"))
    entry_draft(user=roles["focal"], cycle=cycle, initiative=mine)
    assert client.get("/exports/cycle-entries.json?cycle=2026").status_code == 403
    client.force_login(roles["member"])
    assert client.get("/exports/cycle-entries.json?cycle=2026").status_code == 403
    client.force_login(roles["focal"])
    body = rows_of(client.get("/exports/cycle-entries.json?cycle=2026"))
    assert [row["title"] for row in body] == ["Home one"]
    assert client.get("/exports/cycle-entries.json").status_code == 400
    assert client.get("/exports/cycle-entries.json?cycle=nope").status_code == 404
    client.force_login(roles["secretariat"])
    assert rows_of(client.get("/exports/cycle-entries.json?cycle=2026"))[0]["state"] == "draft"


def test_coverage_export_counts_what_the_reader_may_see(client, roles):
    assert client.get("/exports/coverage.csv?instrument=NOPE").status_code == 404
    public = rows_of(client.get("/exports/coverage.json?instrument=JVAP"))
    assert {row["code"] for row in public} >= {"JVAP-1", "JVAP-5"}


def test_the_command_line_exports_the_new_kinds(tmp_path, roles):
    out = tmp_path / "cycles.json"
    call_command("export", "cycles", "--format", "json", "-o", str(out))
    assert json.loads(out.read_text())["count"] == 0
    out = tmp_path / "partners.csv"
    call_command("export", "partners", "-o", str(out))
    assert "DG HOME" in out.read_text(encoding="utf-8-sig")
    assert ExportRecord.objects.filter(kind="partners", via="command").exists()

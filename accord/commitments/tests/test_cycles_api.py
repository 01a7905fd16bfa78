"""The reporting cycles through the API and on their pages, with their refusals; the
progress report reading only the cycle's verified entries."""

import datetime as dt

import pytest
from django.utils import timezone

from accord.commitments.cycles import (
    cycle_create,
    cycle_start,
    entry_draft,
    entry_submit,
    entry_verify,
)
from accord.commitments.models import Cycle, CycleEntry, EntryState, Initiative
from accord.core.models import Classification

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
JSON = "application/json"


def initiative(partner_user, title="Border support", code="JVAP-2", progress=30):
    from accord.commitments.models import Commitment

    made = Initiative.objects.create(
        title={"en": title},
        partner_id=partner_user.accord_roles.get().organisation_id,
        classification=Classification.PUBLIC,
        progress_override=progress,
        status="ongoing",
    )
    made.commitments.add(Commitment.objects.get(code=code))
    return made


def test_plan_open_set_deadline_and_close_through_the_api(api_client, roles):
    secretariat, focal = api_client(roles["secretariat"]), api_client(roles["focal"])
    body = {
        "name": "2026",
        "opens_on": str(TODAY),
        "closes_on": str(TODAY + dt.timedelta(days=30)),
        "instruments": ["JVAP"],
    }
    assert api_client().post("/api/v1/cycles", body, content_type=JSON).status_code == 401
    assert focal.post("/api/v1/cycles", body, content_type=JSON).status_code == 403
    created = secretariat.post("/api/v1/cycles", body, content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "planned"
    assert created.json()["instruments"] == ["JVAP"]
    again = secretariat.post("/api/v1/cycles", body, content_type=JSON)
    assert again.status_code == 422
    unknown = secretariat.post(
        "/api/v1/cycles", {**body, "name": "x", "previous": "nope"}, content_type=JSON
    )
    assert unknown.status_code == 404
    backwards = secretariat.post(
        "/api/v1/cycles",
        {**body, "name": "y", "closes_on": str(TODAY - dt.timedelta(days=1))},
        content_type=JSON,
    )
    assert backwards.status_code == 422
    assert focal.post("/api/v1/cycles/2026/open", {}, content_type=JSON).status_code == 403
    opened = secretariat.post("/api/v1/cycles/2026/open", {"version": 1}, content_type=JSON)
    assert opened.json()["status"] == "open", opened.content
    stale = secretariat.put(
        "/api/v1/cycles/2026/deadline",
        {"closes_on": str(TODAY), "version": 1},
        content_type=JSON,
    )
    assert stale.status_code == 409
    moved = secretariat.put(
        "/api/v1/cycles/2026/deadline", {"closes_on": str(TODAY)}, content_type=JSON
    )
    assert moved.json()["closes_on"] == str(TODAY)
    assert secretariat.post("/api/v1/cycles/2026/open", {}, content_type=JSON).status_code == 422
    closed = secretariat.post("/api/v1/cycles/2026/close", {}, content_type=JSON)
    assert closed.json()["status"] == "closed"
    assert secretariat.post("/api/v1/cycles/nope/close", {}, content_type=JSON).status_code == 404
    listed = api_client().get("/api/v1/cycles").json()
    assert listed["items"][0]["status"] == "closed"
    assert api_client().get("/api/v1/cycles/2026").json()["name"] == "2026"


def test_completeness_and_exceptions_through_the_api(api_client, roles):
    cycle = cycle_start(
        user=roles["secretariat"],
        cycle=cycle_create(user=roles["secretariat"], name="C", opens_on=TODAY, closes_on=TODAY),
    )
    made = initiative(roles["focal"])
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=made)
    entry_verify(user=roles["secretariat"], entry=entry_submit(user=roles["focal"], entry=entry))
    secretariat = api_client(roles["secretariat"])
    assert api_client(roles["focal"]).get("/api/v1/cycles/C/completeness").status_code == 403
    assert api_client().get("/api/v1/cycles/C/completeness").status_code == 401
    board = secretariat.get("/api/v1/cycles/C/completeness").json()
    home = next(row for row in board["items"] if row["partner"] == "DG HOME")
    assert (home["expected"], home["submitted"], home["verified"]) == (1, 1, 1)
    assert home["timeliness"] == "on_time"
    change = {"initiative": made.pk, "reason": "Corrected", "progress": 35}
    refused = api_client(roles["focal"]).post(
        "/api/v1/cycles/C/exceptions", change, content_type=JSON
    )
    assert refused.status_code == 403
    no_reason = secretariat.post(
        "/api/v1/cycles/C/exceptions", {**change, "reason": ""}, content_type=JSON
    )
    assert no_reason.status_code == 422
    nothing = secretariat.post(
        "/api/v1/cycles/C/exceptions",
        {"initiative": made.pk, "reason": "x"},
        content_type=JSON,
    )
    assert nothing.status_code == 422
    recorded = secretariat.post("/api/v1/cycles/C/exceptions", change, content_type=JSON)
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["after"] == {"progress": 35}
    listed = secretariat.get("/api/v1/cycles/C/exceptions").json()
    assert listed["items"][0]["reason"] == "Corrected"
    locked = api_client(roles["focal"]).post(
        f"/api/v1/cycles/C/entries/{made.pk}/submit", {}, content_type=JSON
    )
    assert locked.status_code == 422
    assert "locked" in locked.json()["detail"]


def test_the_progress_report_reads_only_the_cycles_verified_entries(api_client, roles, client):
    cycle = cycle_create(
        user=roles["secretariat"],
        name="2025",
        opens_on=TODAY,
        closes_on=TODAY,
        instruments=[],
    )
    from accord.commitments.models import Instrument

    cycle.instruments.add(Instrument.objects.get(code="JVAP"))
    cycle = cycle_start(user=roles["secretariat"], cycle=cycle)
    verified = initiative(roles["focal"], "Verified at 30", progress=30)
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=verified)
    entry_verify(user=roles["secretariat"], entry=entry_submit(user=roles["focal"], entry=entry))
    # today the initiative is at 45%; the report keeps the verified 30%
    Initiative.objects.filter(pk=verified.pk).update(progress=45, progress_override=45)
    initiative(roles["focal"], "Never entered in 2025", progress=90)
    submitted = initiative(roles["focal"], "Submitted, not verified", progress=80)
    entry_submit(
        user=roles["focal"],
        entry=entry_draft(user=roles["contributor"], cycle=cycle, initiative=submitted),
    )
    body = api_client().get("/api/v1/instruments/JVAP/progress?cycle=2025").json()
    rows = {row["code"]: row for row in body["rows"]}
    assert rows["JVAP-2"]["initiatives"] == 1
    assert rows["JVAP-2"]["progress"] == 30.0
    assert "JVAP-2" not in body["gaps"]
    assert api_client().get("/api/v1/instruments/JVAP/progress?cycle=nope").status_code == 404
    assert api_client().get("/api/v1/instruments/NOPE/progress?cycle=2025").status_code == 404
    assert api_client().get("/api/v1/instruments/JVAP/progress").status_code == 422
    page = client.get("/reports/progress/JVAP/2025/")
    assert page.status_code == 200
    text = page.content.decode()
    row = text[text.index("<td>JVAP-2</td>") :].split("</tr>")[0]
    assert "30%" in row
    assert "45%" not in text
    assert client.get("/reports/progress/JVAP/nope/").status_code == 404
    entries = CycleEntry.objects.filter(cycle=cycle)
    assert entries.filter(state=EntryState.VERIFIED).count() == 1


def test_cycle_pages_for_the_secretariat_and_for_a_focal_point(client, roles):
    client.force_login(roles["secretariat"])
    planned = client.post(
        "/cycles/",
        {
            "name": "N+1",
            "opens_on": str(TODAY),
            "closes_on": str(TODAY + dt.timedelta(days=10)),
        },
    )
    assert planned.status_code == 302
    assert Cycle.objects.get(name="N+1").status == "planned"
    kept = client.post("/cycles/", {"name": "N+1", "opens_on": "", "closes_on": ""})
    assert kept.status_code == 200
    assert "A cycle already has this name." in kept.content.decode()
    assert client.post("/cycles/N+1/open/", {}).status_code == 302
    assert Cycle.objects.get(name="N+1").status == "open"
    page = client.get("/cycles/N+1/").content.decode()
    assert 'id="completeness"' in page
    made = initiative(roles["focal"])
    cycle = Cycle.objects.get(name="N+1")
    entry = entry_draft(user=roles["contributor"], cycle=cycle, initiative=made)
    entry_verify(user=roles["secretariat"], entry=entry_submit(user=roles["focal"], entry=entry))
    no_reason = client.post(
        "/cycles/N+1/exception/", {"initiative": made.pk, "progress": "50", "reason": ""}
    )
    assert no_reason.status_code == 422
    done = client.post(
        "/cycles/N+1/exception/",
        {"initiative": made.pk, "progress": "50", "reason": "Partner's correction"},
    )
    assert done.status_code == 302
    assert "Partner&#x27;s correction" in client.get("/cycles/N+1/").content.decode()
    client.force_login(roles["focal"])
    mine = client.get("/cycles/")
    assert mine.status_code == 200  # the dashboard's "See them all" lands here
    assert "Border support" in mine.content.decode()
    assert client.get("/cycles/N+1/").status_code == 200
    assert client.post("/cycles/N+1/close/", {}).status_code == 403
    assert client.post("/cycles/", {"name": "z"}).status_code == 403
    client.force_login(roles["member"])
    assert client.get("/cycles/").status_code == 403
    assert client.get("/cycles/nope/").status_code in {403, 404}


def test_the_cycle_board_in_french(client, roles):
    cycle_start(
        user=roles["secretariat"],
        cycle=cycle_create(user=roles["secretariat"], name="FR", opens_on=TODAY, closes_on=TODAY),
    )
    client.force_login(roles["secretariat"])
    page = client.get("/cycles/FR/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Complétude" in page
    assert "Clore le cycle" in page
    assert "Fixer la date limite" in page

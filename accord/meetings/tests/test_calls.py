"""Calls for contributions: the secretariat asks the partners for documents or agenda
requests for a meeting; the board shows who has and has not answered; reminders name
those who have not; each document sent is a classified document of the meeting, in its
briefing pack."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.access.models import AuditEvent
from accord.meetings import calls
from accord.meetings.models import Document
from accord.meetings.tests.factories import MeetingFactory, MeetingTierFactory
from accord.partners.models import Organisation
from accord.partners.tests.factories import MembershipFactory
from accord.reports.briefing import briefing_context, briefing_html

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def record(make_user: Any) -> dict[str, Any]:
    users = {
        "secretariat": make_user("sec", ("SECR", "secretariat")),
        "iom": make_user("iom-focal", ("IOM", "focal_point")),
        "home": make_user("home-contrib", ("DG HOME", "contributor")),
        "member": make_user("eeas-member", ("EEAS", "member")),
    }
    tier = MeetingTierFactory(code="som", name="Senior Officials Meeting")
    for acronym in ("IOM", "DG HOME", "EEAS"):
        MembershipFactory(
            framework=tier.framework, organisation=Organisation.objects.get(acronym=acronym)
        )
    meeting = MeetingFactory(
        tier=tier, date=dt.date(2027, 2, 10), status="planned", classification="members"
    )
    return {**users, "meeting": meeting}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(TODAY, tick=False)
def test_the_board_shows_who_has_answered_and_the_pack_includes_it(
    record: dict[str, Any], api_client: Any
) -> None:
    meeting = record["meeting"]
    sec = api_client(record["secretariat"])
    opened = sec.post(
        f"/api/v1/meetings/{meeting.key}/calls",
        {"message": "Send your notes for the SOM.", "due": "2027-01-20"},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    call = opened.json()
    # No partner named: the framework's members on the meeting's date.
    assert call["waiting"] == ["DG HOME", "EEAS", "IOM"]
    url = f"/api/v1/meetings/{meeting.key}/calls/{call['id']}"

    # IOM's focal point sends a note restricted to IOM; DG HOME's contributor an agenda item.
    sent = api_client(record["iom"]).post(
        f"{url}/contributions",
        {
            "file": SimpleUploadedFile("note.txt", b"IOM note on returns"),
            "title": "IOM note on returns",
            "classification": "restricted",
        },
    )
    assert sent.status_code == 201, sent.content
    asked = api_client(record["home"]).post(
        f"{url}/contributions", {"agenda_request": "Add an item on legal pathways."}
    )
    assert asked.status_code == 201, asked.content
    document = Document.objects.get(title="IOM note on returns")
    assert document.meeting_id == meeting.pk
    assert document.classification == "restricted"
    assert list(document.restricted_to.values_list("acronym", flat=True)) == ["IOM"]
    # A member of EEAS does not contribute (members read; focal points and contributors send).
    refused = api_client(record["member"]).post(f"{url}/contributions", {"agenda_request": "x"})
    assert refused.status_code == 403

    board = sec.get(url).json()
    assert board["answered"] == ["DG HOME", "IOM"]
    assert board["waiting"] == ["EEAS"]
    # EEAS's member sees that IOM answered, not IOM's restricted note.
    seen = api_client(record["member"]).get(url).json()
    iom_row = next(row for row in seen["board"] if row["partner"] == "IOM")
    assert iom_row["answered"] is True
    assert iom_row["documents"] == []

    # The reminder names those who have not answered, for the notifications to mail.
    reminded = sec.post(f"{url}/remind").json()
    assert reminded == {"reminded": ["EEAS"]}
    event = AuditEvent.objects.get(verb="call.reminded")
    assert event.data["partners"] == ["EEAS"]
    assert list(
        AuditEvent.objects.filter(verb__startswith="call.")
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["call.opened", "call.contributed", "call.contributed", "call.reminded"]

    # The briefing pack: the secretariat's has the note; the member's has not.
    pack = briefing_html(briefing_context(user=record["secretariat"], key=meeting.key))
    assert "IOM note on returns" in pack
    assert "Add an item on legal pathways." in pack
    assert "Not answered: EEAS" in pack
    members_pack = briefing_html(briefing_context(user=record["member"], key=meeting.key))
    assert "IOM note on returns" not in members_pack
    assert "Add an item on legal pathways." in members_pack

    # Closed with a stale version: 409; with the current one, no more contributions.
    assert (
        sec.post(f"{url}/close", {"version": 99}, content_type="application/json").status_code
        == 409
    )
    closed = sec.post(
        f"{url}/close", {"version": board["version"]}, content_type="application/json"
    )
    assert closed.json()["state"] == "closed"
    late = api_client(record["iom"]).post(f"{url}/contributions", {"agenda_request": "Late"})
    assert late.status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_the_pages_of_a_call(record: dict[str, Any]) -> None:
    meeting = record["meeting"]
    sec = signed_in(record["secretariat"])
    response = sec.post(
        f"/meetings/{meeting.key}/calls/",
        {
            "message": "Documents please",
            "asks": "documents",
            "due": "2027-01-20",
            "partners": ["IOM"],
        },
    )
    assert response.status_code == 302, response.content.decode()
    call = calls.meeting_calls(user=record["secretariat"], meeting=meeting).get()
    board_url = f"/meetings/{meeting.key}/calls/{call.pk}/"
    assert "Not yet" in sec.get(board_url).content.decode()
    focal = signed_in(record["iom"])
    page = focal.get(board_url).content.decode()
    assert "You answer for IOM." in page
    sent = focal.post(
        f"{board_url}contribute/",
        {
            "partner": "IOM",
            "title": "Returns figures",
            "upload": SimpleUploadedFile("figures.txt", b"figures"),
            "kind": "background_note",
            "classification": "members",
        },
    )
    assert sent.status_code == 302
    board = sec.get(board_url).content.decode()
    assert "Returns figures" in board
    assert "Not yet" not in board
    # Nobody left to remind.
    assert sec.post(f"{board_url}remind/").status_code == 302
    assert not AuditEvent.objects.filter(verb="call.reminded").exists()
    # Calls are the members' business: the public reads none.
    assert Client().get(f"/api/v1/meetings/{meeting.key}/calls/{call.pk}").status_code == 404

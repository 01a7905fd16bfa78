"""Written and silence procedures: opened by the secretariat, answered by the partners'
focal points and members, closed at their deadline, their outcome a decision of the
procedure with its trail, in the register, the API and the public decisions feed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from accord.access.models import AuditEvent
from accord.meetings import procedures
from accord.meetings.models import Decision, Procedure, ProcedureAnswer
from accord.partners.models import Organisation

pytestmark = pytest.mark.django_db

OPENED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "secretariat": make_user("sec", ("SECR", "secretariat")),
        "iom": make_user("iom-focal", ("IOM", "focal_point")),
        "home": make_user("home-member", ("DG HOME", "member")),
        "contributor": make_user("home-contrib", ("DG HOME", "contributor")),
    }


def partners(*acronyms: str) -> list[Organisation]:
    return [Organisation.objects.get(acronym=a) for a in acronyms]


def open_procedure(people: dict[str, Any], kind: str, **extra: Any) -> Procedure:
    return procedures.procedure_open(
        kind=kind,
        text=extra.pop("text", "The framework adopts the 2027 work plan."),
        closes=dt.date(2026, 12, 4),
        partners=partners("IOM", "DG HOME"),
        by=people["secretariat"],
        **extra,
    )


def answer(procedure: Procedure, user: Any, value: str, reason: str = "") -> ProcedureAnswer:
    return procedures.procedure_answer(procedure=procedure, answer=value, reason=reason, by=user)


def test_a_silence_procedure_closes_itself_at_its_deadline_adopted(people: dict[str, Any]) -> None:
    with time_machine.travel(OPENED, tick=False):
        procedure = open_procedure(people, "silence", classification="public")
        answer(procedure, people["iom"], "agree")
    # On its last day it is still open: answers are taken until the end of that day.
    with time_machine.travel(dt.datetime(2026, 12, 4, 22, 0, tzinfo=dt.UTC), tick=False):
        assert procedures.close_due_procedures() == []
    with time_machine.travel(dt.datetime(2026, 12, 5, 0, 30, tzinfo=dt.UTC), tick=False):
        out = io.StringIO()
        call_command("procedures", "close-due", stdout=out)
        assert "1 procedure(s) closed" in out.getvalue()
    procedure.refresh_from_db()
    assert (procedure.state, procedure.outcome) == ("adopted", "silence_kept")
    assert procedure.closed_on == dt.date(2026, 12, 5)
    decision = Decision.objects.get(procedure=procedure)
    assert decision.meeting is None
    assert decision.text == "The framework adopts the 2027 work plan."
    assert decision.classification == "public"
    verbs = list(
        AuditEvent.objects.filter(target_id=str(procedure.pk), target_type="meetings.procedure")
        .order_by("at", "pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["procedure.opened", "procedure.answered", "procedure.adopted"]
    # Nothing more to close the next time.
    assert procedures.close_due_procedures() == []

    # In the register, the API and the public feed, with its trail.
    client = Client()
    register = client.get("/decisions/").content.decode()
    assert "The framework adopts the 2027 work plan." in register
    listed = client.get("/api/v1/decisions").json()["items"]
    assert [(d["procedure"], d["meeting"], d["taken_on"]) for d in listed] == [
        (procedure.pk, None, "2026-12-05")
    ]
    feed = client.get("/decisions/feed/").content.decode()
    assert "Adopted by silence procedure" in feed
    assert f"/procedures/{procedure.pk}/" in feed
    detail = client.get(f"/api/v1/procedures/{procedure.pk}").json()
    assert detail["state"] == "adopted"
    assert detail["decision"] == decision.pk
    assert [(a["partner"], a["answer"]) for a in detail["answers"]] == [
        ("DG HOME", None),
        ("IOM", "agree"),
    ]
    assert [(t["partner"], t["by"]) for t in detail["trail"]] == [("IOM", "iom-focal")]
    # An adopted text is kept as adopted.
    sec = Client()
    sec.force_login(people["secretariat"])
    assert sec.get(f"/decisions/{decision.pk}/edit/").status_code == 403


def test_an_objection_breaks_the_silence_at_once(people: dict[str, Any]) -> None:
    with time_machine.travel(OPENED, tick=False):
        procedure = open_procedure(people, "silence")
        with pytest.raises(Exception, match="reason"):
            answer(procedure, people["home"], "object")
        answer(procedure, people["home"], "object", "The budget line is not agreed.")
    procedure.refresh_from_db()
    assert (procedure.state, procedure.outcome) == ("broken", "objection")
    assert not Decision.objects.filter(procedure=procedure).exists()
    assert AuditEvent.objects.filter(verb="procedure.broken", target_id=str(procedure.pk)).exists()
    with time_machine.travel(dt.datetime(2026, 12, 6, tzinfo=dt.UTC), tick=False):
        assert procedures.close_due_procedures() == []
    # Closed: nobody answers any more.
    with pytest.raises(Exception, match="closed"):
        answer(procedure, people["iom"], "agree")


def test_a_written_procedure_is_adopted_when_all_have_agreed(people: dict[str, Any]) -> None:
    with time_machine.travel(OPENED, tick=False) as traveller:
        procedure = open_procedure(people, "written")
        answer(procedure, people["iom"], "agree")
        traveller.shift(dt.timedelta(hours=1))
        # A later answer replaces the earlier one; both stay in the trail.
        answer(procedure, people["iom"], "agree")
        procedure.refresh_from_db()
        assert procedure.state == "open"
        traveller.shift(dt.timedelta(hours=1))
        answer(procedure, people["home"], "agree")
    procedure.refresh_from_db()
    assert (procedure.state, procedure.outcome) == ("adopted", "all_agreed")
    assert procedure.closed_on == dt.date(2026, 12, 1)
    assert ProcedureAnswer.objects.filter(procedure=procedure).count() == 3
    assert (
        ProcedureAnswer.objects.filter(procedure=procedure, replaced_at__isnull=True).count() == 2
    )
    decision = Decision.objects.get(procedure=procedure)
    # Members' by default: not in the public register, in a member's.
    assert decision.classification == "members"
    assert Client().get("/api/v1/decisions").json()["count"] == 0
    member = Client()
    member.force_login(people["home"])
    assert member.get("/api/v1/decisions").json()["count"] == 1
    assert "2027 work plan" not in Client().get("/decisions/feed/").content.decode()


def test_a_written_procedure_without_every_agreement_lapses_at_its_deadline(
    people: dict[str, Any],
) -> None:
    with time_machine.travel(OPENED, tick=False):
        procedure = open_procedure(people, "written")
        answer(procedure, people["iom"], "agree")
    with time_machine.travel(dt.datetime(2026, 12, 5, 8, tzinfo=dt.UTC), tick=False):
        closed = procedures.close_due_procedures()
    assert [p.pk for p in closed] == [procedure.pk]
    procedure.refresh_from_db()
    assert (procedure.state, procedure.outcome) == ("broken", "incomplete")
    assert not Decision.objects.filter(procedure=procedure).exists()


def test_the_api_opens_answers_and_refuses(people: dict[str, Any], api_client: Any) -> None:
    with time_machine.travel(OPENED, tick=False):
        sec = api_client(people["secretariat"])
        body = {"kind": "written", "text": "Adopt the note.", "closes": "2026-12-10"}
        assert (
            api_client(people["iom"])
            .post("/api/v1/procedures", body, content_type="application/json")
            .status_code
            == 403
        )
        made = sec.post(
            "/api/v1/procedures",
            {**body, "partners": ["IOM", "DG HOME"]},
            content_type="application/json",
        )
        assert made.status_code == 201, made.content
        pk, version = made.json()["id"], made.json()["version"]
        assert made.json()["partners"] == ["DG HOME", "IOM"]
        unknown = sec.post(
            "/api/v1/procedures", {**body, "partners": ["NOPE"]}, content_type="application/json"
        )
        assert unknown.status_code == 422
        past = sec.post(
            "/api/v1/procedures", {**body, "closes": "2026-11-30"}, content_type="application/json"
        )
        assert past.status_code == 422
        url = f"/api/v1/procedures/{pk}/answer"
        # A contributor answers for nobody; a reasonless objection is refused.
        refused = api_client(people["contributor"]).post(
            url, {"answer": "agree"}, content_type="application/json"
        )
        assert refused.status_code == 403
        iom = api_client(people["iom"])
        assert (
            iom.post(url, {"answer": "object"}, content_type="application/json").status_code == 422
        )
        # The secretariat moves the deadline: an answer on the version read before is stale.
        moved = sec.patch(
            f"/api/v1/procedures/{pk}",
            {"version": version, "closes": "2026-12-12"},
            content_type="application/json",
        )
        assert moved.status_code == 200
        assert moved.json()["closes"] == "2026-12-12"
        stale = iom.post(
            url, {"answer": "agree", "version": version}, content_type="application/json"
        )
        assert stale.status_code == 409
        done = iom.post(url, {"answer": "agree"}, content_type="application/json")
        assert done.status_code == 200
        assert done.json()["state"] == "open"
        listed = sec.get("/api/v1/procedures?state=open").json()
        assert [item["id"] for item in listed["items"]] == [pk]
        # Members' procedure: the public does not see it.
        assert Client().get(f"/api/v1/procedures/{pk}").status_code == 404
        assert Client().get("/api/v1/procedures").json()["count"] == 0


def test_a_focal_point_answers_on_the_page(people: dict[str, Any]) -> None:
    with time_machine.travel(OPENED, tick=False):
        sec = Client()
        sec.force_login(people["secretariat"])
        opened = sec.post(
            "/procedures/new/",
            {
                "kind": "silence",
                "text": "Adopt the terms of reference.",
                "closes": "2026-12-08",
                "partners": ["IOM", "DG HOME"],
                "classification": "members",
            },
        )
        assert opened.status_code == 302, opened.content.decode()
        procedure = Procedure.objects.get()
        focal = Client()
        focal.force_login(people["iom"])
        page = focal.get(f"/procedures/{procedure.pk}/").content.decode()
        assert "You answer for IOM." in page
        sent = focal.post(
            f"/procedures/{procedure.pk}/answer/",
            {"answer": "agree", "partner": "IOM", "version": procedure.version},
        )
        assert sent.status_code == 302
        page = focal.get(f"/procedures/{procedure.pk}/").content.decode()
        assert "Agrees" in page
        assert "No answer yet" in page
        outsider = Client()
        outsider.force_login(people["contributor"])
        assert (
            outsider.post(
                f"/procedures/{procedure.pk}/answer/", {"answer": "agree", "version": 1}
            ).status_code
            == 403
        )

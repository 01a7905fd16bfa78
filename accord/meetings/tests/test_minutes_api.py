"""The minutes and decisions API: the routes, their bodies and their refusals."""

import json

import pytest

from accord.access.models import AuditEvent
from accord.meetings.models import ActionPoint

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/som-3/minutes"


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def sec(api_client, secretariat):
    return api_client(secretariat)


@pytest.fixture
def member(api_client, make_user, reference):
    return api_client(make_user("member", ("EEAS", "member")))


def test_minutes_from_first_put_to_correction(sec, member, client):
    text = "# Minutes\n\nOpened.\n\nACTION [IOM] due 2027-03-31: share the returns figures\n"
    assert sec.get(BASE).status_code == 404
    assert send(member, "put", BASE, {"text": "x"}).status_code == 403
    assert send(client, "put", BASE, {"text": "x"}).status_code == 401
    created = send(sec, "put", BASE, {"text": text})
    assert created.status_code == 200, created.content
    body = created.json()
    assert set(body) == {"text", "html", "status", "version", "revision"}
    assert (body["status"], body["revision"], body["text"]) == ("draft", 1, text)
    assert 'id="p-' in body["html"]
    assert send(sec, "put", BASE, {"text": text + "More."}).status_code == 409  # no version
    same = send(sec, "put", BASE, {"text": text, "version": body["version"]}).json()
    assert same["revision"] == 1
    second = send(sec, "put", BASE, {"text": text + "\nMore.\n", "version": body["version"]})
    assert second.json()["revision"] == 2
    stale = send(sec, "put", BASE, {"text": "Stale", "version": body["version"]})
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert member.get(BASE).status_code == 404  # a draft is the secretariat's

    assert send(member, "post", f"{BASE}/circulate", {}).status_code == 404  # hidden draft
    circulated = send(sec, "post", f"{BASE}/circulate", {"deadline": "2099-01-31"})
    assert circulated.json()["status"] == "circulated"
    assert member.get(BASE).json()["status"] == "circulated"
    assert send(member, "post", f"{BASE}/approve", {}).status_code == 403

    comment = send(member, "post", f"{BASE}/comments", {"text": "Fine by us."})
    assert comment.status_code == 201, comment.content
    paragraph = "p-" + member.get(BASE).json()["html"].split('id="p-')[2].split('"')[0]
    amendment = send(
        member,
        "post",
        f"{BASE}/comments",
        {
            "kind": "amendment",
            "paragraph": paragraph,
            "text": "Say who",
            "proposed_text": "The co-chairs opened.",
        },
    ).json()
    listed = member.get(f"{BASE}/comments").json()
    assert listed["count"] == 2
    assert (
        send(
            member, "post", f"{BASE}/comments/{amendment['id']}/resolve", {"accept": True}
        ).status_code
        == 403
    )
    accepted = send(sec, "post", f"{BASE}/comments/{amendment['id']}/resolve", {"accept": True})
    assert accepted.json()["status"] == "accepted"
    assert "The co-chairs opened." in sec.get(BASE).json()["text"]

    revisions = sec.get(f"{BASE}/revisions").json()
    assert revisions["count"] == 3
    assert set(revisions["items"][0]) >= {"number", "at", "author", "reason"}
    diff = sec.get(f"{BASE}/diff", {"from": 2, "to": 3}).json()
    assert "+The co-chairs opened." in diff["diff"]
    assert sec.get(f"{BASE}/diff", {"from": 1, "to": 9}).status_code == 404
    assert sec.get(f"{BASE}/diff", {"from": "one", "to": 2}).status_code == 422

    approved = send(sec, "post", f"{BASE}/approve", {})
    assert approved.json()["status"] == "approved"
    assert ActionPoint.objects.filter(text="share the returns figures").exists()
    assert client.get(BASE).json()["status"] == "approved"
    version = approved.json()["version"]
    locked = send(sec, "put", BASE, {"text": "Rewritten", "version": version})
    assert locked.status_code == 409
    assert send(sec, "post", f"{BASE}/approve", {}).status_code == 409
    assert send(sec, "post", f"{BASE}/correct", {"text": "Fixed", "reason": ""}).status_code == 422
    corrected = send(sec, "post", f"{BASE}/correct", {"text": "Fixed.", "reason": "Typo"})
    assert corrected.status_code == 200
    assert sec.get(f"{BASE}/revisions").json()["items"][-1]["reason"] == "Typo"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"minutes.circulated", "minutes.approved", "minutes.corrected"} <= verbs


def test_decisions_record_patch_and_register(sec, member, client):
    url = "/api/v1/meetings/som-3/decisions"
    refused = send(sec, "post", url, {"text": "Share figures", "commitments": ["JVAP-1", "NOPE-9"]})
    assert refused.status_code == 422
    assert "NOPE-9" in refused.json()["detail"]
    assert send(member, "post", url, {"text": "Share figures"}).status_code == 403
    first = send(sec, "post", url, {"text": "Share figures", "commitments": ["JVAP-1"]})
    assert first.status_code == 201, first.content
    decision = first.json()
    assert (decision["number"], decision["commitments"], decision["meeting"]) == (
        1,
        ["JVAP-1"],
        "som-3",
    )
    second = send(sec, "post", url, {"text": "Meet again", "classification": "members"}).json()
    assert second["number"] == 2
    patch = f"/api/v1/decisions/{decision['id']}"
    patched = send(
        sec, "patch", patch, {"version": decision["version"], "commitments": ["JVAP-1", "JVAP-2"]}
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["version"] == decision["version"] + 1
    stale = send(sec, "patch", patch, {"version": decision["version"], "text": "Late"})
    assert stale.status_code == 409
    unknown = send(
        sec, "patch", patch, {"version": patched.json()["version"], "commitments": ["JVAP-99"]}
    )
    assert unknown.status_code == 422
    assert send(member, "patch", patch, {"version": 2, "text": "x"}).status_code == 403
    on_meeting = sec.get("/api/v1/meetings/som-3").json()["decisions"]
    assert on_meeting[0]["commitments"] == ["JVAP-1", "JVAP-2"]
    register = sec.get("/api/v1/decisions", {"commitment": "JVAP-2"}).json()
    assert [item["id"] for item in register["items"]] == [decision["id"]]
    assert sec.get("/api/v1/decisions", {"tier": "som", "year": 2016}).json()["count"] == 2
    assert decision["classification"] == "public"  # the meeting's
    assert client.get("/api/v1/decisions").json()["count"] == 1  # only the public one
    assert sec.get("/api/v1/decisions", {"meeting": "som-4"}).json()["count"] == 0
    assert "decision.recorded" in set(AuditEvent.objects.values_list("verb", flat=True))


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/meetings/{key}/minutes",
        "/api/v1/meetings/{key}/minutes/circulate",
        "/api/v1/meetings/{key}/minutes/approve",
        "/api/v1/meetings/{key}/minutes/correct",
        "/api/v1/meetings/{key}/minutes/revisions",
        "/api/v1/meetings/{key}/minutes/diff",
        "/api/v1/meetings/{key}/minutes/comments",
        "/api/v1/meetings/{key}/decisions",
        "/api/v1/decisions",
        "/api/v1/decisions/{decision_id}",
    ):
        assert path in paths
    assert {"get", "put"} <= set(paths["/api/v1/meetings/{key}/minutes"])
    assert {"get", "post"} <= set(paths["/api/v1/meetings/{key}/minutes/comments"])
    assert "patch" in paths["/api/v1/decisions/{decision_id}"]


def test_an_agenda_commitment_with_an_unknown_code_is_refused(som, secretariat):
    from accord.core.errors import Invalid
    from accord.meetings import services
    from accord.reports.services import agenda_commitment_link

    item = services.agenda_item_add(meeting=som(3), title="Valletta", by=secretariat)
    with pytest.raises(Invalid, match="JVAP-77") as refused:
        agenda_commitment_link(agenda_item=item, code="JVAP-77", by=secretariat)
    assert refused.value.status == 422
    assert (
        agenda_commitment_link(agenda_item=item, code=" JVAP-1 ", by=secretariat).commitment_code
        == "JVAP-1"
    )

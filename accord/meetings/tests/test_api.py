import datetime as dt
import json

import pytest
from django.utils import timezone

from accord.meetings import decisions, services
from accord.meetings.models import ActionPoint

pytestmark = pytest.mark.django_db


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def action_point(som, org):
    return services.action_point_create(
        meeting=som(3),
        text="Compile the evidence base on displacement",
        owners=[org("IOM")],
        due_date=dt.date(2016, 12, 31),
    )


def test_soms_are_listed_with_their_real_dates(client, reference):
    body = client.get("/api/v1/meetings", {"tier": "som"}).json()
    assert body["count"] == 11
    assert [item["date"] for item in body["items"][:3]] == [
        "2013-05-03",
        "2014-10-01",
        "2016-02-16",
    ]
    assert [item["key"] for item in body["items"]][7:] == ["som-8", "som-9", "som-10", "som-11"]
    eighth = body["items"][7]
    assert (eighth["date"], eighth["date_precision"], eighth["title"]) == (
        "2021",
        "year",
        "8th Senior Officials Meeting",
    )


def test_meeting_filters(client, reference):
    assert client.get("/api/v1/meetings", {"year": 2016}).json()["count"] == 1
    assert client.get("/api/v1/meetings", {"status": "planned"}).json()["count"] == 0
    assert client.get("/api/v1/meetings", {"tier": "nope"}).status_code == 404
    assert client.get("/api/v1/meetings", {"year": "soon"}).status_code == 422


def test_meeting_by_key_or_id(client, som, action_point, iom_focal, api_client):
    by_key = api_client(iom_focal).get("/api/v1/meetings/som-3").json()
    by_id = api_client(iom_focal).get(f"/api/v1/meetings/{som(3).pk}").json()
    assert by_key == by_id
    assert by_key["key"] == "som-3"
    assert by_key["host"] == "DG DEVCO"  # named as it was on the meeting's date
    assert by_key["uncertain"] == ["host"]
    assert by_key["events"] == ["DG NEAR joins the framework by exchange of letters"]
    assert [ap["id"] for ap in by_key["action_points"]] == [action_point.pk]
    assert {"agenda", "decisions", "follow_up", "participants", "documents"} <= set(by_key)


@pytest.mark.parametrize("key", ["som-99", "nope-1", "som-0", "som", "999999"])
def test_unknown_meeting_is_404(client, reference, key):
    response = client.get(f"/api/v1/meetings/{key}")
    assert response.status_code == 404
    assert key in response.json()["detail"]


def test_members_only_meeting_is_missing_to_the_public(client, som, secretariat):
    meeting = services.meeting_create(tier=som(1).tier, date="2026-03-02", by=secretariat)
    assert meeting.classification == "members"
    assert client.get("/api/v1/meetings/som-12").status_code == 404
    assert client.get("/api/v1/meetings", {"tier": "som"}).json()["count"] == 11


def test_secretariat_records_an_action_point(api_client, som, secretariat):
    decision = decisions.decision_record(meeting=som(3), text="Strengthen the evidence base")
    response = send(
        api_client(secretariat),
        "post",
        "/api/v1/meetings/som-3/action-points",
        {
            "text": "Draft a note on data sharing",
            "owners": ["IOM", "DG DEVCO"],
            "assignee": "Laura Thompson",
            "due_date": "2016-06-30",
            "raised_by_decision": decision.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("meeting", "owners", "assignee", "status", "version")} == {
        "meeting": "som-3",
        "owners": ["DG INTPA", "IOM"],
        "assignee": "Laura Thompson",
        "status": "open",
        "version": 1,
    }
    assert ActionPoint.objects.get().raised_by_decision == decision


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"text": "x", "owners": []}, 422, "at least one owner"),
        ({"text": "x", "owners": ["IOM"], "due_date": "2016-02-15"}, 422, "before the meeting"),
        ({"text": "x", "owners": ["NOPE"]}, 404, "NOPE"),
        ({"text": "x", "owners": ["IOM"], "status": "finished"}, 422, "status"),
        ({"text": "x", "owners": ["IOM"], "assignee": "Nobody"}, 422, "Nobody"),
        ({"text": "x", "owners": ["IOM"], "due_date": "soon"}, 422, "due_date"),
        ({"owners": ["IOM"]}, 422, "text"),
        ({"text": "x", "owners": ["IOM"], "raised_by_item": 12345}, 422, "agenda item"),
    ],
)
def test_bad_action_points_are_refused(api_client, som, secretariat, body, status, words):
    response = send(api_client(secretariat), "post", "/api/v1/meetings/som-3/action-points", body)
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert not ActionPoint.objects.exists()


def test_only_the_secretariat_records_action_points(api_client, client, som, iom_focal):
    body = {"text": "x", "owners": ["IOM"]}
    url = "/api/v1/meetings/som-3/action-points"
    assert send(client, "post", url, body).status_code == 401
    assert send(api_client(iom_focal), "post", url, body).status_code == 403
    assert not ActionPoint.objects.exists()


def test_stale_patch_is_409_and_changes_nothing(api_client, action_point, secretariat, iom_focal):
    url = f"/api/v1/action-points/{action_point.pk}"
    first = send(api_client(iom_focal), "patch", url, {"status": "in_progress", "version": 1})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = send(
        api_client(secretariat), "patch", url, {"status": "dropped", "text": "y", "version": 1}
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    action_point.refresh_from_db()
    assert (action_point.status, action_point.text, action_point.version) == (
        "in_progress",
        "Compile the evidence base on displacement",
        2,
    )


def test_patch_by_the_secretariat(api_client, action_point, secretariat):
    url = f"/api/v1/action-points/{action_point.pk}"
    body = {"owners": ["IOM", "EEAS"], "due_date": "2017-03-01", "version": 1}
    response = send(api_client(secretariat), "patch", url, body)
    assert response.status_code == 200, response.content
    assert (response.json()["owners"], response.json()["due_date"]) == (
        ["EEAS", "IOM"],
        "2017-03-01",
    )
    bad = send(api_client(secretariat), "patch", url, {"due_date": "2015-01-01", "version": 2})
    assert bad.status_code == 422
    missing = send(api_client(secretariat), "patch", url, {"status": "done"})
    assert missing.status_code == 422
    assert "version" in missing.json()["detail"]


def test_focal_point_cannot_update_another_partners_action_point(
    api_client, action_point, home_focal
):
    url = f"/api/v1/action-points/{action_point.pk}"
    patch = send(api_client(home_focal), "patch", url, {"status": "done", "version": 1})
    assert patch.status_code == 403
    progress = send(api_client(home_focal), "post", url + "/updates", {"text": "Done by us"})
    assert progress.status_code == 403
    action_point.refresh_from_db()
    assert (action_point.status, action_point.version, action_point.updates.count()) == (
        "open",
        1,
        0,
    )


def test_progress_shows_in_the_next_soms_follow_up(api_client, action_point, iom_focal, client):
    response = send(
        api_client(iom_focal),
        "post",
        f"/api/v1/action-points/{action_point.pk}/updates",
        {"text": "Draft circulated to the partners", "on": "2016-09-01", "status": "in_progress"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["updates"][0]["author"] == "iom-focal"
    fourth = api_client(iom_focal).get("/api/v1/meetings/som-4").json()
    (carried,) = fourth["follow_up"]
    assert (carried["id"], carried["meeting"], carried["status"]) == (
        action_point.pk,
        "som-3",
        "in_progress",
    )
    assert carried["updates"] == [
        {
            "on": "2016-09-01",
            "text": "Draft circulated to the partners",
            "status": "in_progress",
            "author": "iom-focal",
        }
    ]
    # Classified for members: the public sees no follow-up.
    assert client.get("/api/v1/meetings/som-4").json()["follow_up"] == []


def test_action_register_filters(api_client, som, org, secretariat):
    today = timezone.localdate()
    overdue = services.action_point_create(
        meeting=som(9), text="late", owners=[org("DG HOME")], due_date=dt.date(2023, 1, 1)
    )
    services.action_point_create(
        meeting=som(9), text="future", owners=[org("DG HOME")], due_date=today + dt.timedelta(9)
    )
    done = services.action_point_create(
        meeting=som(9), text="done", owners=[org("IOM")], due_date=dt.date(2023, 1, 1)
    )
    services.action_point_update(action_point=done, data={"status": "done"}, version=1)
    reader = api_client(secretariat)

    def texts(**query):
        response = reader.get("/api/v1/action-points", query)
        assert response.status_code == 200, response.content
        return [item["text"] for item in response.json()["items"]]

    assert texts() == ["late", "done", "future"]
    assert texts(owner="DG HOME") == ["late", "future"]
    assert texts(owner="dg-home", status="open", overdue="true") == ["late"]
    assert texts(overdue="true") == ["late"]
    assert texts(status="done") == ["done"]
    assert texts(status="open,done") == ["late", "done", "future"]
    assert texts(due_before=str(today)) == ["late", "done"]
    assert texts(tier="som", owner="IOM") == ["done"]
    first = reader.get("/api/v1/action-points", {"limit": 1}).json()
    assert first["count"] == 3
    assert first["items"][0]["meeting"] == "som-9"
    assert first["items"][0]["owners"] == ["DG HOME"]
    assert overdue.pk == first["items"][0]["id"]


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({"status": "finished"}, 422, "finished"),
        ({"owner": "NOPE"}, 404, "NOPE"),
        ({"tier": "nope"}, 404, "nope"),
        ({"overdue": "maybe"}, 422, "overdue"),
        ({"due_before": "2016-13-01"}, 422, "due_before"),
    ],
)
def test_action_register_bad_filters(client, reference, query, status, words):
    response = client.get("/api/v1/action-points", query)
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_action_point_unknown_or_hidden(client, action_point):
    assert client.get("/api/v1/action-points/999999").status_code == 404
    hidden = client.get(f"/api/v1/action-points/{action_point.pk}")
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "not_found"


def test_openapi_lists_the_meeting_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/meetings",
        "/api/v1/meetings/{key}",
        "/api/v1/action-points",
        "/api/v1/meetings/{key}/action-points",
        "/api/v1/action-points/{ap_id}",
        "/api/v1/action-points/{ap_id}/updates",
    } <= set(paths)

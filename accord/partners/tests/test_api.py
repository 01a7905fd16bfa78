import pytest

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/frameworks/eu-iom-scf/members"


def acronyms(response):
    assert response.status_code == 200, response.content
    return [item["acronym"] for item in response.json()["items"]]


def test_members_on_dates(client, reference):
    assert acronyms(client.get(MEMBERS, {"on": "2015-06-01"})) == [
        "DG DEVCO",
        "DG ECHO",
        "DG HOME",
        "EEAS",
        "IOM",
    ]
    assert "DG NEAR" in acronyms(client.get(MEMBERS, {"on": "2016-03-01"}))
    on_2022 = client.get(MEMBERS, {"on": "2022-01-01"}).json()["items"]
    intpa = next(item for item in on_2022 if item["acronym"] == "DG INTPA")
    assert intpa["name"] == "Directorate-General for International Partnerships"


def test_list_shape_and_paging(client, reference):
    body = client.get("/api/v1/partners", {"limit": 3, "offset": 2}).json()
    assert body["count"] == 8
    assert len(body["items"]) == 3
    assert {"acronym", "name", "kind", "parent", "names", "version"} <= set(body["items"][0])


def test_partner_by_former_acronym(client, reference):
    body = client.get("/api/v1/partners/DG DEVCO").json()
    assert body["acronym"] == "DG INTPA"
    assert [n["acronym"] for n in body["names"]] == ["DG DEVCO", "DG INTPA"]


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        (MEMBERS + "?on=2016-13-45", 422, "'on'"),
        (MEMBERS + "?limit=abc", 422, "'limit'"),
        ("/api/v1/partners/NOPE", 404, "NOPE"),
        ("/api/v1/frameworks/nope/members", 404, "nope"),
        ("/api/v1/frameworks/nope/timeline", 404, "nope"),
        ("/api/v1/frameworks/eu-iom-scf/timeline?latest=0", 422, "'latest'"),
    ],
)
def test_bad_input_gets_a_clear_4xx(client, reference, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert words in response.json()["detail"]


TIMELINE = "/api/v1/frameworks/eu-iom-scf/timeline"


def test_the_timeline_of_the_reference_framework(client, reference):
    body = client.get(TIMELINE).json()
    events = [(e["date"], e["kind"], e["partner"], e["text"]) for e in body["items"]]
    assert body["count"] == 7
    # Five founders in July 2012 (the month is all that is known), under their names then.
    assert events[0] == ("2012-07", "joined", "DG INTPA", "DG DEVCO joins (Founding act)")
    assert [e[2] for e in events[:5]] == ["DG INTPA", "DG ECHO", "DG HOME", "EEAS", "IOM"]
    assert events[5] == ("2016-02-16", "joined", "DG NEAR", "DG NEAR joins (Exchange of letters)")
    renamed = body["items"][6]
    assert renamed["text"] == (
        "DG DEVCO becomes DG INTPA (Directorate-General for International Partnerships)"
    )
    assert (renamed["date"], renamed["uncertain"]) == ("2021-01-16", True)
    assert "iom.int" in body["items"][5]["source"]


def test_the_latest_of_the_timeline_are_its_tail(client, reference):
    whole = client.get(TIMELINE).json()["items"]
    latest = client.get(TIMELINE, {"latest": 2}).json()
    assert latest["count"] == 2
    assert latest["items"] == whole[-2:]


def test_unknown_token_is_refused(client, reference):
    response = client.get("/api/v1/partners", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert "unknown" in response.json()["detail"]


def test_valid_token_authenticates(api_client, make_user, reference):
    user = make_user("alice", ("IOM", "member"))
    assert api_client(user).get("/api/v1/partners").status_code == 200


def test_openapi_document(client):
    body = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/frameworks/{code}/members" in body["paths"]


def test_write_without_token_is_401(client, reference):
    response = client.patch(
        "/api/v1/partners/IOM",
        {"version": 1, "website": "https://x.example"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_write_by_a_member_is_403(api_client, make_user, reference):
    client = api_client(make_user("m", ("IOM", "member")))
    response = client.patch(
        "/api/v1/partners/IOM",
        {"version": 1, "website": "https://x.example"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_secretariat_edits_and_a_stale_version_gets_409(api_client, make_user, reference):
    client = api_client(make_user("s", ("IOM-RO-BRU", "secretariat")))
    first = client.patch(
        "/api/v1/partners/IOM",
        {"version": 1, "website": "https://www.iom.int"},
        content_type="application/json",
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = client.patch(
        "/api/v1/partners/IOM",
        {"version": 1, "website": "https://other.example"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    assert client.get("/api/v1/partners/IOM").json()["website"] == "https://www.iom.int"


def test_write_with_bad_body_is_422(api_client, make_user, reference):
    client = api_client(make_user("s", ("IOM-RO-BRU", "secretariat")))
    response = client.patch(
        "/api/v1/partners/IOM", {"website": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "'version'" in response.json()["detail"]
    bad_kind = client.patch(
        "/api/v1/partners/IOM",
        {"version": 1, "kind": "nonsense"},
        content_type="application/json",
    )
    assert bad_kind.status_code == 422
    assert "kind" in bad_kind.json()["detail"]

from pathlib import Path

import pytest

from accord.commitments.models import CycleEntry, Initiative

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def test_instruments_and_tree(client, reference):
    body = client.get("/api/v1/instruments").json()
    assert body["count"] == 5
    jvap = next(i for i in body["items"] if i["code"] == "JVAP")
    assert jvap["commitments"] == 5
    tree = client.get("/api/v1/instruments/SDG/commitments").json()
    target = next(node for node in tree if node["code"] == "SDG-10.7")
    assert [c["code"] for c in target["children"]][:2] == ["SDG-10.7.1", "SDG-10.7.2"]


def test_titles_follow_the_reader_language(client, reference):
    from accord.commitments.models import Commitment

    Commitment.objects.filter(code="JVAP-2").update(
        title={"en": "Legal migration and mobility", "fr": "Migration légale et mobilité"}
    )
    tree = client.get("/api/v1/instruments/JVAP/commitments", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert tree[1]["title"] == "Migration légale et mobilité"
    assert tree[0]["title"].startswith("Development")  # no French: English


def test_coverage(client, reference):
    body = client.get("/api/v1/instruments/JVAP/coverage").json()
    domains = {node["code"]: node for node in body["commitments"]}
    assert domains["JVAP-5"]["initiatives"] == 1
    assert domains["JVAP-5"]["countries"] == 22
    assert set(body["gaps"]) == {"JVAP-1", "JVAP-2", "JVAP-4"}


def test_initiative_filters(client, api_client, roles):
    api_client(roles["secretariat"]).post(
        "/api/v1/imports/iati", {"file": (DATA / "spain-maec-indonesia-v2.01.xml").open("rb")}
    )
    sec = api_client(roles["secretariat"])
    assert sec.get("/api/v1/initiatives", {"country": "IDN"}).json()["count"] == 83
    assert (
        sec.get("/api/v1/initiatives", {"country": "360", "status": "completed"}).json()["count"]
        == Initiative.objects.filter(status="completed", places__code="360").count()
    )
    assert (
        client.get("/api/v1/initiatives", {"country": "IDN"}).json()["count"] == 0
    )  # members only
    assert client.get("/api/v1/initiatives", {"commitment": "JVAP"}).status_code == 404
    jvap5 = client.get("/api/v1/initiatives", {"commitment": "JVAP-5", "partner": "IOM"}).json()
    assert jvap5["count"] == 1
    assert jvap5["items"][0]["places"][0]["iso3"]


def test_write_with_versions_and_conflict(api_client, roles):
    contributor = api_client(roles["contributor"])
    created = contributor.post(
        "/api/v1/initiatives",
        {
            "title": {"en": "Reintegration in Gambia", "fr": "Réintégration en Gambie"},
            "partner": "DG HOME",
            "commitments": ["JVAP-5"],
            "countries": ["GMB"],
            "fundings": [{"amount": "1000000", "currency": "EUR", "funder": "DG HOME"}],
            "start": "2021-03",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["start"], body["places"][0]["code"], body["version"]) == ("2021-03", "270", 1)
    url = f"/api/v1/initiatives/{body['id']}"
    first = contributor.patch(
        url, {"status": "completed", "version": 1}, content_type="application/json"
    )
    assert first.status_code == 200
    assert first.json()["progress"] == 100
    stale = contributor.patch(
        url, {"status": "planned", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    other = api_client(roles["other_focal"]).patch(
        url, {"status": "planned", "version": 2}, content_type="application/json"
    )
    assert other.status_code == 403


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"title": {"en": "x"}, "partner": "DG HOME", "countries": ["XX"]}, 422, "XX"),
        ({"title": {"en": "x"}, "partner": "DG HOME", "commitments": ["NOPE"]}, 422, "NOPE"),
        ({"title": {"en": "x"}, "partner": "DG HOME", "start": "2021-13"}, 422, "start"),
        ({"title": {"en": "x"}, "partner": "DG HOME", "status": "dreaming"}, 422, "status"),
        ({"partner": "DG HOME"}, 422, "title"),
    ],
)
def test_bad_writes_get_a_clear_4xx(api_client, roles, payload, status, words):
    response = api_client(roles["contributor"]).post(
        "/api/v1/initiatives", payload, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]


def test_writes_need_authentication(client, reference):
    response = client.post("/api/v1/initiatives", {}, content_type="application/json")
    assert response.status_code == 401


def test_cycle_transitions_through_the_api(api_client, roles):
    from accord.commitments.cycles import cycle_open

    initiative = Initiative.objects.create(
        title={"en": "X"}, partner_id=roles["focal"].accord_roles.get().organisation_id
    )
    import datetime as dt

    cycle_open(
        user=roles["secretariat"],
        name="2024",
        opens_on=dt.date(2024, 1, 1),
        closes_on=dt.date(2024, 3, 1),
    )
    base = "/api/v1/cycles/2024/entries"
    drafted = api_client(roles["contributor"]).post(
        base, {"initiative": initiative.pk}, content_type="application/json"
    )
    assert drafted.status_code == 201, drafted.content
    url = f"{base}/{initiative.pk}"
    assert (
        api_client(roles["contributor"])
        .post(f"{url}/submit", {}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        api_client(roles["focal"])
        .post(f"{url}/submit", {}, content_type="application/json")
        .json()["state"]
        == "submitted"
    )
    refused = api_client(roles["contributor"]).post(
        f"{url}/verify", {}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert (
        api_client(roles["secretariat"])
        .post(f"{url}/verify", {"version": 99}, content_type="application/json")
        .status_code
        == 409
    )
    verified = api_client(roles["secretariat"]).post(
        f"{url}/verify", {}, content_type="application/json"
    )
    assert verified.json()["state"] == "verified"
    assert CycleEntry.objects.get().state == "verified"
    assert (
        api_client(roles["secretariat"])
        .post(f"{url}/dance", {}, content_type="application/json")
        .status_code
        == 404
    )


def test_import_through_the_api_is_for_focal_points_and_secretariat(api_client, roles):
    path = DATA / "iom-somalia-idps-single-activity.xml"
    refused = api_client(roles["contributor"]).post(
        "/api/v1/imports/iati", {"file": path.open("rb")}
    )
    assert refused.status_code == 403
    home = api_client(roles["focal"]).post("/api/v1/imports/iati", {"file": path.open("rb")})
    assert home.status_code == 422  # an IOM activity: not DG HOME's to import
    assert not Initiative.objects.filter(iati_identifier__startswith="XM-DAC").exists()
    iom = api_client(roles["other_focal"]).post("/api/v1/imports/iati", {"file": path.open("rb")})
    assert iom.status_code == 200, iom.content
    assert iom.json()["created"] == 1


def test_openapi_lists_the_commitment_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/instruments",
        "/api/v1/instruments/{code}/commitments",
        "/api/v1/instruments/{code}/coverage",
        "/api/v1/initiatives",
        "/api/v1/initiatives/{initiative_id}",
        "/api/v1/cycles/{name}/entries/{initiative_id}/{action}",
        "/api/v1/imports/{kind}",
    ):
        assert path in paths

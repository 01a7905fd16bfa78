"""The API twins of the tree and target pages, with their refusals."""

import pytest

from accord.evidence.models import Indicator, Place, PlaceKind

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_add_edit_and_recode_commitments_through_the_api(api_client, roles):
    secretariat = api_client(roles["secretariat"])
    body = {
        "instrument": "JVAP",
        "code": "JVAP-2.9",
        "titles": {"en": "Talent", "fr": "Talents"},
        "parent": "JVAP-2",
    }
    assert api_client().post("/api/v1/commitments", body, content_type=JSON).status_code == 401
    refused = api_client(roles["focal"]).post("/api/v1/commitments", body, content_type=JSON)
    assert refused.status_code == 403
    made = secretariat.post("/api/v1/commitments", body, content_type=JSON)
    assert made.status_code == 201, made.content
    assert made.json()["titles"] == {"en": "Talent", "fr": "Talents"}
    again = secretariat.post("/api/v1/commitments", body, content_type=JSON)
    assert again.status_code == 422
    foreign = secretariat.post(
        "/api/v1/commitments",
        {**body, "code": "X-1", "parent": "SDG-10.7"},
        content_type=JSON,
    )
    assert foreign.status_code == 422
    recoded = secretariat.patch(
        "/api/v1/commitments/JVAP-2.9",
        {"code": "JVAP-2.10", "version": 1},
        content_type=JSON,
    )
    assert recoded.status_code == 200, recoded.content
    assert recoded.json()["former_codes"] == ["JVAP-2.9"]
    assert api_client().get("/api/v1/commitments/JVAP-2.9").json()["code"] == "JVAP-2.10"
    stale = secretariat.patch(
        "/api/v1/commitments/JVAP-2.10", {"titles": {"en": "x"}, "version": 1}, content_type=JSON
    )
    assert stale.status_code == 409
    assert api_client().get("/api/v1/commitments/NOPE").status_code == 404


def test_targets_through_the_api(api_client, roles):
    indicator = Indicator.objects.create(code="DEATHS", name="Deaths", direction="down")
    Place.objects.get_or_create(
        code="434", defaults={"name": "Libya", "kind": PlaceKind.COUNTRY, "iso3": "LBY"}
    )
    url = f"/api/v1/indicators/{indicator.code}/targets"
    target = {"place": "LBY", "year": 2030, "value": 15}
    assert api_client(roles["focal"]).post(url, target, content_type=JSON).status_code == 403
    assert (
        api_client(roles["secretariat"])
        .post(url, {**target, "place": "NOWHERE"}, content_type=JSON)
        .status_code
        == 422
    )
    made = api_client(roles["secretariat"]).post(url, target, content_type=JSON)
    assert made.status_code == 201, made.content
    listed = api_client().get(url).json()
    assert listed["items"][0]["place_name"] == "Libya"
    gone = api_client(roles["secretariat"]).delete(f"{url}/{made.json()['id']}")
    assert gone.status_code == 204
    assert api_client().get(url).json()["count"] == 0
    assert api_client().get("/api/v1/indicators/NOPE/targets").status_code == 404

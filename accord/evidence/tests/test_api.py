import pytest

from accord.evidence.models import Observation

pytestmark = pytest.mark.django_db

BASE = "/api/v1/indicators"


def test_list_and_detail(client, reference):
    body = client.get(BASE, {"limit": 5}).json()
    assert body["count"] == 14
    assert len(body["items"]) == 5
    detail = client.get(f"{BASE}/IDMC_NEW_DISPLACEMENTS").json()
    assert detail["dimensions"] == {"cause": ["conflict", "disaster"]}
    assert client.get(f"{BASE}/MMP_DEAD_MISSING").json()["commitments"] == ["SDG-10.7.3"]


def test_observations_filters(client, reference):
    url = f"{BASE}/MMP_DEAD_MISSING/observations"
    body = client.get(url, {"place": "MEDITERRANEAN", "from": "2016", "to": "2018"}).json()
    assert [(i["period"], i["value"]) for i in body["items"]] == [
        ("2016", 5143),
        ("2017", 3139),
        ("2018", 2297),
    ]
    assert body["items"][0]["source"] == "IOM Missing Migrants Project"
    world = client.get(url, {"place": "1"}).json()  # M49 001, written as a number
    assert world["count"] == 11
    causes = client.get(f"{BASE}/IDMC_NEW_DISPLACEMENTS/observations", {"cause": "conflict"})
    assert causes.json()["count"] == 12
    totals = client.get(f"{BASE}/IDMC_NEW_DISPLACEMENTS/observations", {"cause": ""})
    assert {
        item["disaggregation"]["cause"] if item["disaggregation"] else ""
        for item in totals.json()["items"]
    } == {""}


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({"colour": "red"}, 422, "Unknown dimension 'colour'"),
        ({"cause": "war"}, 422, "Unknown category 'war'"),
        ({"from": "2015-13"}, 422, "'from'"),
        ({"to": "soon"}, 422, "'to'"),
        ({"place": "ATLANTIS"}, 422, "Unknown place code"),
    ],
)
def test_bad_filters_get_a_422(client, reference, query, status, words):
    response = client.get(f"{BASE}/IDMC_NEW_DISPLACEMENTS/observations", query)
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_unknown_indicator_is_404(client, reference):
    assert client.get(f"{BASE}/NOPE/observations").status_code == 404


def upload(client, text, name="figures.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{BASE}/import",
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"), **fields},
    )


GOOD = "Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,2\n"


def test_import_needs_focal_point_or_secretariat(api_client, make_user, reference):
    assert upload(api_client(), GOOD, indicator="MMP_DEAD_MISSING").status_code == 401
    member = api_client(make_user("m", ("EEAS", "member")))
    assert upload(member, GOOD, indicator="MMP_DEAD_MISSING").status_code == 403
    focal = api_client(make_user("f", ("IOM", "focal_point")))
    response = upload(focal, GOOD, indicator="MMP_DEAD_MISSING")
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == 2
    again = upload(focal, GOOD, indicator="MMP_DEAD_MISSING")
    assert again.json()["unchanged"] is True
    secretariat = api_client(make_user("s", ("IOM", "secretariat")))
    assert (
        upload(
            secretariat, GOOD, name="other.csv", indicator="MMP_DEAD_MISSING", place="FRA"
        ).status_code
        == 422
    )  # held by figures.csv


def test_refused_import_is_422_with_row_and_column(api_client, make_user, reference):
    focal = api_client(make_user("f", ("IOM", "focal_point")))
    before = Observation.objects.count()
    response = upload(
        focal, "Year,GeoCode,Value\n2019,FRA,1\n2020,FRA,lots\n", indicator="MMP_DEAD_MISSING"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["errors"] == [
        {"line": 3, "column": "Value", "message": "'lots' is not a number", "value": "lots"}
    ]
    assert Observation.objects.count() == before


def test_observations_page_through_plain_rows(client, reference):
    url = f"{BASE}/MMP_DEAD_MISSING/observations"
    everything = client.get(url, {"place": "MEDITERRANEAN"}).json()
    first = client.get(url, {"place": "MEDITERRANEAN", "limit": 2}).json()
    second = client.get(url, {"place": "MEDITERRANEAN", "limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] == everything["count"] > 4
    assert first["items"] + second["items"] == everything["items"][:4]
    item = first["items"][0]
    assert set(item) == {
        "place",
        "place_name",
        "period",
        "period_start",
        "period_end",
        "disaggregation",
        "value",
        "status",
        "source",
        "source_url",
        "note",
        "series",
        "units",
        "obs_status",
        "unit_multiplier",
    }
    assert item["place"] == "MEDITERRANEAN"
    assert item["period_end"].endswith("-12-31")


def test_import_answers_its_warnings(api_client, make_user, reference):
    focal = api_client(make_user("f", ("IOM", "focal_point")))
    text = "Year,GeoCode,Observation status,Value\n2019,FRA,Normal value,1\n2020,FRA,odd,2\n"
    response = upload(focal, text, name="w.csv", indicator="MMP_DEAD_MISSING")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rows"] == 2
    [warning] = body["warnings"]
    where = (warning["line"], warning["column"], warning["value"])
    assert where == (3, "Observation status", "odd")
    assert warning["severity"] == "warning"

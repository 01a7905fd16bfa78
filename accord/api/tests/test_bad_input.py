"""Odd and hostile input answers 4xx with a message, never 500: pages, exports and API."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

BIG = "99999999999999999999"  # past 2**63


@pytest.fixture
def client_500() -> Client:
    """A client that returns the 500 page rather than raising, as a browser would see it."""
    return Client(raise_request_exception=False)


def _refused_as_json(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"detail", "code"}
    for word in words:
        assert word in body["detail"], body
    return body


# Each test loops over its odd values: the reference record loads once per test.


def test_meeting_and_decision_years_out_of_range_are_422(reference, client_500):
    for year in ["-1", "0", "10000", "99999", "²", "2016.5", BIG]:
        _refused_as_json(client_500.get("/api/v1/meetings", {"year": year}), 422, "year")
        _refused_as_json(client_500.get("/api/v1/decisions", {"year": year}), 422, "year")


def test_a_year_in_range_still_filters(reference, client):
    assert client.get("/api/v1/meetings", {"year": "9999"}).json()["count"] == 0
    assert client.get("/api/v1/meetings", {"year": "2016"}).json()["count"] >= 1


def test_pages_and_exports_refuse_a_bad_year_or_date_with_a_message(reference, client_500):
    for year in ["99999", "²", "-1"]:
        page = client_500.get("/meetings/", {"year": year})
        assert page.status_code == 400
        assert b"year" in page.content
        assert b"message--error" in page.content
        export = client_500.get("/exports/meetings.csv", {"year": year})
        assert export.status_code == 400
        assert b"year" in export.content
    for due in ["99999-01-01", "2016-02-30", "²"]:
        assert client_500.get("/action-points/", {"due_before": due}).status_code == 400
        export = client_500.get("/exports/action-points.csv", {"due_before": due})
        assert export.status_code == 400


def _list_routes(client: Client) -> list[str]:
    """Every API operation that takes an ``offset``, with its path parameters filled."""
    document = client.get("/api/v1/openapi.json").json()
    routes = []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get and any(p["name"] == "offset" for p in get.get("parameters", [])):
            routes.append(path.replace("{", "").replace("}", ""))
    return routes


def test_an_offset_past_the_databases_integers_is_422_on_every_list(api_client, make_user):
    # As the secretariat, who may call every list (some need a token).
    client = api_client(make_user("sec", ("IOM-RO-BRU", "secretariat")))
    client.raise_request_exception = False
    routes = _list_routes(client)
    assert {"/api/v1/action-points", "/api/v1/initiatives"} <= set(routes)
    assert "/api/v1/indicators/code/observations" in routes
    for route in routes:
        for offset in (BIG, "-1", "²"):
            response = client.get(route, {"offset": offset})
            _refused_as_json(response, 422, "offset")
        _refused_as_json(client.get(route, {"limit": BIG}), 422, "limit")


def test_every_list_bounds_its_offset_and_limit(client):
    """A list route paginated with ninja's own class takes any offset: use
    ``accord.api.pagination.Page``, whose offset and limit are bounded."""
    document = client.get("/api/v1/openapi.json").json()
    unbounded = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in {"offset", "limit"} and (
                    "maximum" not in parameter["schema"]
                ):
                    unbounded.append(f"{method.upper()} {path} ({parameter['name']})")
    assert not unbounded, "Paginate with accord.api.pagination.Page: " + ", ".join(unbounded)


def test_meeting_keys_with_odd_digits_name_no_meeting(reference, client_500):
    for key in ["%C2%B2", "som-%C2%B2", f"som-{BIG}", "som-0", BIG]:
        assert client_500.get(f"/meetings/{key}/").status_code == 404
        _refused_as_json(client_500.get(f"/api/v1/meetings/{key}"), 404)


def test_patching_an_iati_identifier_already_used_is_refused_with_a_message(api_client, roles):
    from accord.commitments.models import Initiative

    home = roles["focal"].accord_roles.get().organisation_id
    taken = Initiative.objects.create(title={"en": "A"}, partner_id=home, iati_identifier="XI-1")
    other = Initiative.objects.create(title={"en": "B"}, partner_id=home)
    response = api_client(roles["secretariat"]).patch(
        f"/api/v1/initiatives/{other.pk}",
        {"iati_identifier": "XI-1", "version": other.version},
        content_type="application/json",
    )
    body = _refused_as_json(response, 422, "iati_identifier", "XI-1", str(taken.pk))
    assert body["code"] == "invalid"
    other.refresh_from_db()
    assert other.iati_identifier is None


def _xlsx_with_a_dtd() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["title_en", "partner"])
    workbook.active.append(["Reintegration", "DG HOME"])
    plain = io.BytesIO()
    workbook.save(plain)
    hostile = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename in {"xl/workbook.xml", "xl/worksheets/sheet1.xml"}:
                root = data.split(b" ", 1)[0].lstrip(b"<")
                data = b"<!DOCTYPE %s [<!ENTITY e 'expanded'>]>%s" % (root, data)
            target.writestr(item, data)
    return hostile.getvalue()


def test_an_xlsx_declaring_a_dtd_is_refused_by_the_initiatives_import(api_client, roles):
    upload = io.BytesIO(_xlsx_with_a_dtd())
    upload.name = "initiatives.xlsx"
    response = api_client(roles["secretariat"]).post(
        "/api/v1/imports/initiatives", {"file": upload}
    )
    body = _refused_as_json(response, 422, "DTD")
    assert body["code"] == "import_rejected"


def test_an_unreadable_initiatives_file_is_refused(api_client, roles):
    client = api_client(roles["secretariat"])
    for name, content in [
        ("initiatives.xlsx", b"PK\x03\x04 not a zip at all"),
        ("initiatives.csv", b"\xff\xfe\x00 not UTF-8"),
        ("initiatives", b"title_en\n\xff"),
    ]:
        upload = io.BytesIO(content)
        upload.name = name
        response = client.post("/api/v1/imports/initiatives", {"file": upload})
        _refused_as_json(response, 422)


def test_a_nul_in_a_parameter_is_refused_before_any_query(client):
    for url in ("/api/v1/initiatives?commitment=a%00b", "/api/v1/meetings?%00=1"):
        _refused_as_json(client.get(url), 422, "NUL")
    page = client.get("/initiatives/?commitment=a%00b")
    assert page.status_code == 422


def test_a_nul_in_a_body_is_stripped_like_any_control_character(api_client, roles):
    client = api_client(roles["secretariat"])
    # PostgreSQL cannot compare text holding NUL: a lookup by such a key must not fail.
    unknown = client.post(
        "/api/v1/indicators/WB_REMITTANCES/targets",
        {"place": "\x00", "year": 2030, "value": 1.0},
        content_type="application/json",
    )
    _refused_as_json(unknown, 422, "no place has the code")
    # An escaped backslash before u0000 is text, not a NUL: it is kept.
    text = client.post(
        "/api/v1/indicators/WB_REMITTANCES/targets",
        '{"place": "\\\\u0000", "year": 2030, "value": 1.0}',
        content_type="application/json",
    )
    _refused_as_json(text, 422, "no place has the code \\u0000")


def test_revision_numbers_past_64_bits_are_refused(api_client, roles, reference):
    client = api_client(roles["secretariat"])
    response = client.get(
        "/api/v1/meetings/som-3/minutes/diff", {"from": 1, "to": 632026000858692845568}
    )
    _refused_as_json(response, 422, "'to'")


def test_a_version_past_64_bits_is_refused_as_json_by_every_writer(api_client, roles, reference):
    """Its refusal may echo the value back: the answer is still JSON, never a 500."""
    client = api_client(roles["secretariat"])
    for version in [-62596619765699328344064, 37659795227309361856512]:
        response = client.patch(
            "/api/v1/partners/IOM",
            {"version": version, "website": "https://www.iom.int"},
            content_type="application/json",
        )
        assert 400 <= response.status_code < 500, response.content
        assert "detail" in response.json()

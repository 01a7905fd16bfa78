"""Every error under /api/v1/ is JSON with ``detail`` and ``code``, and is documented."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse, HttpResponseServerError
from django.test import Client, RequestFactory, override_settings

from accord.api.base import api
from accord.api.errors import ApiErrorsAsJson


def _json(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == code, body
    assert body["detail"]
    return body


def test_an_unknown_api_path_is_a_json_404(client):
    body = _json(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert "/api/v1/no-such-thing" in body["detail"]
    # Pages keep their HTML page.
    assert client.get("/no-such-page/").get("Content-Type", "").startswith("text/html")


def test_a_method_a_route_does_not_take_is_a_json_405(reference, client):
    response = client.delete("/api/v1/meetings")
    body = _json(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert "DELETE" in body["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=200)
def test_a_body_too_large_is_a_json_413(api_client, make_user, reference):
    secretariat = make_user("sec", ("IOM-RO-BRU", "secretariat"))
    response = api_client(secretariat).patch(
        "/api/v1/partners/IOM",
        json.dumps({"version": 1, "website": "https://example.org/" + "x" * 500}),
        content_type="application/json",
    )
    body = _json(response, 413, "too_large")
    assert "200 bytes" in body["detail"]


def test_a_multipart_body_without_its_boundary_is_a_json_400(api_client, make_user, reference):
    secretariat = make_user("sec", ("IOM-RO-BRU", "secretariat"))
    for path in ("/api/v1/imports/initiatives", "/api/v1/indicators/import"):
        response = api_client(secretariat).post(
            path, b"--x\r\n", content_type="multipart/form-data"
        )
        _json(response, 400, "bad_request")


def test_a_session_write_without_its_csrf_token_is_a_json_403(make_user, reference):
    secretariat = make_user("sec", ("IOM-RO-BRU", "secretariat"))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat)
    response = browser.patch(
        "/api/v1/partners/IOM", {"version": 1}, content_type="application/json"
    )
    _json(response, 403, "csrf_failed")


def test_an_unexpected_error_in_a_route_is_a_json_500():
    request = RequestFactory().get("/api/v1/meetings")
    response = api.on_exception(request, RuntimeError("a bug"))
    body = _json(response, 500, "server_error")
    assert "a bug" not in body["detail"]  # nothing of the inside is shown


@pytest.mark.parametrize(
    ("answer", "status", "code"),
    [
        (HttpResponseServerError("<h1>Server Error (500)</h1>"), 500, "server_error"),
        (HttpResponse("Bad Request", status=400), 400, "bad_request"),
        (HttpResponse("<p>Forbidden</p>", status=403), 403, "permission_denied"),
        (HttpResponse("too big", status=413), 413, "too_large"),
    ],
)
def test_errors_answered_around_the_api_become_json(answer, status, code):
    """Whatever Django or a middleware answers under /api/ (a 500 page, a 400 for a bad
    host or a CSRF failure page) reaches the client as JSON."""
    middleware = ApiErrorsAsJson(lambda request: answer)
    _json(middleware(RequestFactory().get("/api/v1/meetings")), status, code)
    page = middleware(RequestFactory().get("/meetings/"))
    assert page is answer


def test_every_operation_documents_its_error_answers(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["Error"]["required"] == ["detail", "code"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            assert {"401", "403", "404", "422", "500"} <= answers, (method, path)
            if method in {"post", "patch", "put", "delete"}:
                assert "409" in answers, (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= answers, (method, path)

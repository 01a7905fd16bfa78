"""A meeting's documents through the API: upload, a new version, and the refusals."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from accord.meetings.models import Document


def _fields(**extra: object) -> dict:
    return {"title": "Background note", "kind": "background_note", **extra}


def test_the_secretariat_uploads_a_restricted_document_then_a_version(
    api_client, secretariat, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = api_client(secretariat)
    created = client.post(
        "/api/v1/meetings/som-3/documents",
        _fields(
            classification="restricted",
            restricted_to="IOM, DG HOME",
            file=SimpleUploadedFile("note.pdf", b"%PDF-1 note"),
        ),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["meeting"], body["classification"], body["versions"]) == (
        "som-3",
        "restricted",
        [1],
    )
    assert body["restricted_to"] == ["DG HOME", "IOM"]

    again = client.post(
        f"/api/v1/documents/{body['id']}/versions",
        {"file": SimpleUploadedFile("note-v2.pdf", b"%PDF-1 second")},
    )
    assert again.status_code == 201, again.content
    assert again.json()["versions"] == [1, 2]


def test_refusals_answer_json_and_store_nothing(
    api_client, secretariat, home_focal, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.ACCORD_UPLOAD_TYPES = ["pdf"]
    url = "/api/v1/meetings/som-3/documents"
    upload = SimpleUploadedFile("note.pdf", b"%PDF-1")

    focal = api_client(home_focal).post(url, _fields(file=upload))
    assert focal.status_code == 403
    assert focal.json()["code"] == "permission_denied"

    client = api_client(secretariat)
    wrong_type = client.post(url, _fields(file=SimpleUploadedFile("tool.exe", b"MZ")))
    assert wrong_type.status_code == 422
    assert ".exe" in wrong_type.json()["detail"]
    unknown_partner = client.post(
        url,
        _fields(
            classification="restricted",
            restricted_to="NOPE",
            file=SimpleUploadedFile("note.pdf", b"%PDF-1"),
        ),
    )
    assert unknown_partner.status_code == 422
    assert "restricted_to" in unknown_partner.json()["detail"]
    assert client.post("/api/v1/meetings/som-99/documents", _fields(file=upload)).status_code == 404
    assert not Document.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))

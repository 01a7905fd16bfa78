"""Meeting documents kept in S3-compatible object storage (``ACCORD_S3_*``), against a
local S3 server (moto's server mode) on the loopback address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from accord.core.served import free_port
from config.settings import default_storage

BUCKET = "accord-documents"
KEYS = {"ACCORD_S3_ACCESS_KEY_ID": "testing", "ACCORD_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _bucket(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_without_a_bucket_documents_stay_in_the_data_directory() -> None:
    storage = default_storage({})
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_an_uploaded_document_is_an_object_in_the_bucket_and_reads_back(
    s3_endpoint: str, api_client: Any, client: Any, secretariat: Any, settings: Any
) -> None:
    _bucket(s3_endpoint).create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage(
            {
                "ACCORD_S3_BUCKET": BUCKET,
                "ACCORD_S3_ENDPOINT_URL": s3_endpoint,
                "ACCORD_S3_REGION": "us-east-1",
                "ACCORD_S3_PREFIX": "documents",
                **KEYS,
            }
        ),
    }
    content = b"%PDF-1.4 background note kept in object storage"
    created = api_client(secretariat).post(
        "/api/v1/meetings/som-3/documents",
        {
            "title": "Background note",
            "kind": "background_note",
            "file": SimpleUploadedFile("note.pdf", content),
        },
    )
    assert created.status_code == 201, created.content

    objects = _bucket(s3_endpoint).list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert len(objects) == 1
    key = objects[0]["Key"]
    assert key.startswith("documents/")
    assert key.endswith(".pdf")
    stored = _bucket(s3_endpoint).get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored == content

    client.force_login(secretariat)
    page = client.get(f"/meetings/documents/{created.json()['id']}/v1/")
    assert page.status_code == 200
    assert b"".join(page.streaming_content) == content
    assert "note.pdf" in page["Content-Disposition"]

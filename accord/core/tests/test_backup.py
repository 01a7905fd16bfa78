"""Backup and restore: the drill on SQLite and PostgreSQL, and the archives refused.

The drill runs the real ``accord`` command in fresh processes, each on a data directory
(and, for PostgreSQL, a database) of its own: populate, back up, restore elsewhere,
compare every table's row count and every file's checksum, and serve a restricted
document from the restored copy to its reader.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from accord.core.backup import BackupRefused, backup_write, restore_read

POPULATE = """
from django.core.files.base import ContentFile
from accord.access.services import role_grant
from accord.core.models import Classification
from accord.meetings.models import Document, DocumentVersion
from accord.meetings.tests.factories import MeetingFactory
from accord.partners.tests.factories import OrganisationFactory, UserFactory
iom = OrganisationFactory(acronym="IOM")
reader = UserFactory(username="reader")
role_grant(user=reader, organisation_id=iom.pk, kind="member")
UserFactory(username="outsider")
meeting = MeetingFactory()
document = Document.objects.create(
    meeting=meeting, title="Restricted note", kind="background_note",
    classification=Classification.RESTRICTED,
)
document.restricted_to.add(iom)
body = b"restricted content " * 100
version = DocumentVersion(document=document, number=1, original_name="note.txt",
                          size=len(body), sha256="")
version.file.save("note.txt", ContentFile(body), save=False)
version.save()
print(document.pk)
"""

STATE = """
import json
from accord.core.backup import media_files, row_counts
print(json.dumps({"tables": row_counts(), "files": media_files()}))
"""

SERVE = """
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.conf import settings
# Pages render without collected static files in this throw-away copy.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
users = get_user_model().objects
reader = Client(); reader.force_login(users.get(username="reader"))
outsider = Client(); outsider.force_login(users.get(username="outsider"))
url = "/meetings/documents/{pk}/v1/"
answer = reader.get(url)
body = b"".join(answer.streaming_content) if answer.streaming else answer.content
print(answer.status_code, outsider.get(url).status_code, body.startswith(b"restricted content"))
"""


def accord(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "accord.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"accord {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def postgres_available() -> bool:
    return shutil.which("psql") is not None and (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"],  # noqa: S607
            check=False,
        ).returncode
        == 0
    )


def psql(sql: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],  # noqa: S607
        check=True,
        capture_output=True,
    )


# The drill runs on the engine of the suite: `make test` on SQLite, then on PostgreSQL.
SUITE_ENGINE = (
    "postgresql" if os.environ.get("ACCORD_DATABASE_URL", "").startswith("postgres") else "sqlite"
)


@pytest.fixture(params=[SUITE_ENGINE])
def places(request: Any, tmp_path: Path) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Two fresh homes for Accord (source and restored), on the engine asked."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("ACCORD_") and key != "DJANGO_SETTINGS_MODULE"
    }
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    homes = []
    databases = []
    for name in ("source", "restored"):
        env = {**base, "ACCORD_DATA_DIR": str(tmp_path / name)}
        if request.param == "postgresql":
            if not postgres_available():
                if os.environ.get("CI"):
                    pytest.fail("PostgreSQL is needed for the backup drill under CI")
                pytest.skip("no PostgreSQL on 127.0.0.1:5432")
            database = f"accord_drill_{name}_{os.getpid()}"
            psql(f'DROP DATABASE IF EXISTS "{database}"')
            psql(f'CREATE DATABASE "{database}"')
            databases.append(database)
            env["ACCORD_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
        homes.append(env)
    try:
        yield homes[0], homes[1]
    finally:
        for database in databases:
            psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_the_backup_drill(places: tuple[dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    source, restored = places
    accord(source, "migrate", "--noinput", "-v0")
    pk = int(last_line(accord(source, "shell", "-c", POPULATE)))
    before = json.loads(last_line(accord(source, "shell", "-c", STATE)))
    archive = tmp_path / "accord.backup"
    accord(source, "backup", str(archive))
    assert archive.is_file()
    assert not list(tmp_path.glob("*.partial"))

    out = accord(restored, "restore", str(archive))
    assert "Restored" in out
    after = json.loads(last_line(accord(restored, "shell", "-c", STATE)))
    assert after["tables"] == before["tables"]
    assert after["files"] == before["files"]
    assert any(name.endswith("note.txt") for name in after["files"])
    served = last_line(accord(restored, "shell", "-c", SERVE.replace("{pk}", str(pk)))).split()
    assert served[0] == "200"
    assert served[1] in {"403", "404"}
    assert served[2] == "True"

    # A second restore over the now filled copy is refused.
    again = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "accord.cli", "restore", str(archive)],
        env=restored,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_an_older_archive_is_migrated_on_restore(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    source = {**base, "ACCORD_DATA_DIR": str(tmp_path / "old")}
    restored = {**base, "ACCORD_DATA_DIR": str(tmp_path / "new")}
    accord(source, "migrate", "--noinput", "-v0")
    accord(source, "migrate", "access", "0002", "--noinput", "-v0")
    accord(source, "backup", str(tmp_path / "old.backup"))
    out = accord(restored, "restore", str(tmp_path / "old.backup"))
    assert "Migrated from an older version: access.0003_token_expiry" in out


def _repack(archive: Path, target: Path, change: Any) -> Path:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_bad_archives_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    archive = tmp_path / "good.backup"
    call_command("backup", str(archive), stdout=io.StringIO())

    corrupt = tmp_path / "corrupt.backup"
    corrupt.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupRefused, match="corrupt"):
        restore_read(corrupt)

    def tamper(manifest: dict) -> None:
        manifest["database"]["sha256"] = "0" * 64

    with pytest.raises(BackupRefused, match="corrupt"):
        restore_read(_repack(archive, tmp_path / "tampered.backup", tamper))

    def other_engine(manifest: dict) -> None:
        manifest["engine"] = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"

    with pytest.raises(BackupRefused, match="same kind of database"):
        restore_read(_repack(archive, tmp_path / "mismatched.backup", other_engine))

    def newer(manifest: dict) -> None:
        manifest["accord_version"] = "99.0"
        manifest["migrations"].append("access.9999_from_the_future")

    with pytest.raises(BackupRefused, match="newer Accord"):
        restore_read(_repack(archive, tmp_path / "newer.backup", newer))

    # A sound archive is still refused over a database that has content.
    with pytest.raises(BackupRefused, match="not empty"):
        restore_read(archive)


@pytest.mark.django_db(transaction=True)
def test_backup_writes_exactly_the_file_named(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "copy.tar.gz"
    report = backup_write(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.tar.gz"]
    with tarfile.open(target) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert names[0] == "manifest.json"
    assert {"accord_version", "migrations", "tables", "files", "engine"} <= set(manifest)
    assert "access.0003_token_expiry" in manifest["migrations"]
    assert manifest["tables"]["access_auditevent"] >= 0
    assert report.tables == len(manifest["tables"])

"""Backup and restore: one archive with the database, the uploaded files and a manifest.

The archive is a gzipped tar holding ``manifest.json``, the database (``database.sqlite3``
from SQLite's online backup API, or ``database.dump`` from ``pg_dump -Fc``) and the
uploaded files under ``media/``. The manifest names Accord's version, the migrations
applied, the row count of every table and the SHA-256 of every file, so a restore can
refuse a corrupt or mismatched archive before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from accord.core.errors import Invalid

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
# Files of the data directory that are not content: the generated key, the database itself.
NOT_CONTENT = {"secret_key", "static", "accord.sqlite3", "accord.sqlite3-wal", "accord.sqlite3-shm"}


class BackupRefused(Invalid):
    """An archive that cannot be restored here, or a target that is not empty."""


def accord_version() -> str:
    try:
        return version("accord")
    except PackageNotFoundError:  # pragma: no cover - always installed with pip -e
        return "0"


def _version_key(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupRefused(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def media_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_of(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, [*args, "-d", str(db["NAME"])]


def _dump_database(engine: str, into: Path) -> Path:
    if engine == "sqlite":
        target = into / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(str(target))
        try:
            connection.connection.backup(copy)  # consistent even while workers write
        finally:
            copy.close()
        return target
    target = into / "database.dump"
    env, args = _pg_env_and_args()
    _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(target), *args], env)
    return target


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupRefused(
            f"{command[0]} is not installed: PostgreSQL client tools are needed."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupRefused(f"{command[0]} failed: {error.stderr.strip()}") from error


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: int
    rows: int
    files: int


def backup_write(path: Path) -> BackupReport:
    """Write exactly ``path``: the archive appears whole or not at all."""
    engine = _engine()
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="accord-backup-") as work:
        database = _dump_database(engine, Path(work))
        counts = row_counts()
        files = media_files()
        manifest = {
            "format": FORMAT,
            "accord_version": accord_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "engine": engine,
            "database": {"name": database.name, "sha256": sha256_of(database)},
            "migrations": applied_migrations(),
            "tables": counts,
            "files": files,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            root = Path(settings.MEDIA_ROOT)
            for name in files:
                archive.add(root / name, arcname=MEDIA + name)
        os.replace(partial, path)
    return BackupReport(path=path, tables=len(counts), rows=sum(counts.values()), files=len(files))


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(member.read())
    except (KeyError, ValueError, tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupRefused("This archive is corrupt: it has no readable manifest.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused("This archive is not an Accord backup of a known format.")
    return manifest


def _check_compatible(manifest: dict[str, Any], engine: str) -> None:
    if manifest.get("engine") != engine:
        raise BackupRefused(
            f"This archive is a {manifest.get('engine')} backup; this Accord runs on {engine}. "
            "Restore it on the same kind of database."
        )
    theirs = str(manifest.get("accord_version", "0"))
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if _version_key(theirs) > _version_key(accord_version()) or unknown:
        raise BackupRefused(
            f"This archive comes from a newer Accord ({theirs}; this one is {accord_version()}"
            + (f", with migrations unknown here: {', '.join(unknown[:3])}" if unknown else "")
            + "). Upgrade Accord first, then restore."
        )


def _check_target_empty() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupRefused(
            f"The database is not empty ({len(tables)} tables): restore into an empty one."
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(path.is_file() for path in media.rglob("*")):
        raise BackupRefused(f"The uploaded-files directory {media} is not empty.")
    data_dir = Path(settings.DATA_DIR)
    if data_dir.exists():
        content = [
            p
            for p in data_dir.iterdir()
            if p.name not in NOT_CONTENT and p.resolve() != media.resolve() and p.name != "mail"
        ]
        if content:
            raise BackupRefused(
                f"The data directory {data_dir} is not empty ({content[0].name}): "
                "restore into an empty one."
            )


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        if (
            member.name.startswith("/")
            or ".." in Path(member.name).parts
            or not (member.isfile() or member.isdir())
        ):
            raise BackupRefused(f"This archive is corrupt: unsafe entry {member.name!r}.")
    return members


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int
    migrated: list[str]


def restore_read(path: Path) -> RestoreReport:
    """Fill an empty database and data directory from the archive at ``path``."""
    engine = _engine()
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupRefused(f"This archive is corrupt or unreadable: {error}.") from error
    with archive, tempfile.TemporaryDirectory(prefix="accord-restore-") as work:
        manifest = _read_manifest(archive)
        _check_compatible(manifest, engine)
        try:
            archive.extractall(work, members=_safe_members(archive), filter="data")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise BackupRefused(f"This archive is corrupt: {error}.") from error
        root = Path(work)
        database = root / manifest["database"]["name"]
        if not database.is_file() or sha256_of(database) != manifest["database"]["sha256"]:
            raise BackupRefused(
                "This archive is corrupt: the database does not match its checksum."
            )
        for name, digest in manifest["files"].items():
            file = root / MEDIA / name
            if not file.is_file() or sha256_of(file) != digest:
                raise BackupRefused(f"This archive is corrupt: {name} does not match its checksum.")
        _check_target_empty()
        _load_database(engine, database)
        counts = row_counts()
        wrong = [t for t, n in manifest["tables"].items() if counts.get(t) != n]
        if wrong:
            raise BackupRefused(
                f"The restored tables differ from the manifest: {', '.join(wrong[:5])}."
            )
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            target = media / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / MEDIA / name, target)
    before = set(applied_migrations())
    call_command("migrate", interactive=False, verbosity=0)
    migrated = sorted(set(applied_migrations()) - before)
    return RestoreReport(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(manifest["files"]),
        migrated=migrated,
    )


def _load_database(engine: str, database: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(str(database))
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    env, args = _pg_env_and_args()
    connections.close_all()
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(database)],
        env,
    )

"""Collect the static files only when they changed since the last collection.

``accord serve`` collects at every start; post-processing (hashed names, compressed
copies) of about a thousand files takes the best part of a minute, and two servers
started at once on one data directory would write the same files together. The files'
names, sizes and modification times make a fingerprint kept in ``STATIC_ROOT``; a start
whose fingerprint matches skips the collection, and a lock makes a second server wait for
the first one's.
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders

FINGERPRINT = ".accord-collected"


def static_fingerprint() -> str:
    """A digest of every file the finders would collect, and of the storage used."""
    digest = hashlib.sha256(str(settings.STORAGES["staticfiles"]).encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_static_if_changed() -> bool:
    """Run ``collectstatic`` unless the collected files are current; True when it ran."""
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    marker = root / FINGERPRINT
    with (root / ".accord-collect.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fingerprint = static_fingerprint()
        if marker.exists() and marker.read_text() == fingerprint:
            return False
        # In a process of its own: hashing every static file grows the heap by some 100 MB
        # that Python keeps, and each server worker forked from this process would carry it.
        subprocess.run(
            [sys.executable, "-m", "accord.cli", "collectstatic", "--noinput", "--verbosity=0"],
            check=True,
        )
        marker.write_text(fingerprint)
        return True

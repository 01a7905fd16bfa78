"""Settings for the test suite: the same as production but for speed and isolation."""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="accord-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="accord-test-static-"))
ACCORD_OUTBOX_DIR = Path(tempfile.mkdtemp(prefix="accord-test-outbox-"))

"""Settings for Accord, read from the environment only.

Every knob is an ``ACCORD_*`` variable; nothing here needs editing to deploy.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("ACCORD_DATA_DIR", BASE_DIR / "var")).resolve()


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in the data directory."""
    if key := os.environ.get("ACCORD_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("ACCORD_DEBUG")
ALLOWED_HOSTS = env_list("ACCORD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("ACCORD_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "accord.core.apps.StaticFilesConfig",  # django.contrib.staticfiles, some files left out
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "template_partials",
    "ninja",  # its bundled Swagger UI: /api/v1/docs works offline, without inline script
    "simple_history",
    "django_q",
    "accord.core",
    "accord.access",
    "accord.partners",
    "accord.reports",
    "accord.meetings",
    "accord.evidence",
    "accord.commitments",
    "accord.search",
    "accord.notifications",
    "accord.bench",
    "accord.sample",
]

MIDDLEWARE = [
    # Outermost: whatever answers an error under /api/ (a middleware, Django, a route), the
    # client gets JSON.
    "accord.api.errors.ApiErrorsAsJson",
    # Before anything reads: chooses the replica or the primary for the request's reads.
    "accord.core.replica.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "accord.core.headers.PermissionsPolicyMiddleware",
    "accord.core.nul.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accord.access.middleware.AuditAddressMiddleware",
    "accord.access.middleware.BearerTokenMiddleware",
    "accord.access.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Visitors' answers kept while the data they were read from stand (inside every
    # middleware that reads the request or adds headers to each answer).
    "accord.core.response_cache.VisitorResponseCache",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "accord.api.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "accord" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accord.core.context_processors.accord",
                "accord.access.context_processors.account_links",
                "accord.notifications.context_processors.notifications",
                # Last: a visitor's page made to be kept holds a slot for the CSRF token.
                "accord.core.response_cache.csrf_slot",
            ],
        },
    },
    # The rows of long tables (``*.jinja`` in an app's jinja2/ folder): accord.core.jinja.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "accord.core.jinja.environment"},
    },
]


def _databases() -> dict[str, dict[str, Any]]:
    url = os.environ.get("ACCORD_DATABASE_URL")
    database: dict[str, Any]
    if url:
        database = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        database = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "accord.sqlite3"),
            # Kept open between requests, as on PostgreSQL: a new SQLite connection reads
            # and parses the whole schema on its first statement (some 5 ms a request).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Several workers write to one file: WAL lets readers go on while one writes,
        # BEGIN IMMEDIATE takes the write lock up front instead of failing mid-transaction,
        # and the busy timeout makes a writer wait rather than raise "database is locked".
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
        database.setdefault("TEST", {})
    return {"default": database}


DATABASES = _databases()
if _replica_url := os.environ.get("ACCORD_REPLICA_URL"):
    # A streaming replica of the primary: the safe requests' reads go there
    # (accord.core.replica); tests read the primary through it.
    DATABASES["replica"] = {
        **dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 3
    DATABASE_ROUTERS = ["accord.core.replica.ReplicaRouter"]
# One cache for every process of the site (servers, workers): a table of the database,
# created by `accord migrate` (and `accord serve`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": os.environ.get("ACCORD_CACHE_TABLE", "accord_cache"),
        # Charts are kept per indicator, place and choice (100 indicators of 250 places
        # make 25,000): past Django's default of 300 entries a third would be dropped at
        # each culling and drawn again, a second each.
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ACCORD_CACHE_MAX_ENTRIES", "100000"))},
    },
    # Visitors' answers (accord.core.response_cache), in each process's memory: a kept
    # answer costs no write to the database, and whether it still holds is asked of the
    # database's state of the data, which every process shares.
    "answers": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "accord-answers",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ACCORD_RESPONSE_CACHE_ENTRIES", "500"))},
    },
}
# How long a visitor's answer is kept at most while its data stand (0: never kept).
ACCORD_RESPONSE_CACHE_SECONDS = float(os.environ.get("ACCORD_RESPONSE_CACHE_SECONDS", "60"))
# A reader who has just written reads the primary for this long (the replica's lag, with room).
ACCORD_REPLICA_PIN_SECONDS = float(os.environ.get("ACCORD_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("ACCORD_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out user name or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "accord" / "locale"]
TIME_ZONE = os.environ.get("ACCORD_TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected static files: the data directory unless set (servers may share one folder).
STATIC_ROOT = Path(os.environ.get("ACCORD_STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "accord" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("ACCORD_MEDIA_DIR", DATA_DIR / "media"))


def default_storage(environ: Any) -> dict[str, Any]:
    """Where uploaded documents are kept: the data directory, or an S3-compatible bucket
    when ``ACCORD_S3_BUCKET`` is set (django-storages; any server speaking S3)."""
    bucket = environ.get("ACCORD_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("ACCORD_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("ACCORD_S3_REGION") or None,
            # Without keys, boto3 finds credentials its usual ways (instance role, files).
            "access_key": environ.get("ACCORD_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("ACCORD_S3_SECRET_ACCESS_KEY") or None,
            "location": environ.get("ACCORD_S3_PREFIX", ""),
            # Private objects, read only through Accord's pages (which check who may).
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": default_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Source maps (megabytes, for developers' tools only) are served as they are, uncompressed,
# so that `accord serve` starts in seconds rather than minutes.
# WhiteNoise's own list, plus "map".
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(float(os.environ.get("ACCORD_SESSION_HOURS", "12")) * 3600)
SESSION_COOKIE_SECURE = env_bool("ACCORD_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS: all off by default so that the demo works on plain http; production turns them on.
SECURE_SSL_REDIRECT = env_bool("ACCORD_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("ACCORD_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ACCORD_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("ACCORD_HSTS_PRELOAD")
if env_bool("ACCORD_BEHIND_PROXY"):
    # The proxy in front terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy: scripts and styles from Accord itself only, no inline script
# and no inline event handler. Style attributes stay allowed (layout tweaks, SVG charts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features Accord never uses, refused to every page (and anything it embeds).
ACCORD_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), magnetometer=(), "
    "gyroscope=(), accelerometer=()"
)

# Sign-in: lockout after repeated failures (django-axes), by user name or by address.
AXES_HANDLER = "accord.access.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("ACCORD_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ACCORD_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accord.access.signin.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successes go to Accord's own audit log
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): required of the secretariat and staff when set.
ACCORD_REQUIRE_MFA = env_bool("ACCORD_REQUIRE_MFA")
OTP_TOTP_ISSUER = "Accord"
# API tokens expire after this many days unless created with another lifetime.
ACCORD_TOKEN_DAYS = int(os.environ.get("ACCORD_TOKEN_DAYS", "90"))
# Addresses in the audit log are cleared after this many days (`accord audit prune`).
ACCORD_AUDIT_ADDRESS_DAYS = int(os.environ.get("ACCORD_AUDIT_ADDRESS_DAYS", "90"))
# Invitation and password-reset links stay valid this long.
PASSWORD_RESET_TIMEOUT = int(float(os.environ.get("ACCORD_LINK_HOURS", "72")) * 3600)

# Mail through Django's mail framework: SMTP when ACCORD_EMAIL_HOST is set; otherwise (the
# embedded default, the demo) each message is an .eml file in the outbox directory, which
# the secretariat reads on the outbox page.
EMAIL_HOST = os.environ.get("ACCORD_EMAIL_HOST", "")
EMAIL_USE_TLS = env_bool("ACCORD_EMAIL_TLS")
EMAIL_PORT = int(os.environ.get("ACCORD_EMAIL_PORT", "587" if EMAIL_USE_TLS else "25"))
EMAIL_HOST_USER = os.environ.get("ACCORD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ACCORD_EMAIL_PASSWORD", "")
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "accord.core.mail.OutboxBackend"
)
ACCORD_OUTBOX_DIR = DATA_DIR / "outbox"
DEFAULT_FROM_EMAIL = os.environ.get("ACCORD_FROM_EMAIL", "accord@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in mail sent by the worker (no request to take the address from) start with this.
ACCORD_BASE_URL = os.environ.get("ACCORD_BASE_URL", "") or "http://" + os.environ.get(
    "ACCORD_ADDR", "127.0.0.1:8000"
)
# Daily digests go out at this hour (local time); weekly ones on Mondays at the same hour.
ACCORD_DIGEST_HOUR = int(os.environ.get("ACCORD_DIGEST_HOUR", "7"))

# The worker (django-q2): its queue and schedules live in the project's database (the ORM
# broker), so no other server is needed and any number of workers share them.
Q_CLUSTER = {
    "name": "accord",
    "orm": "default",
    "workers": int(os.environ.get("ACCORD_WORKER_PROCESSES", "1")),
    "timeout": 600,
    "retry": 900,  # longer than the timeout: a task is retried only once it is surely dead
    "max_attempts": 3,
    "catch_up": False,  # a worker down for a day runs each missed job once, not once a missed turn
    "poll": 2,
    "save_limit": 500,
    "label": "Worker",
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 1000

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The framework this deployment serves, by code; pages default to it.
ACCORD_FRAMEWORK = os.environ.get("ACCORD_FRAMEWORK", "eu-iom-scf")
ACCORD_ADDR = os.environ.get("ACCORD_ADDR", "127.0.0.1:8000")
ACCORD_WORKERS = int(os.environ.get("ACCORD_WORKERS", "3"))
# Uploaded documents: the largest file accepted, and the file types (extensions) allowed.
ACCORD_UPLOAD_MAX_BYTES = int(os.environ.get("ACCORD_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
ACCORD_UPLOAD_TYPES = env_list(
    "ACCORD_UPLOAD_TYPES", "pdf,docx,doc,odt,xlsx,ods,pptx,odp,txt,md,csv,png,jpg,jpeg"
)

# Bounds of every import (CLI, pages, API); past one the file is refused, naming it.
ACCORD_IMPORT_MAX_BYTES = int(os.environ.get("ACCORD_IMPORT_MAX_BYTES", str(2 * 1024**3)))
ACCORD_IMPORT_MAX_ROWS = int(os.environ.get("ACCORD_IMPORT_MAX_ROWS", "20000000"))
ACCORD_IMPORT_MAX_CELL_CHARS = int(os.environ.get("ACCORD_IMPORT_MAX_CELL_CHARS", "131072"))
ACCORD_IMPORT_MAX_SECONDS = float(os.environ.get("ACCORD_IMPORT_MAX_SECONDS", "3600"))
ACCORD_IMPORT_MAX_MEMORY_MB = int(os.environ.get("ACCORD_IMPORT_MAX_MEMORY_MB", "1024"))
ACCORD_IMPORT_XLSX_MAX_UNCOMPRESSED = int(
    os.environ.get("ACCORD_IMPORT_XLSX_MAX_UNCOMPRESSED", str(256 * 1024**2))
)
ACCORD_IMPORT_XLSX_MAX_RATIO = float(os.environ.get("ACCORD_IMPORT_XLSX_MAX_RATIO", "100"))
ACCORD_IMPORT_XLSX_MAX_CELLS = int(os.environ.get("ACCORD_IMPORT_XLSX_MAX_CELLS", "10000000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ACCORD_LOG_LEVEL", "WARNING")},
}

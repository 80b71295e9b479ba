"""Settings read from the environment.

The embedded default (a SQLite file under ``CRIMEPLAN_HOME``) needs no configuration, so that
``make demo`` works on a fresh machine; ``DATABASE_URL`` switches to PostgreSQL. ``DEBUG`` is off
unless set (``make demo`` sets it), so a server started without thought is a production one, and
production refuses to start without a real ``SECRET_KEY`` of at least 50 characters.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _flag("DEBUG", False)

CRIMEPLAN_HOME = Path(os.environ.get("CRIMEPLAN_HOME", PROJECT_DIR / "var")).resolve()
CRIMEPLAN_HOME.mkdir(parents=True, exist_ok=True)

_DEV_SECRET = "crimeplan-development-key-not-for-production"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and not DEBUG and os.environ.get("CRIMEPLAN_COMMAND_LINE") == "1":
    # A product command (not the server): nothing it signs outlives the process.
    SECRET_KEY = secrets.token_urlsafe(SECRET_KEY_MIN_LENGTH)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production refuses to start without it)."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"SECRET_KEY is {len(SECRET_KEY)} characters long; production needs at least "
        f"{SECRET_KEY_MIN_LENGTH} (for example: python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crimeplan.core",
    "crimeplan.accounts",
    "crimeplan.plans",
    "crimeplan.crimedata",
    "crimeplan.measures",
    "crimeplan.hotspots",
    "crimeplan.delivery",
    "crimeplan.governance",
    "django_tasks",
    "django_tasks_db",
    "crimeplan.consultation",
    "crimeplan.public",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crimeplan.api",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "crimeplan.core.request_limits.FieldLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "crimeplan.core.audit.AuditUserMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user and address are refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "crimeplan.urls"
WSGI_APPLICATION = "crimeplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "crimeplan.core.jinja.environment"},
    },
    {
        # The Django admin keeps its own template language.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        import dj_database_url

        config = dj_database_url.parse(url, conn_max_age=60)
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": CRIMEPLAN_HOME / "crimeplan.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}


def _caches() -> dict:
    """Django's cache, shared by every worker and bounded, never a per-process dict.

    Hotspot analyses, their GeoJSON and the charts are cached. In process memory each worker
    kept its own copies and grew by hundreds of megabytes; on files under ``CRIMEPLAN_HOME``
    (the default, needing no server) at most ``CRIMEPLAN_CACHE_ENTRIES`` entries are kept, a
    third culled when full. With ``CRIMEPLAN_REDIS_URL`` set, Redis holds them (bound its size
    with Redis's own ``maxmemory`` and an ``allkeys-lru`` policy).
    """
    redis_url = os.environ.get("CRIMEPLAN_REDIS_URL", "").strip()
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "crimeplan",
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CRIMEPLAN_HOME / "cache"),
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("CRIMEPLAN_CACHE_ENTRIES", "400")),
                "CULL_FREQUENCY": 3,
            },
        }
    }


CACHES = _caches()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CRIMEPLAN_HOME / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = (
    [PROJECT_DIR / "build" / "static"] if (PROJECT_DIR / "build" / "static").is_dir() else []
)
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A request with more query or form fields than this answers 400 (Django's default, stated).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# X-Forwarded-Proto says whether the browser used HTTPS, but anyone can send it: it is trusted
# only when the site is declared to be behind a proxy that sets it (and strips the browser's).
BEHIND_PROXY = _flag("CRIMEPLAN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading is near-permanent (browsers ship the list), so it is a decision for whoever
    # owns the domain: off unless asked for, and Django's reminder about it is silenced.
    SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp): scripts, styles and fonts from this site only, so no
# inline script or style can run; images also as data: URLs (the GOV.UK icons) and from the
# optional basemap's tile server.
_TILE_URL = os.environ.get("CRIMEPLAN_TILE_URL", "")


def _tile_origin(template: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(template)
    if not parts.scheme or not parts.hostname:
        return []
    host = parts.hostname.replace("{s}", "*")
    return [f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origin(_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (django-permissions-policy): the site uses no device feature.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Sign-in throttling (django-axes): five wrong passwords for one user from one address lock
# that pair out for 15 minutes; a correct password before then clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("CRIMEPLAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CRIMEPLAN_LOGIN_COOLOFF_MIN", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "crimeplan.accounts.lockout.locked_out"
# The address is the connection's unless a proxy is declared, as for X-Forwarded-Proto.
AXES_CLIENT_IP_CALLABLE = "crimeplan.accounts.lockout.client_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The JSON API is public and read-only: GET for anyone, no writes, OpenAPI 3 by drf-spectacular
# with its docs UI served from this server (sidecar), never from the internet.
REST_FRAMEWORK = {
    # Reads are public; any endpoint that writes must name its own permission check, and an
    # endpoint that forgets still refuses anonymous writes.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "crimeplan API",
    "DESCRIPTION": "Read-only public data behind the crimeplan pages: districts and hotspots.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The API is public and read-only: no security schemes, so the docs ask nobody to
    # "Authorize".
    "AUTHENTICATION_WHITELIST": [],
    # Deep links put a link inside each operation's button (nested controls, tiny targets).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "defaultModelsExpandDepth": -1},
}

# The folder crime records and their manifests live in (Parquet + DuckDB).
CRIMEPLAN_DATA_DIR = CRIMEPLAN_HOME / "crimedata"
# Optional basemap tile URL template for maps; without it boundaries alone are drawn.
CRIMEPLAN_TILE_URL = _TILE_URL
# The police force (data.police.uk id) whose data the plans are measured against.
CRIMEPLAN_FORCE = os.environ.get("CRIMEPLAN_FORCE", "essex")

# Evidence files uploaded to delivery actions: outside the web root (never under STATIC_ROOT and
# with no URL of its own); a view streams a file only to those allowed to see the action.
CRIMEPLAN_EVIDENCE_DIR = Path(
    os.environ.get("CRIMEPLAN_EVIDENCE_DIR", CRIMEPLAN_HOME / "evidence")
).resolve()
CRIMEPLAN_EVIDENCE_MAX_BYTES = int(os.environ.get("CRIMEPLAN_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
# Volunteer hours are valued at this hourly rate (pounds) beside the money, as an estimate.
CRIMEPLAN_VOLUNTEER_HOURLY_RATE = os.environ.get("CRIMEPLAN_VOLUNTEER_HOURLY_RATE", "12.21")
# The strategy's funding ambition (pounds) that bids are totalled against; the seed's estimate.
CRIMEPLAN_FUNDING_AMBITION = os.environ.get("CRIMEPLAN_FUNDING_AMBITION", "15000000")

# --- Background tasks ------------------------------------------------------------------------
# django-tasks with the database backend from django-tasks-db: queued work is a row in the
# same database (SQLite or PostgreSQL), so no broker or extra server is needed. Run the queue
# with `crimeplan worker` (a thin shell over django-tasks-db's `db_worker`). Any app may add
# tasks with `@task` from `django_tasks`; they all run on this one worker.
# CRIMEPLAN_TASKS_IMMEDIATE=1 runs each task inside the request that enqueues it (tests, or a
# demo without a worker process).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if _flag("CRIMEPLAN_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Mail -------------------------------------------------------------------------------------
# Reminders for updates due go through Django's mail. Without EMAIL_HOST (the demo) each message
# is written as a file under $CRIMEPLAN_HOME/mail; with EMAIL_HOST set, SMTP is used.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "crimeplan@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = CRIMEPLAN_HOME / "mail"
# Public pages show partner counts below this as "fewer than N" (see crimeplan.core.suppression).
CRIMEPLAN_SUPPRESS_BELOW = int(os.environ.get("CRIMEPLAN_SUPPRESS_BELOW", "5"))
# Consultation responses one address may send per window (seconds), across all surveys.
CONSULTATION_RATE_LIMIT = int(os.environ.get("CONSULTATION_RATE_LIMIT", "5"))
CONSULTATION_RATE_WINDOW = int(os.environ.get("CONSULTATION_RATE_WINDOW", "3600"))

"""Settings shared by every environment; deployment-specific values come from the environment."""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "registry.apps.KnoxConfig",  # django-rest-knox: API tokens, hashed, expiring (ApiToken)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "registry.apps.TasksConfig",  # django-tasks-db: the database queue of Django's tasks
    "registry.apps.AxesConfig",  # django-axes, named in the admin in the user's language
    "registry",
    "policies",
    "households",
    "reports",
]

MIDDLEWARE = [
    # --- ops: logs --- first, so that its request id and log line cover every other layer.
    "registry.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # secure: the content security policy (CONTENT_SECURITY_POLICY)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "registry.middleware.NoStoreMiddleware",  # secure: personal data is never cached
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"
AUTH_USER_MODEL = "registry.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite under the git-ignored var/ is the zero-setup default; PostgreSQL in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'ansinh.sqlite3'}",
        conn_max_age=60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web process and the task worker share the file: write-ahead logging lets pages (and an
    # import's progress) be read while the worker writes, and a writer waits for the other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    )

AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out client is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed log-ins are throttled per user name and address (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Vietnamese by default, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap, htmx and Chart.js come from the npm registry (package.json) at set-up, never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # --- reports: dashboards ---
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- secure: content security policy (django-csp) ---
# Scripts and styles only from this site's own files: no inline script, no handler attribute,
# no style attribute, no <style> element, no CDN (tests/access/test_csp.py renders every page
# against it). Layout goes in static/css (classes, print rules included); a width known only
# when rendering (a progress bar) is a data attribute that static/js/ansinh.js applies through
# the CSSOM, which style-src does not restrict. The one exception is the vendored API
# documentation (Swagger UI, ReDoc), which injects its own <style> elements: its two views
# alone add 'unsafe-inline' to style-src, with django-csp's csp_update (registry/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],  # ReDoc parses the schema in a worker
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    # The token first: an anonymous call is answered 401 naming its scheme (WWW-Authenticate).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "registry.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "registry.api.throttling.IdNumberLookupThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "registry.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "registry.api.schema.AutoSchema",  # hostile: blank/null choices
    "EXCEPTION_HANDLER": "registry.api.exceptions.exception_handler",
    # "duplicate-check": each answer says whether ID numbers are registered anywhere;
    # "id-number": a list filtered by a personal ID number (registry.api.throttling).
    "DEFAULT_THROTTLE_RATES": {
        "anon": "60/min",
        "user": "2000/min",
        "duplicate-check": "30/min",
        "id-number": "30/min",
    },
}
# --- secure: API tokens ---
# django-rest-knox: a token is shown once, stored as its SHA-512 hash, and expires.
KNOX_TOKEN_MODEL = "registry.ApiToken"
# Knox's own migrations create its AuthToken table even when KNOX_TOKEN_MODEL swaps it out; that
# table's key on the users then stops a PostgreSQL TRUNCATE of them (a test database's flush).
# Without migrations the swapped model gets no table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=90),  # the longest a token may live; the owner picks less
    "TOKEN_PREFIX": "ansinh_",
    "AUTO_REFRESH": False,
}
# --- reports: api ---
# The open data (/api/v1/open/...): the KPIs of the 2025 units for anyone, small counts
# suppressed. Off unless the deployment switches it on (ANSINH_OPEN_DATA=1).
OPEN_DATA_ENABLED = env_bool("ANSINH_OPEN_DATA", False)

SPECTACULAR_SETTINGS = {
    "TITLE": "Ansinh API",
    "DESCRIPTION": "Registry of poor and near-poor households: units, households, reviews, KPIs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc assets are served locally (drf-spectacular-sidecar), not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # --- hostile: documented errors ---
    # The error answers DRF gives on its own (400, 401, 403, 404, 429), documented on every
    # operation in the exception handler's shape (registry/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registry.api.schema.add_error_responses",
    ],
}

# --- ops: logs ---
# One JSON object a line on standard error (registry.logs), each with the request id and the
# user; one line per request from the "ansinh.request" logger (LOG_REQUESTS=0 silences it).
# LOG_FORMAT=text gives plain lines for a developer's terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "registry.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "registry.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "text" if os.environ.get("LOG_FORMAT") == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "ansinh.request": {"level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING"},
    },
}

# --- registry: scope ---
# The old units a 2025 user's units took over are read from the succession table once per
# process (registry.scoping); the tests read them every time, so that query counts are stable.
SUCCESSIONS_CACHED = True

# --- households: interchange ---
# The largest area (in households) whose export the export page writes within the request;
# a larger one is a background job. Not a number of the law: about a district's worth, a few
# seconds of writing.
INTERCHANGE_DIRECT_EXPORT_MAX_HOUSEHOLDS = int(
    os.environ.get("ANSINH_DIRECT_EXPORT_MAX_HOUSEHOLDS", "20000")
)
# --- interchange: background tasks ---
# Imports and exports run as Django tasks on the database-backed queue (django-tasks-db):
# `manage.py db_worker` runs them (`make run` starts it beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Each job's files (the upload, the error report, the export, its progress) under JOBS_DIR/<id>/.
JOBS_DIR = VAR_DIR / "jobs"
# `manage.py tidy_jobs`: a running job silent this long lost its worker and is marked failed;
# the files of a job that ended this many days ago are deleted (households.interchange.jobs).
JOBS_STALE_AFTER = int(os.environ.get("ANSINH_JOBS_STALE_AFTER", str(2 * 3600)))  # seconds
JOBS_KEEP_DAYS = int(os.environ.get("ANSINH_JOBS_KEEP_DAYS", "14"))
# The largest file the upload page takes; larger files go through `manage.py import_registry`.
IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("ANSINH_IMPORT_MAX_MB", "200")) * 1024 * 1024

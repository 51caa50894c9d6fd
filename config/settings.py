"""Settings from environment variables (see the configuration table in README.md).

With nothing set: SQLite, Celery tasks run eagerly, DEBUG on, console email.
DJANGO_ENV=production turns on the deployment checklist: no default SECRET_KEY, hosts from the
environment, secure cookies, HSTS and a content security policy.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
SHARED_DATA_DIR = BASE_DIR.parent / "shared" / "data"

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    # Read as given: django-environ would take a key starting with "$" (as one in fifty random
    # keys do) for the name of another variable and fail to start.
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if not SECRET_KEY:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret-" + "x" * 40
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = env.str("SERVICE_NAME", default="School improvement partnership")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "django_celery_beat",
    "kernel",
    "partnership",
    "schools",
    "clusters",
    "categorisation",
    "brokerage",
    "funding",
    "board",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "kernel.middleware.NoStoreMiddleware",
]

if PRODUCTION:
    # Static files are collected and served by WhiteNoise; in development runserver serves them.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kernel.context_processors.service",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so two
    # commitments against one allocation run one after the other (funding/commitments.py).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
# Concurrent test runs on one server (helpers, CI) each choose their own test database.
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partnership.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
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

# Sessions end after 8 hours, or 30 minutes idle in production (every request renews them).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed-login throttling: 5 failures lock that username from that address for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# One failure count per address whatever its case; API clients are told in JSON.
AXES_USERNAME_CALLABLE = "partnership.signin.axes_username"
AXES_LOCKOUT_CALLABLE = "partnership.signin.lockout_response"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded files are private: no URL serves MEDIA_ROOT, officers download a job's file through
# the permission-checked view at /jobs/<id>/file/.
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Upload limits (README "Upload limits"), per kind of upload (partnership/uploads.py).
# 100 MB takes a national GIAS download (about 60 MB) or KS2 file (about 30 MB) with room to
# grow; 100,000 rows takes GIAS's 50,000 establishments; the LA template is one row per school,
# year and measure, so 1,000,000 rows takes 22,000 schools x 3 years x 15 measures.
MB = 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=100 * MB)
UPLOAD_MAX_ROWS = env.int("UPLOAD_MAX_ROWS", default=100_000)
UPLOAD_TEMPLATE_MAX_ROWS = env.int("UPLOAD_TEMPLATE_MAX_ROWS", default=1_000_000)
UPLOAD_STRUCTURE_MAX_BYTES = env.int("UPLOAD_STRUCTURE_MAX_BYTES", default=5 * MB)
UPLOAD_LIMITS = {
    "gias": {"max_bytes": UPLOAD_MAX_BYTES, "max_rows": UPLOAD_MAX_ROWS},
    "performance": {"max_bytes": UPLOAD_MAX_BYTES, "max_rows": UPLOAD_MAX_ROWS},
    "template": {"max_bytes": UPLOAD_MAX_BYTES, "max_rows": UPLOAD_TEMPLATE_MAX_ROWS},
    "structure": {"max_bytes": UPLOAD_STRUCTURE_MAX_BYTES, "max_rows": UPLOAD_MAX_ROWS},
    "paper": {"max_bytes": env.int("UPLOAD_PAPER_MAX_BYTES", default=20 * MB), "max_rows": 0},
    "head_evidence": {
        "max_bytes": env.int("UPLOAD_HEAD_EVIDENCE_MAX_BYTES", default=10 * MB),
        "max_rows": 0,
    },
    "visit_attachment": {
        "max_bytes": env.int("UPLOAD_VISIT_MAX_BYTES", default=10 * MB),
        "max_rows": 0,
    },
}
# Uploads over Django's default 2.5 MB go to a temporary file, not memory; past the largest
# limit, the rest of a file is not stored at all (kernel.uploads.UploadSizeHandler).
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * MB)
FILE_UPLOAD_HANDLERS = [
    "kernel.uploads.UploadSizeHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="partnership@example.org")

# Celery: without a broker every task runs in-process (eagerly) so the app works out of the box.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Jobs whose worker died (partnership/job_expiry.py): a running job with no heartbeat for
# JOB_STALE_AFTER_MINUTES, or a queued one not started within JOB_QUEUED_STALE_AFTER_MINUTES, is
# failed. Redis redelivers an unacknowledged task after its visibility timeout: keep that longer
# than both, so a redelivered task finds its job finished and does nothing.
JOB_STALE_AFTER = timedelta(minutes=env.int("JOB_STALE_AFTER_MINUTES", default=30))
JOB_QUEUED_STALE_AFTER = timedelta(minutes=env.int("JOB_QUEUED_STALE_AFTER_MINUTES", default=60))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(max(JOB_STALE_AFTER, JOB_QUEUED_STALE_AFTER).total_seconds()) + 3600
}

# The cache holds the password reset throttle's counts, so all gunicorn workers must share it:
# CACHE_URL, else a Redis broker; else (development, tests) each process's own memory.
_REDIS_BROKER = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
CACHES = {"default": env.cache_url("CACHE_URL", default=_REDIS_BROKER or "locmemcache://")}
CACHES["default"].setdefault("KEY_PREFIX", "partnership")
# Password reset emails: at most this many per address, and requests per client, an hour.
PASSWORD_RESET_EMAILS_PER_ADDRESS = env.int("PASSWORD_RESET_EMAILS_PER_ADDRESS", default=3)
PASSWORD_RESET_REQUESTS_PER_CLIENT = env.int("PASSWORD_RESET_REQUESTS_PER_CLIENT", default=10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "School improvement partnership API",
    "DESCRIPTION": "The school register, the partnership's tiers and its people, scoped by role.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "PhaseEnum": "schools.models.Phase",
        "ProviderKindEnum": "brokerage.models.ProviderKind",
    },
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Support cases: above this cost (pounds) commissioning needs the board's decision; the board's
# target, in calendar days from a request to commissioning (brokerage/time_to_support.py).
SUPPORT_COMMISSION_LIMIT = env.str("SUPPORT_COMMISSION_LIMIT", default="15000")
SUPPORT_TARGET_DAYS = env.int("SUPPORT_TARGET_DAYS", default=30)

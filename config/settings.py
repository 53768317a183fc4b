"""Settings read from the environment (django-environ).

Defaults give a development setup that needs no server: SQLite under var/ and
Celery tasks run eagerly. Setting DATABASE_URL and CELERY_BROKER_URL switches
to PostgreSQL and Redis without code changes.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Development (`make run`, the tests) runs with DEBUG on and the committed key below.
# With DJANGO_DEBUG=false (production, the Docker image) the settings fail closed: no
# start without a secret key of the operator's own.
DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false the application needs a "
        "secret key from the environment or .env (at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is the development key committed in the repository; it is "
        "refused with DJANGO_DEBUG=false. Set a secret key of your own."
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "config.apps.CoreConfig",
    "participants",
    "products",
    "cases",
    "deductions",
    "payments",
    "workflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body: API bodies over the upload limit get a JSON 413.
    "config.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "config.context_processors.roles",
            ],
            # Dates, money and percentages in the page's language on every template.
            "builtins": ["config.templatetags.formatting"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and an eager payment run read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/IP pair before the password check.
    "config.security.LoginAttemptBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# German first; English as the second language (switch in the page header).
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates read d.m.Y (date and time d.m.Y H:i) in both languages: config/formats/<lang>/.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated request gets 401 with WWW-Authenticate.
        # Counts failed tokens and anonymous requests per client address (429 over
        # API_THROTTLE_RATES; config.throttling).
        "config.throttling.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.permissions.IsCaseworkerOrReadOnlyStaff"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        # DjangoFilterBackend that answers 400 for ids beyond 64 bits (SQLite overflow).
        "config.ids.IdFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON only (api.md), with a nesting limit; anything else is 415.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": ["config.throttling.UserRateThrottle"],
    # Proxies in front of the app that append to X-Forwarded-For (0: trust REMOTE_ADDR).
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    # Adds the shared error responses, nullable relation fields and integer id filters.
    "DEFAULT_SCHEMA_CLASS": "config.schema.ProjectAutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # ISO 8601 (date.isoformat): four-digit years always; strftime wrote "1-01-01".
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Benefit deductions API",
    "DESCRIPTION": "Participants, cases, case deductions, simulations and payments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # RO-1: schema and Swagger UI for signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags and operation ids per resource ("participants_create"), not all under "v1".
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models share status codes ("open", "active"): name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ParticipantTypeEnum": "participants.models.ParticipantType",
        "PaymentFrequencyEnum": "products.models.PaymentFrequency",
        "IntegratedCaseStatusEnum": "cases.models.IntegratedCaseStatus",
        "ProductDeliveryCaseStatusEnum": "cases.models.CaseStatus",
        "LiabilityStatusEnum": "cases.models.LiabilityStatus",
        "ApplicationStatusEnum": "cases.models.ApplicationStatus",
        "NoticeKindEnum": "payments.models.NoticeKind",
        "DeductionStatusEnum": "deductions.models.DeductionStatus",
    },
}

# The agency named in the header of every client notice (SIM-5); the address as lines.
AGENCY_NAME = env.str("AGENCY_NAME", default="Leistungsstelle Musterstadt")
AGENCY_ADDRESS = env.list("AGENCY_ADDRESS", default=["Musterstraße 1", "12345 Musterstadt"])

# Celery: no broker configured means tasks run eagerly in-process (make run needs no server).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
# A backstop only: chunk leases (below) recover a chunk whose worker died. A message
# redelivered after this timeout finds its chunk done or leased and does nothing.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Limits of the REST API (config.throttling): per user; per client address for anonymous
# requests and for failed token attempts. DRF rate syntax: "<n>/<second|minute|hour|day>".
API_THROTTLE_RATES = {
    "user": env.str("API_THROTTLE_USER", default="600/minute"),
    "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
    "failed_token": env.str("API_THROTTLE_FAILED_TOKEN", default="10/minute"),
}
# JSON bodies nested deeper than this are a 400 (config.parsers).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
# Dates from input outside this range are refused everywhere (config.dates).
DATE_MIN = date.fromisoformat(env.str("DATE_MIN", default="1900-01-01"))
DATE_MAX = date.fromisoformat(env.str("DATE_MAX", default="2199-12-31"))

# Throttle counters; set DJANGO_CACHE_URL (e.g. redis://host:6379/1) where several
# processes serve the app, so they share one count.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://")}

# Logins (django-axes): after AXES_FAILURE_LIMIT failures of one username from one
# address, that pair is locked for AXES_COOLOFF_MINUTES; success resets the count;
# administrators unlock in Django admin (Axes › Zugriffsversuche, delete the entry).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# No start-up banner on every manage.py command; lockouts are still logged.
AXES_VERBOSE = False

# Payment-run chunk leases (docs/operations.md "Chunk leases"): a worker holds a chunk for
# PAYMENT_CHUNK_LEASE_SECONDS and renews it every PAYMENT_CHUNK_LEASE_RENEW_SECONDS while
# it works; a lease that expired (the worker died) is reclaimed by the reconciler, which
# beat runs every PAYMENT_RUN_RECONCILE_SECONDS, or by the next worker that finishes a
# chunk of the run. A chunk claimed PAYMENT_CHUNK_MAX_ATTEMPTS times without success is
# failed for good; its run ends "completed with failures".
PAYMENT_CHUNK_LEASE_SECONDS = env.int("PAYMENT_CHUNK_LEASE_SECONDS", default=60)
PAYMENT_CHUNK_LEASE_RENEW_SECONDS = env.float("PAYMENT_CHUNK_LEASE_RENEW_SECONDS", default=15)
PAYMENT_CHUNK_MAX_ATTEMPTS = env.int("PAYMENT_CHUNK_MAX_ATTEMPTS", default=3)
PAYMENT_RUN_RECONCILE_SECONDS = env.int("PAYMENT_RUN_RECONCILE_SECONDS", default=60)
# Beat writes this entry into django-celery-beat's table when it starts, so the period
# follows the setting (the migration created the task; an admin may still disable it).
# A reconcile message older than one period is dropped: the next one is on its way.
CELERY_BEAT_SCHEDULE = {
    "Zahlungsläufe abgleichen": {
        "task": "payments.tasks.payment_runs_reconcile",
        "schedule": float(PAYMENT_RUN_RECONCILE_SECONDS),
        "options": {"expire_seconds": PAYMENT_RUN_RECONCILE_SECONDS},
    },
}

# How many years back a product delivery case may start (a typo guard, see cases.services).
CASE_START_MAX_YEARS_BACK = env.int("CASE_START_MAX_YEARS_BACK", default=1)
PAYMENT_RUN_CHUNK_SIZE = env.int("PAYMENT_RUN_CHUNK_SIZE", default=1000)
# A run pays every period due up to its date: refuse dates further ahead than this.
PAYMENT_RUN_MAX_DAYS_AHEAD = env.int("PAYMENT_RUN_MAX_DAYS_AHEAD", default=7)
# A case with more periods due in one run is left out and reported (a wrong start date).
PAYMENT_RUN_MAX_PERIODS_PER_CASE = env.int("PAYMENT_RUN_MAX_PERIODS_PER_CASE", default=60)

SECURE_CONTENT_TYPE_NOSNIFF = True
# Sessions end after SESSION_IDLE_MINUTES without a request (sliding: every request
# renews them) and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# HSTS: on by default in production (DEBUG off); DJANGO_HSTS_SECONDS=0 switches it off.
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
# Content-Security-Policy (django-csp 4): scripts, styles and images from this origin only;
# no inline script or style on any page. /api/docs/ adds its CDN (config.views).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # HTTPS is terminated by the reverse proxy; see docs/decisions.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "permission_denied": {"()": "config.log_filters.PermissionDeniedWithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default config gives "django" its own console handler (DEBUG) while it
        # also propagates to the root one: every message appeared twice. Root alone.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 403 from a role check: one warning line, no traceback.
        "django.request": {"filters": ["permission_denied"]},
        "django.db.backends": {"level": "WARNING"},
    },
}

"""IOP Finder settings. Everything that differs between machines comes from the environment.

See README.md, "Configuration", for the variables.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from iopfinder.env import envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", "0")
# The development key is refused in production by iopfinder/wsgi.py.
INSECURE_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = os.getenv("SECRET_KEY", INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "programs",
    "intake",
    "guides",
    "corrections",
    "hsds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "iopfinder.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check: a request over its rate is refused first (429).
    "iopfinder.ratelimits.RateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "iopfinder.middleware.DatabaseOutageMiddleware",
    "iopfinder.api_errors.ApiOutageMiddleware",
    # Last, as django-axes asks: turns a lock-out into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iopfinder.urls"

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
                "django.template.context_processors.i18n",
                "iopfinder.context_processors.crisis_lines",
                "programs.context_processors.shortlist_count",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja_templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "iopfinder.jinja.environment"},
    },
]

WSGI_APPLICATION = "iopfinder.wsgi.application"

# SQLite file by default (make run); DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Bounded waits: a database that does not answer makes a request fail within seconds (the
# error page, /healthz 503), not hang until gunicorn kills the worker. Seconds; 0: no bound.
DATABASE_CONNECT_TIMEOUT = envint("DATABASE_CONNECT_TIMEOUT", "3")
DATABASE_STATEMENT_TIMEOUT = envint("DATABASE_STATEMENT_TIMEOUT", "5")
# Commands that legitimately run long (imports, backups) take this bound instead
# (iopfinder/long_statements.py).
DATABASE_COMMAND_STATEMENT_TIMEOUT = envint("DATABASE_COMMAND_STATEMENT_TIMEOUT", "3600")
# Searches are many and short: starting a parallel worker costs more than it saves.
# PostgreSQL startup options; set DATABASE_OPTIONS="" behind a pooler that refuses them.
DATABASE_OPTIONS = os.getenv("DATABASE_OPTIONS", "-c max_parallel_workers_per_gather=0")
if IS_POSTGRES:
    postgres_options = DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASE_CONNECT_TIMEOUT:
        postgres_options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    # Behind a pooler that refuses startup options, give the role the statement timeout
    # instead (README, "Production").
    if DATABASE_OPTIONS:
        postgres_options["options"] = DATABASE_OPTIONS
        if DATABASE_STATEMENT_TIMEOUT:
            postgres_options["options"] += f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"
elif DATABASE_STATEMENT_TIMEOUT:
    # SQLite: how long a statement waits for another's write lock ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = DATABASE_STATEMENT_TIMEOUT

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign-in (recovery guides and curators). django-axes counts failed sign-ins per
# account *and* address, so a stranger's wrong passwords for a guide lock only the stranger's
# address out of that account; an address failing on many accounts (a password spray) is
# locked out of all of them (guides/lockout.py). Curators lift a lock early with
# `manage.py axes_reset_username` or `axes_reset_ip`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS = envint("AXES_FAILURE_LIMIT", "5")
SIGN_IN_FAILURES_PER_ADDRESS = envint("AXES_ADDRESS_FAILURE_LIMIT", "20")
AXES_FAILURE_LIMIT = "guides.lockout.failures_allowed"
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A success clears that account's failures from that address only, never the address's
# count on other accounts: holding one password must not reset a spray.
AXES_RESET_ON_SUCCESS = True
# The per-address count is read from the database handler's records.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The address is REMOTE_ADDR unless this many proxies of ours add X-Forwarded-For; then it is
# the entry the outermost of them added. Never more than really sit in front: entries further
# left are whatever the client sent.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "guides.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = (
    "guides:dashboard"  # curators who are not guides: the admin (views.StaffLoginView)
)
LOGOUT_REDIRECT_URL = "login"
# Signed-in staff are signed out after this long idle (guides/signals.py); every request
# pushes a session's expiry forward, so public visitors' sessions also count from last use.
STAFF_SESSION_IDLE_SECONDS = envint("STAFF_SESSION_IDLE_SECONDS", "1800")
SESSION_SAVE_EVERY_REQUEST = True

# Callers' keys (guides/keystore.py): a file apart from the database and its backups. Erasing
# a caller destroys their key there. Its own backups (manage.py backup) go to
# CALLER_KEY_BACKUP_DIR and are deleted after CALLER_KEY_BACKUP_DAYS: an erasure reaches every
# copy within that many days (README "Callers' data and erasure").
CALLER_KEYS_PATH = Path(os.getenv("CALLER_KEYS_PATH", BASE_DIR / "var" / "caller-keys.sqlite3"))
CALLER_KEY_BACKUP_DIR = Path(
    os.getenv("CALLER_KEY_BACKUP_DIR", BASE_DIR / "var" / "caller-key-backups")
)
CALLER_KEY_BACKUP_DAYS = envint("CALLER_KEY_BACKUP_DAYS", "7")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

# The real listings `make run` serves (manage.py load_listings): SAMHSA's National
# Directories, shipped in data/samhsa (README there). The fictional sample programs
# (loaddata demo_programs) and the California locator sample load only with --samples.
NATIONAL_DIRECTORY_FILES = [
    BASE_DIR / "data" / "samhsa" / "national-directory-su-facilities-2023.xlsx",
    BASE_DIR / "data" / "samhsa" / "national-directory-mh-facilities-2023.xlsx",
]
SAMHSA_LOCATOR_SAMPLE = str(BASE_DIR / "tests" / "data" / "samhsa-locator-ca-sample.csv")
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", "0")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": browsers then post forms with "Origin: null", which the CSRF check refuses.
# The self-screen's pages send only the origin (intake/views.py).
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "iopfinder.views.csrf_failure"
DEFAULT_EXCEPTION_REPORTER_FILTER = "guides.reporting.CallerSafeExceptionReporterFilter"
# Our own files only, and no inline script or style: a script injected into a page cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page uses, refused to every frame. Sharing a program (static/js/share.js:
# web-share, clipboard-write) keeps the browser's default: our own pages only.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
# Behind HTTPS (a proxy that ends TLS and always sets X-Forwarded-Proto): plain HTTP is
# redirected, browsers are told to use HTTPS only (HSTS) and cookies travel only over HTTPS.
# SECURE_COOKIES=1 is the older name of HTTPS=1.
HTTPS = envbool("HTTPS", os.getenv("SECURE_COOKIES", "0"))
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Load balancers and the container's health check ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", "31536000")
    # Every subdomain too, and consent to browsers' preload lists (nothing is sent to them:
    # the domain's owner submits it at hstspreload.org). HSTS_PRELOAD=0 while a subdomain
    # still serves plain HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "1")

# Searches never wait longer than this for a newer copy of the catalogue after a write: a
# copy that took longer to read is read again in the background (programs/engine.current).
CATALOGUE_WAIT_MS = envint("CATALOGUE_WAIT_MS", "250")
# Where that newer copy is left for the other workers of the machine, which load it instead of
# reading the catalogue again (a private directory of the app's).
CATALOGUE_COPY_DIR = Path(os.getenv("CATALOGUE_COPY_DIR", BASE_DIR / "var" / "catalogue"))

# A listing not verified for this many days is marked stale for curators.
STALE_AFTER_DAYS = envint("STALE_AFTER_DAYS", "180")

# Counts of the public's reports and updates per address (corrections/limits.py). With
# CACHE_URL (Redis) every worker and server shares them; without, each process counts alone.
CACHE_URL = os.getenv("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SUBMISSIONS_PER_ADDRESS_PER_HOUR = envint("SUBMISSIONS_PER_ADDRESS_PER_HOUR", "20")
# Requests one address may make each clock minute, counted in the same cache
# (iopfinder/ratelimits.py); over it, 429 with Retry-After.
SEARCH_API_PER_ADDRESS_PER_MINUTE = envint("SEARCH_API_PER_ADDRESS_PER_MINUTE", "300")
SCREENING_API_PER_ADDRESS_PER_MINUTE = envint("SCREENING_API_PER_ADDRESS_PER_MINUTE", "60")
SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE = envint("SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", "20")

# Email: the one-time links that confirm a program's update of its listing. On the console
# in development (DEBUG=1), by SMTP otherwise.
EMAIL_BACKEND = os.getenv(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "0")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "10")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "IOP Finder <noreply@localhost>")
# How long the link that confirms a program's update works (once).
LISTING_UPDATE_LINK_HOURS = envint("LISTING_UPDATE_LINK_HOURS", "48")
# Whether a program takes new clients changes fast: older than this, pages say "not known".
AVAILABILITY_STALE_DAYS = envint("AVAILABILITY_STALE_DAYS", "30")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    # SQL parameters can hold callers' details: never log them, even when debugging.
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

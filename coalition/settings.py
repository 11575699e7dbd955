"""Settings: SQLite by default, everything else from environment variables (see .env.example)."""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from coalition.common.env import caches_from_url, envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("COALITION_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
# A public site: HTTPS only, secure cookies, SMTP, and no start without a secret key (docs/security.md).
COALITION_PRODUCTION = envbool("COALITION_PRODUCTION", False)
SECRET_KEY = envstr("SECRET_KEY") or (
    "insecure-development-key-change-me" if DEBUG or not COALITION_PRODUCTION else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when COALITION_PRODUCTION is true")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "coalition.common.apps.CoalitionAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_tasks_db",
    # The API's interactive documentation is served from ninja's own static files (no CDN).
    "ninja",
    "coalition.common",
    "coalition.reference",
    "coalition.accounts",
    "coalition.entities",
    "coalition.pledges",
    "coalition.reporting",
    "coalition.actionplan",
    "coalition.knowledge",
    "coalition.indicators",
    "coalition.explore",
    "coalition.reports",
    "coalition.opendata",
    "coalition.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow links (the CSRF token is masked per response, so BREACH cannot read it).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "coalition.common.middleware.RefuseNulCharactersMiddleware",
    "coalition.common.routers.ReplicaReadsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coalition.common.middleware.HomeInChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# --- HTTPS, cookies and the Content-Security-Policy (what they promise: docs/security.md) ---------
# Production mode redirects plain HTTP to HTTPS and asks browsers to keep to HTTPS for a year.
# Behind a proxy that terminates TLS, Django sees HTTPS only if it may trust the proxy's
# X-Forwarded-Proto header (COALITION_TRUST_X_FORWARDED_PROTO), or gunicorn's own trust of it
# from 127.0.0.1; a proxy that redirects by itself can turn the redirect here off.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", COALITION_PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if COALITION_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if envbool("COALITION_TRUST_X_FORWARDED_PROTO", False):
    # Only when the proxy sets this header on every request, replacing the client's own.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = COALITION_PRODUCTION
# HSTS for subdomains and the browsers' preload list bind other sites, or bind for months: the
# operator opts in, and `check --deploy` does not report them as forgotten until then.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]


def _csp_hash(text: str) -> str:
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


# The same policy in development, tests and production, so that a page which breaks it fails in
# the browser tests, not on the public site. Scripts and styles come only from this site's files
# (the front-end libraries too, served from node_modules); no inline script, no eval — the charts
# run Vega's expressions through its interpreter (ast: true in charts.js) — and no style attribute
# except the one django-simple-history's history pages carry, allowed by its hash. Nonces serve
# the admin's inline <style> ({% csp_nonce_attr %}).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_HASHES, _csp_hash("border-top: 0")],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"
# `coalition serve` (gunicorn): the address it listens on (host:port, or unix:/path), its worker
# processes (gunicorn's advice: two per core, plus one) and the seconds a request may take.
COALITION_SERVE_BIND = envstr("COALITION_SERVE_BIND", "127.0.0.1:8001")
COALITION_SERVE_WORKERS = envint("COALITION_SERVE_WORKERS", 2 * (os.cpu_count() or 1) + 1)
COALITION_SERVE_TIMEOUT = envint("COALITION_SERVE_TIMEOUT", 60)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "coalition" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coalition.accounts.context.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'coalition.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work side by side; IMMEDIATE avoids
        # "database is locked" when a read transaction later wants to write.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so the demo generator's writer processes can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": envstr("SQLITE_TEST_NAME") or str(VAR_DIR / "test_coalition.sqlite3")}

# A read replica (PostgreSQL streaming replication, say): the reads of public, safe requests go
# there, everything else to the primary (coalition.common.routers). Unset: one database.
_REPLICA_URL = envstr("DATABASE_REPLICA_URL")
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(_REPLICA_URL, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0))
    # Tests read the primary's test database through the replica's name.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["coalition.common.routers.ReplicaRouter"]

# No JIT compilation on PostgreSQL: it starts on a plan's estimated cost, and a page of a hundred
# pledges out of a million paid 67 ms of compiling to save nothing; a count over the whole
# registry gains 10 to 15 % from it (docs/performance.md).
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Seconds after a browser's write during which its reads stay on the primary (replication lag).
DATABASE_REPLICA_PIN_SECONDS = envint("DATABASE_REPLICA_PIN_SECONDS", 10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
# A page's language is in its address (coalition/urls.py): English unprefixed, French under /fr/.
# The language cookie remembers a visitor's choice for the bare address `/` and at sign-in
# (coalition.common.middleware.HomeInChosenLanguageMiddleware).
LOCALE_PATHS = [BASE_DIR / "coalition" / "locale"]
# Dates with the month's full name in every language (see coalition/common/formats).
FORMAT_MODULE_PATH = "coalition.common.formats"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "coalition" / "static"]
_NODE_MODULES = BASE_DIR / "node_modules"
if _NODE_MODULES.is_dir():
    # Front-end libraries come from the npm registry (package-lock.json) and are
    # served from here; nothing is loaded from a CDN.
    STATICFILES_DIRS.append(("vendor", _NODE_MODULES))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# In development static files come straight from their folders (node_modules included); in
# production from `collectstatic`'s copies, which WhiteNoise serves gzip- and brotli-compressed.
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: printed to the console as plain text (common.mail) by default, sent over SMTP in
# production (or when EMAIL_BACKEND says so). Production refuses to start without its relay: a site that printed its password-reset
# e-mails to a log would look as if it worked.
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND", _SMTP_BACKEND if COALITION_PRODUCTION else "coalition.common.mail.ReadableConsoleBackend"
)
if COALITION_PRODUCTION and _EMAIL_BACKEND == _SMTP_BACKEND and not envstr("EMAIL_HOST"):
    raise RuntimeError(
        "EMAIL_HOST must be set when COALITION_PRODUCTION is true: the SMTP server that sends the "
        "platform's e-mails (see EMAIL_HOST, EMAIL_PORT and EMAIL_USE_TLS in .env.example)"
    )
_SMTP_OPTIONS = {
    "host": envstr("EMAIL_HOST", "localhost"),
    "port": envint("EMAIL_PORT", 25),
    "username": envstr("EMAIL_HOST_USER") or None,
    "password": envstr("EMAIL_HOST_PASSWORD") or None,
    "use_tls": envbool("EMAIL_USE_TLS", False),
    "use_ssl": envbool("EMAIL_USE_SSL", False),
    # Seconds before a silent SMTP server fails the send instead of holding a web worker.
    "timeout": envint("EMAIL_TIMEOUT", 30),
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _EMAIL_BACKEND == _SMTP_BACKEND else {},
    }
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Coalition <noreply@localhost>")

# Background tasks (Django's task framework): stored in the database and run by
# `coalition worker` (django-tasks-db's db_worker, surviving database outages and failing imports
# that lost their worker). ImmediateBackend runs each task at once, in the enqueuing process.
TASKS = {
    "default": {
        "BACKEND": envstr("COALITION_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Where the public data files (country codes, World Bank and ITU series, ...) are read from.
COALITION_DATA_DIR = envstr("COALITION_DATA_DIR")
# Where `coalition data fetch` stores files it downloads when COALITION_DATA_DIR is not set.
COALITION_DOWNLOAD_DIR = Path(envstr("COALITION_DOWNLOAD_DIR", str(VAR_DIR / "data")))

# Uploaded files (progress-report evidence). Not served by the application in production.
MEDIA_ROOT = Path(envstr("COALITION_MEDIA_DIR", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Where `coalition backup` writes its archives when no path is given (see docs/operators.md).
COALITION_BACKUP_DIR = Path(envstr("COALITION_BACKUP_DIR", str(VAR_DIR / "backups")))
# The open-data dumps (docs/opendata.md): where they are written, how long after a change the
# rebuild waits (changes within that time build once), and the licence the data are published under.
COALITION_OPENDATA_DIR = Path(envstr("COALITION_OPENDATA_DIR", str(VAR_DIR / "opendata")))
COALITION_OPENDATA_REBUILD_DELAY_SECONDS = envint("COALITION_OPENDATA_REBUILD_DELAY_SECONDS", 300)
COALITION_OPENDATA_LICENCE = envstr("COALITION_OPENDATA_LICENCE", "CC-BY-4.0")

# The yearly reporting cycle (UN Partnerships rule): days after publication, or after the last
# accepted report, at which a progress report is due, overdue, and the pledge counts as inactive.
COALITION_REPORT_DUE_AFTER_DAYS = envint("COALITION_REPORT_DUE_AFTER_DAYS", 365)
COALITION_REPORT_OVERDUE_AFTER_DAYS = envint("COALITION_REPORT_OVERDUE_AFTER_DAYS", 730)
COALITION_REPORT_INACTIVE_AFTER_DAYS = envint("COALITION_REPORT_INACTIVE_AFTER_DAYS", 1095)
# Largest evidence file accepted with a progress report, in bytes.
COALITION_EVIDENCE_MAX_BYTES = envint("COALITION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

# Workbooks (XLSX) from outside are checked before they are parsed (coalition.common.workbooks):
# how much all their parts may unpack to, how many times its stored size one part may expand
# (decompression bombs expand hundreds of times), and a sheet's rows (header included) and columns.
COALITION_XLSX_MAX_UNCOMPRESSED_BYTES = envint("COALITION_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
COALITION_XLSX_MAX_RATIO = envint("COALITION_XLSX_MAX_RATIO", 100)
COALITION_XLSX_MAX_ROWS = envint("COALITION_XLSX_MAX_ROWS", 200_000)
COALITION_XLSX_MAX_COLUMNS = envint("COALITION_XLSX_MAX_COLUMNS", 256)
# Background imports write a heartbeat on their ImportRun at least this often (seconds); a
# running import with no sign of life for COALITION_IMPORT_STALE_AFTER_SECONDS has lost its
# worker and is marked failed by the reaper, which `coalition worker` runs when it starts and
# every COALITION_WORKER_REAP_EVERY_SECONDS. During a database outage the worker retries,
# waiting up to COALITION_WORKER_RETRY_MAX_SECONDS between attempts.
COALITION_IMPORT_HEARTBEAT_SECONDS = envint("COALITION_IMPORT_HEARTBEAT_SECONDS", 30)
COALITION_IMPORT_STALE_AFTER_SECONDS = envint("COALITION_IMPORT_STALE_AFTER_SECONDS", 300)
COALITION_WORKER_REAP_EVERY_SECONDS = envint("COALITION_WORKER_REAP_EVERY_SECONDS", 60)
COALITION_WORKER_RETRY_MAX_SECONDS = envint("COALITION_WORKER_RETRY_MAX_SECONDS", 30)

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}

# Accounts: sign-in by e-mail, verification links, links in e-mails.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "explore:home"
# Days a sign-up verification link stays valid.
ACCOUNT_VERIFICATION_DAYS = envint("ACCOUNT_VERIFICATION_DAYS", 3)
# Seconds a password-reset link stays valid (Django's setting). Default: one day.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 86400)
# The site's public address, for links in e-mails sent outside a web request.
COALITION_SITE_URL = envstr("COALITION_SITE_URL", "http://127.0.0.1:8000")
# The secretariat's IATI organisation identifier and name, as reporting organisation (secondary
# reporter) of the IATI activity file. The default "XX-COALITION" is a placeholder, deliberately
# not a registered identifier (XX is no registration agency, see org-id.guide): set the
# secretariat's own before publishing the file to the IATI Registry.
COALITION_IATI_ORG_REF = envstr("COALITION_IATI_ORG_REF", "XX-COALITION")
COALITION_IATI_ORG_NAME = envstr("COALITION_IATI_ORG_NAME", "Coalition secretariat")

# --- Cache, and the limits on sign-in failures and on e-mails asked for (docs/accounts.md) ------
# One cache shared by every web process: it holds the dashboard's figures and the counters of
# the limits below, and a counter each process kept for itself would multiply every limit by
# the number of processes. Default: files under var/cache, shared by the processes of one
# machine with nothing to install. Several machines share Redis (redis://127.0.0.1:6379/0) or the
# database (db://coalition_cache, after `coalition createcachetable`).
CACHES = caches_from_url(envstr("CACHE_URL") or f"file://{(VAR_DIR / 'cache').resolve()}")
# Failed sign-ins allowed per account (e-mail address) and per client address, each less than
# ACCOUNT_SIGN_IN_LOCKOUT_MINUTES after the one before; then sign-in is refused, right password
# or not, until that many minutes after the last failure. 0 turns a limit off.
ACCOUNT_SIGN_IN_FAILURES_PER_ACCOUNT = envint("ACCOUNT_SIGN_IN_FAILURES_PER_ACCOUNT", 10)
ACCOUNT_SIGN_IN_FAILURES_PER_CLIENT = envint("ACCOUNT_SIGN_IN_FAILURES_PER_CLIENT", 50)
ACCOUNT_SIGN_IN_LOCKOUT_MINUTES = envint("ACCOUNT_SIGN_IN_LOCKOUT_MINUTES", 15)
# E-mails a visitor can have sent, counted the same way over ACCOUNT_MAIL_WINDOW_MINUTES:
# password-reset and verification links per recipient address (more are not sent, silently),
# and sign-up attempts, reset and verification requests together per client address. 0: no limit.
ACCOUNT_MAILS_PER_RECIPIENT = envint("ACCOUNT_MAILS_PER_RECIPIENT", 3)
ACCOUNT_MAILS_PER_CLIENT = envint("ACCOUNT_MAILS_PER_CLIENT", 20)
ACCOUNT_MAIL_WINDOW_MINUTES = envint("ACCOUNT_MAIL_WINDOW_MINUTES", 60)
# Country profile PDFs a client address can have drawn (those already in the cache are free),
# counted the same way over COALITION_PROFILE_PDF_WINDOW_MINUTES. 0: no limit.
COALITION_PROFILE_PDFS_PER_CLIENT = envint("COALITION_PROFILE_PDFS_PER_CLIENT", 60)
COALITION_PROFILE_PDF_WINDOW_MINUTES = envint("COALITION_PROFILE_PDF_WINDOW_MINUTES", 10)
# The client address is REMOTE_ADDR unless this many reverse proxies of your own stand in front
# of the application and each appends to X-Forwarded-For; then it is the address the outermost
# of them saw. 0 (the default) trusts no X-Forwarded-For, which any client can write.
COALITION_TRUSTED_PROXIES = envint("COALITION_TRUSTED_PROXIES", 0)
# The API's rate limits (docs/api.md): requests per token, and per client address for requests
# without a token, as "<count>/<s|min|hour|day>"; a count of 0 turns a limit off.
API_RATE_PER_TOKEN = envstr("API_RATE_PER_TOKEN", "120/min")
API_RATE_PER_ADDRESS = envstr("API_RATE_PER_ADDRESS", "60/min")

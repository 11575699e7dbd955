"""Settings: SQLite by default, everything else from environment variables (see .env.example)."""

from pathlib import Path

import dj_database_url

from coalition.common.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("COALITION_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY") or (
    "insecure-development-key-change-me" if DEBUG or not envbool("COALITION_PRODUCTION") else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when COALITION_PRODUCTION is true")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_tasks_db",
    "coalition.common",
    "coalition.reference",
    "coalition.accounts",
    "coalition.entities",
    "coalition.pledges",
    "coalition.reporting",
    "coalition.indicators",
    "coalition.explore",
    "coalition.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow links (the CSRF token is masked per response, so BREACH cannot read it).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "coalition" / "templates"],
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
LOCALE_PATHS = [BASE_DIR / "coalition" / "locale"]
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

# Console by default (mail is printed); SMTP when EMAIL_BACKEND says so.
_EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_SMTP_OPTIONS = {
    "host": envstr("EMAIL_HOST", "localhost"),
    "port": envint("EMAIL_PORT", 25),
    "username": envstr("EMAIL_HOST_USER") or None,
    "password": envstr("EMAIL_HOST_PASSWORD") or None,
    "use_tls": envbool("EMAIL_USE_TLS", False),
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Coalition <noreply@localhost>")

# Background tasks (Django's task framework): stored in the database and run by
# `coalition db_worker`. ImmediateBackend runs each task at once, in the enqueuing process.
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

# The yearly reporting cycle (UN Partnerships rule): days after publication, or after the last
# accepted report, at which a progress report is due, overdue, and the pledge counts as inactive.
COALITION_REPORT_DUE_AFTER_DAYS = envint("COALITION_REPORT_DUE_AFTER_DAYS", 365)
COALITION_REPORT_OVERDUE_AFTER_DAYS = envint("COALITION_REPORT_OVERDUE_AFTER_DAYS", 730)
COALITION_REPORT_INACTIVE_AFTER_DAYS = envint("COALITION_REPORT_INACTIVE_AFTER_DAYS", 1095)
# Largest evidence file accepted with a progress report, in bytes.
COALITION_EVIDENCE_MAX_BYTES = envint("COALITION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

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

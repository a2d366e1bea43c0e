"""Settings for the platform: one file, every value from the environment (see .env.example)."""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Safe by default: DEBUG is on only when asked for (`make dev`), and without it the site refuses to start on the
# development key (`make` generates a key for this checkout into .secret_key; production sets its own).
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 — refused below when DEBUG is off
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG 关闭时必须通过环境变量 SECRET_KEY 设置密钥（拒绝使用默认密钥启动）。"
        "本地请用 make run / make dev（会自动生成密钥），开发时也可设置 DEBUG=1。"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The port `make run` / `make dev` serve on; the default public address follows it.
PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}")
# Demo mode shows the demo accounts and their passwords on the login page: only when set (`make run` sets it).
DEMO_MODE = env_bool("DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "rules",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "bangfu.core",
    "bangfu.places",
    "bangfu.museums",
    "bangfu.accounts",
    "bangfu.experts",
    "bangfu.api",
    "bangfu.pairings",
    "bangfu.ledger",
    "bangfu.agreements",
    "bangfu.exchange",
    "bangfu.objects",
    "bangfu.exhibitions",
    "bangfu.loans",
    "bangfu.conservation",
    "bangfu.environment",
    "bangfu.learning",
    "bangfu.training",
    "bangfu.placements",
    "bangfu.tours",
    "bangfu.courses",
    "bangfu.consulting",
    "bangfu.notifications",
    "bangfu.dashboard",
    "bangfu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON compressed for phones on slow links; Django's gzip adds random padding against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A wrong method on a page (GET on a POST-only address) gets the Chinese 405 page instead of a blank one.
    "bangfu.core.middleware.MethodNotAllowedPageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bangfu.urls"
WSGI_APPLICATION = "bangfu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bangfu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bangfu.core.context_processors.site",
                "bangfu.notifications.context_processors.unread",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# Database: SQLite (WAL) by default, anything dj-database-url understands through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "bangfu.accounts.backends.AccountBackend",  # ModelBackend without the system account
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "bangfu.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_bool(
    "BEHIND_PROXY", False
) else ["REMOTE_ADDR"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "bangfu" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Boundary layer for maps; replace with an approved base map (审图号) in production.
MAP_BOUNDARY_DIR = Path(env_str("MAP_BOUNDARY_DIR", str(BASE_DIR / "bangfu" / "places" / "data")))

# Uploaded files go through Django's storage API: local disk (MEDIA_ROOT) by default; FILE_STORAGE=s3 puts them in an
# S3-compatible bucket (MinIO, Ceph, a cloud's object storage) through django-storages; any storage class path works
# too. Either way files are served by the platform's own views after their access checks, never by bucket URLs:
# the bucket stays private and needs no public policy.
FILE_STORAGE = env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
if FILE_STORAGE == "s3":
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("FILE_STORAGE=s3 时必须设置 S3_BUCKET（存放上传文件的存储桶）。")
    DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env_str("S3_BUCKET"),
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,  # MinIO: http://10.0.0.20:9000; AWS: unset
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,  # unset: boto3's own chain (instance role, ~/.aws)
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "region_name": env_str("S3_REGION") or None,
        # Path-style addresses (endpoint/bucket/key) work with MinIO and every S3-compatible server.
        "addressing_style": "path" if env_str("S3_ENDPOINT_URL") else None,
        "default_acl": "private",
        "file_overwrite": False,  # random names already; never replace an object silently
    }}
else:
    DEFAULT_STORAGE = {"BACKEND": FILE_STORAGE}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads: limits checked by the forms; the request limits guard the server.
UPLOAD_MAX_IMAGE_MB = env_int("UPLOAD_MAX_IMAGE_MB", 5)
UPLOAD_MAX_IMPORT_MB = env_int("UPLOAD_MAX_IMPORT_MB", 10)
UPLOAD_MAX_EVIDENCE_MB = env_int("UPLOAD_MAX_EVIDENCE_MB", 10)
UPLOAD_MAX_VIDEO_MB = env_int("UPLOAD_MAX_VIDEO_MB", 500)  # course videos (courses), checked by content
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a silent mail server is given up on, so a request or a reminder run never hangs on it.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "山西省博物馆帮扶信息平台 <noreply@localhost>")

# Reminders (the scheduler's daily job, or `python manage.py send_reminders` from cron): days before a due date.
REMINDER_DAYS = env_int("REMINDER_DAYS", 7)
# When the scheduler (`python manage.py scheduler`) enqueues the daily reminders, local time (HH:MM).
REMINDER_TIME = env_str("REMINDER_TIME", "08:00")

# Cache and sessions: local memory by default, Redis when REDIS_URL is set (several app servers).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The progress long tasks report (bangfu/core/background.py): seen by every process, so Redis when there is one,
# else files in a folder of this checkout (one machine); the prefix keeps two databases' jobs apart.
CACHES["progress"] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
} if REDIS_URL else {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": BASE_DIR / ".progress",
}
CACHES["progress"]["KEY_PREFIX"] = "progress-" + hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12]

# Background tasks (the Django Tasks API, django-tasks backport). TASK_BACKEND: "database" (default: the
# database is the queue, `manage.py db_worker` runs it), "rq" (Redis through RQ, `manage.py rqworker`, for several
# machines; TASK_REDIS_URL, else REDIS_URL) or "immediate" (run inside the caller: the tests, a one-off command).
TASK_BACKEND = env_str("TASK_BACKEND", "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_BACKEND 只能是 {'、'.join(TASK_BACKENDS)}，而不是 {TASK_BACKEND!r}。")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}
TASK_REDIS_URL = env_str("TASK_REDIS_URL", REDIS_URL or "redis://127.0.0.1:6379/0")
# A job may run as long as the largest import (seconds); RQ kills it after that.
RQ_QUEUES = {"default": {"URL": TASK_REDIS_URL, "DEFAULT_TIMEOUT": 1800}}
# Exports with more rows than this are written by a task and offered for download when ready; smaller ones are sent
# at once.
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 2000)

# Security headers; the HTTPS ones switch on with SECURE_SSL (behind a TLS-terminating proxy).
SECURE_SSL = env_bool("SECURE_SSL", False)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp) on every response: scripts only from our own static files — no inline
# script, no inline event handler, no eval — so a value that slipped into the HTML unescaped cannot run.
# Inline styles stay allowed: templates and chart tooltips use style attributes, and htmx injects its indicator
# style; CSS cannot run script. Uploaded files are served with their own stricter policy (core.views).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

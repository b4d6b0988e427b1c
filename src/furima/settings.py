"""Django settings, read from the environment.

FURIMA_DATABASE_URL   database (default: SQLite under var/), e.g. postgres://user@host/db
FURIMA_SECRET_KEY     secret key; required unless FURIMA_DEBUG=1 or FURIMA_DEMO=1 (then a fixed
                      development key is used): production refuses to start without one
FURIMA_DEBUG          1 for development (default 0)
FURIMA_CONN_MAX_AGE   seconds a database connection is kept for the next request (default 60)
FURIMA_PREPARED_STATEMENTS  PostgreSQL: plan a query once per connection and reuse the plan
                      (server-side parameters, psycopg's prepared statements; default 1). Set 0
                      behind a pooler in transaction mode without prepared-statement support
                      (PgBouncer before 1.21, or its max_prepared_statements at 0)
FURIMA_ALLOWED_HOSTS  comma-separated host names (default: localhost names)
FURIMA_CSRF_TRUSTED_ORIGINS  comma-separated origins (https://furima.example) besides the host
FURIMA_PROXY_SSL_HEADER  behind a TLS proxy: the header it sets to "https" (X-Forwarded-Proto)
FURIMA_PROXY_COUNT    how many proxies in front append to X-Forwarded-For (default 0): the
                      client's address is read from that header instead of the socket's
FURIMA_SECURE_COOKIES, FURIMA_SSL_REDIRECT  HTTPS only (default: on unless debugging or demo)
FURIMA_HSTS_SECONDS, FURIMA_HSTS_INCLUDE_SUBDOMAINS, FURIMA_HSTS_PRELOAD  Strict-Transport-Security
FURIMA_VAR_DIR        where SQLite, mail files and screenshots go (default: ./var)
FURIMA_DEMO           1 for demo mode: the clock can be shifted forward (default 0)
FURIMA_EMAIL_BACKEND  Django mail backend for notifications (default: files under VAR_DIR/mail
                      with FURIMA_DEBUG=1 or FURIMA_DEMO=1, else SMTP)
FURIMA_SMTP_HOST      SMTP server (default localhost)
FURIMA_SMTP_PORT      SMTP port (default 25)
FURIMA_SMTP_TIMEOUT   seconds before a silent SMTP server counts as a failed attempt (default 30)
FURIMA_MAIL_FROM      sender of notifications (default "furima <no-reply@furima.invalid>")
FURIMA_METRICS_ALLOWED_IPS  who may read GET /metrics (default "127.0.0.1,::1"; networks allowed)
FURIMA_LOG_FORMAT     json or plain (default: json unless stderr is a terminal)
FURIMA_SMTP_USER / FURIMA_SMTP_PASSWORD   SMTP authentication (default: none)
FURIMA_SMTP_STARTTLS  1: STARTTLS (port 587); FURIMA_SMTP_TLS 1: implicit TLS (port 465)
FURIMA_SITE_URL       the site's public address, for links in mails (default http://localhost:8000)
FURIMA_INQUIRY_SLA_BUSINESS_DAYS  business days (Japan) staff have to answer an inquiry (default 1)
FURIMA_INQUIRY_VERIFY_HOURS  how long an anonymous inquiry's verification link works (default 72)
FURIMA_SUPPORT_MAIL   where new inquiries nobody has taken yet are mailed (default: none)
FURIMA_PAYOUT_FEE     yen the seller pays per payout request (振込手数料, default 200)
FURIMA_PAYOUT_MINIMUM the smallest payout request in yen, fee included (default 1000)
FURIMA_MEDIA_STORAGE  where listing photos are stored: filesystem (default, under
                      FURIMA_MEDIA_ROOT, default VAR_DIR/media) or s3 (django-storages, any
                      S3-compatible service: FURIMA_S3_BUCKET, FURIMA_S3_ENDPOINT_URL,
                      FURIMA_S3_REGION, FURIMA_S3_ACCESS_KEY_ID, FURIMA_S3_SECRET_ACCESS_KEY,
                      FURIMA_S3_CUSTOM_DOMAIN for a CDN in front of the bucket)
FURIMA_MEDIA_URL      the photos' public address prefix (default /media/)
FURIMA_SERVE_MEDIA    1: this app serves /media/ itself (default: on for filesystem storage)
FURIMA_PHOTO_MAX_BYTES, FURIMA_PHOTO_MAX_PIXELS  limits per uploaded photo (10 MiB, 50 MP)
"""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def _whole(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number setting; anything else stops the start with one line naming it."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {value}")
    return value


VAR_DIR = Path(os.environ.get("FURIMA_VAR_DIR", Path.cwd() / "var")).resolve()
DEBUG = _flag("FURIMA_DEBUG")

FURIMA_DEMO = _flag("FURIMA_DEMO")
# A test run (pytest sets PYTEST_VERSION) is development too: it never serves anyone.
_DEVELOPMENT = DEBUG or FURIMA_DEMO or "PYTEST_VERSION" in os.environ

SECRET_KEY = os.environ.get("FURIMA_SECRET_KEY", "")
if not SECRET_KEY:
    if not _DEVELOPMENT:
        raise ImproperlyConfigured(
            "FURIMA_SECRET_KEY is not set: give production a long random secret key"
            " (or set FURIMA_DEBUG=1 for development, FURIMA_DEMO=1 for the demo)"
        )
    SECRET_KEY = "furima-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("FURIMA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(
        ","
    )
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_htmx",
    "axes",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not from a CDN
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "furima.web",
    "furima.accounts",
    "furima.support",
    "furima.market",
    "furima.shipping",
    "furima.trades",
    "furima.ledger",
    "furima.notify",
    "furima.payouts",
    "furima.operations",
    "django_prometheus",
]

# Widgets render with the project's templates, so templates/django/forms/widgets/select.html
# (the same output, options written inline) is used instead of Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first: times everything
    # Then: refuses oversized bodies and NUL bytes, and gives /api/ JSON errors throughout.
    "furima.api.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "furima.web.middleware.UserLanguageMiddleware",  # after auth: the user's own language
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # last: counts responses
]

AUTHENTICATION_BACKENDS = [
    # First: refuses logins for a locked-out username/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _whole("FURIMA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as furima reads it everywhere (furima/client_address.py), never a
# header a client writes (axes would trust X-Forwarded-For if django-ipware were installed).
AXES_CLIENT_IP_CALLABLE = "furima.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "mypage"
LOGOUT_REDIRECT_URL = "home"

ROOT_URLCONF = "furima.urls"
WSGI_APPLICATION = "furima.wsgi.application"
ASGI_APPLICATION = "furima.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "furima.web.context_processors.furima",
            ]
        },
    }
]


def _database() -> dj_database_url.DBConfig:
    url = os.environ.get("FURIMA_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'furima.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=_whole("FURIMA_CONN_MAX_AGE", 60))
    except ValueError as error:
        raise ImproperlyConfigured(f"FURIMA_DATABASE_URL: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Each atomic block takes the write lock up front, so two writers never deadlock
        # on a lock upgrade (SQLite ignores select_for_update).
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        config["CONN_MAX_AGE"] = 0
        config.setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test.sqlite3")
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    elif config["ENGINE"] == "django.db.backends.postgresql" and _flag(
        "FURIMA_PREPARED_STATEMENTS", default=True
    ):
        # Every page runs the same few statements (session, user, the trade, the badge);
        # PostgreSQL spent longer planning them than running them (the trade with its
        # listing, parties and address: 1.6 ms to plan, 0.3 ms to run). With parameters
        # sent apart from the text, psycopg prepares a statement on its fifth use on a
        # connection and the server plans it once (bench/README.md, "Prepared statements").
        config.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Django's password checks at sign-up, password change and reset: not too short (10), not
# all digits, not among the 20,000 most common, not like the username or e-mail address.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Mails about an account (the password reset link) go through the notification outbox:
# f(*, key, subject, body, language, address) writes the row the worker delivers.
FURIMA_ACCOUNT_MAIL = "furima.notify.services.account_mail_send"
# Password reset mails per account and hour: the form cannot be used to flood a mailbox.
FURIMA_ACCOUNT_MAILS_PER_HOUR = _whole("FURIMA_ACCOUNT_MAILS_PER_HOUR", 3, minimum=1)
# Days a new API token works (`furima api_token create --days N` chooses; 0: until revoked).
FURIMA_API_TOKEN_DAYS = _whole("FURIMA_API_TOKEN_DAYS", 90)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).parent / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served by WhiteNoise straight from the app directories (no collectstatic
# step); set FURIMA_STATIC_ROOT to collect them for a front server instead.
STATIC_ROOT = os.environ.get("FURIMA_STATIC_ROOT") or None
STATICFILES_DIRS = [Path(__file__).parent / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Content-Security-Policy (django-csp): only our own scripts, styles and connections.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Sessions live in the database only: a logout (or a password change) is seen at once by every
# web process. A per-process cache in front of it would keep a deleted session alive there.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS. Outside development, cookies travel over HTTPS only and plain HTTP is redirected.
# Behind a TLS proxy, FURIMA_PROXY_SSL_HEADER names the header the proxy sets to "https"
# (the proxy must strip it from what clients send); without it every request looks plain
# HTTP to Django and SSL redirection would loop.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag(
    "FURIMA_SECURE_COOKIES", default=not _DEVELOPMENT
)
SECURE_SSL_REDIRECT = _flag("FURIMA_SSL_REDIRECT", default=not _DEVELOPMENT)
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]  # probes from inside the network
_proxy_ssl_header = os.environ.get("FURIMA_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
# Behind proxies, every request arrives from the proxy's address: login lockouts (axes) would
# lock out everyone at once and /metrics would answer the world through a proxy on
# 127.0.0.1. With FURIMA_PROXY_COUNT = N the WSGI application (furima/wsgi.py) takes the
# client's address from the N-th entry from the right of X-Forwarded-For (the entries the
# N trusted proxies appended; what a client writes there itself is further left and ignored)
# and everything downstream reads REMOTE_ADDR.
FURIMA_PROXY_COUNT = _whole("FURIMA_PROXY_COUNT", 0)
SECURE_HSTS_SECONDS = _whole("FURIMA_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("FURIMA_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = _flag("FURIMA_HSTS_PRELOAD")
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("FURIMA_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

# Request bodies: larger ones are refused with 413 (`payload_too_large`) before any view
# reads them; multipart forms (photos) get the upload limit instead.
DATA_UPLOAD_MAX_MEMORY_SIZE = _whole("FURIMA_MAX_BODY_BYTES", 1024 * 1024, minimum=1)
FURIMA_MAX_UPLOAD_BYTES = _whole("FURIMA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1)

# Listing photos (furima.market.images): each upload at most this many bytes and pixels (a
# 48-megapixel phone photo passes; a "decompression bomb" does not).
FURIMA_PHOTO_MAX_BYTES = _whole("FURIMA_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
FURIMA_PHOTO_MAX_PIXELS = _whole("FURIMA_PHOTO_MAX_PIXELS", 50_000_000, minimum=1)
MEDIA_ROOT = Path(os.environ.get("FURIMA_MEDIA_ROOT", VAR_DIR / "media")).resolve()
MEDIA_URL = os.environ.get("FURIMA_MEDIA_URL", "/media/")
FURIMA_MEDIA_STORAGE = os.environ.get("FURIMA_MEDIA_STORAGE", "filesystem")
PHOTO_CACHE_CONTROL = "public, max-age=31536000, immutable"
"""Photo files never change under their (random) names: caches may keep them for a year."""


def media_storage(kind: str) -> dict:
    """Django's default storage, which holds the photos: files on disk, or an S3-compatible
    bucket through django-storages (the bucket, or a CDN in front of it, serves them)."""
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured("FURIMA_MEDIA_STORAGE is filesystem or s3")
    env = os.environ.get
    options = {
        "bucket_name": env("FURIMA_S3_BUCKET", ""),
        "endpoint_url": env("FURIMA_S3_ENDPOINT_URL") or None,
        "region_name": env("FURIMA_S3_REGION") or None,
        "access_key": env("FURIMA_S3_ACCESS_KEY_ID") or None,
        "secret_key": env("FURIMA_S3_SECRET_ACCESS_KEY") or None,
        "custom_domain": env("FURIMA_S3_CUSTOM_DOMAIN") or None,
        "location": env("FURIMA_S3_PREFIX", ""),
        "querystring_auth": False,  # photos are public: plain, cacheable URLs
        "file_overwrite": False,
        "object_parameters": {"CacheControl": PHOTO_CACHE_CONTROL},
    }
    if not options["bucket_name"]:
        raise ImproperlyConfigured("FURIMA_MEDIA_STORAGE=s3 needs FURIMA_S3_BUCKET")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(FURIMA_MEDIA_STORAGE),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FURIMA_SERVE_MEDIA = _flag("FURIMA_SERVE_MEDIA", default=FURIMA_MEDIA_STORAGE == "filesystem")

FURIMA_DEFAULT_POLICY = os.environ.get("FURIMA_DEFAULT_POLICY", "furima")
# 振込申請: the transfer fee and the smallest request (fee included), in yen.
FURIMA_PAYOUT_FEE = _whole("FURIMA_PAYOUT_FEE", 200)
FURIMA_PAYOUT_MINIMUM = _whole("FURIMA_PAYOUT_MINIMUM", 1000)
if not 0 <= FURIMA_PAYOUT_FEE < FURIMA_PAYOUT_MINIMUM:
    raise ImproperlyConfigured(
        "FURIMA_PAYOUT_FEE must be at least 0 and less than FURIMA_PAYOUT_MINIMUM"
    )
# Demo mode (FURIMA_DEMO, read above): `furima.clock` reads a forward shift from the database,
# shared by all processes.
# Called as f(events=[TradeEvent, ...]) inside the transaction that wrote the events (the
# notification outbox plugs in here without the trades app knowing about it).
FURIMA_TRADE_EVENT_SUBSCRIBERS: list[str] = ["furima.notify.services.notifications_for_events"]
# Called as f(comment=ListingComment, listing=Listing) inside the transaction that wrote a
# question or answer on a listing (the market cannot import the outbox: it sits below it).
FURIMA_LISTING_COMMENT_SUBSCRIBERS: list[str] = ["furima.notify.comments.notices_for_comment"]
# Called as f(listing=Listing, old_price=int) inside the transaction that lowered a price.
FURIMA_LISTING_PRICE_DROP_SUBSCRIBERS: list[str] = ["furima.notify.likes.notices_for_price_drop"]
# What `furima worker` runs in each round: callables f(*, batch_size) -> items processed.
FURIMA_WORKER_SWEEPS: list[str] = [
    "furima.trades.tasks.timers_sweep",
    "furima.notify.tasks.deliver_due",
]
# The carriers' delivery webhook (POST /api/v1/carrier/events) accepts only bodies signed
# with this shared secret (HMAC-SHA256); empty: every call is refused.
FURIMA_CARRIER_SECRET = os.environ.get("FURIMA_CARRIER_SECRET", "")
# 1: the worker's timer transactions wait for the WAL flush like everything else (see
# furima.trades.services._relax_durability for why they need not).
FURIMA_WORKER_SYNCHRONOUS_COMMIT = _flag("FURIMA_WORKER_SYNCHRONOUS_COMMIT")

# Notifications are delivered by the worker (furima.notify.tasks) through this backend.
EMAIL_BACKEND = os.environ.get("FURIMA_EMAIL_BACKEND") or (
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG or FURIMA_DEMO
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("FURIMA_SMTP_HOST", "localhost")
EMAIL_PORT = _whole("FURIMA_SMTP_PORT", 25, minimum=1)
EMAIL_TIMEOUT = float(os.environ.get("FURIMA_SMTP_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("FURIMA_MAIL_FROM", "furima <no-reply@furima.invalid>")
EMAIL_HOST_USER = os.environ.get("FURIMA_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FURIMA_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _flag("FURIMA_SMTP_STARTTLS")  # STARTTLS on a plain port (587)
EMAIL_USE_SSL = _flag("FURIMA_SMTP_TLS")  # implicit TLS from the first byte (465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("set FURIMA_SMTP_STARTTLS or FURIMA_SMTP_TLS, not both")
# Where mails link to: the site's public address, scheme included.
FURIMA_SITE_URL = os.environ.get("FURIMA_SITE_URL", "http://localhost:8000")

# GET /metrics answers only these addresses or networks (comma-separated); behind a proxy on
# the same machine, restrict /metrics at the proxy too.
FURIMA_METRICS_ALLOWED_IPS = os.environ.get("FURIMA_METRICS_ALLOWED_IPS", "127.0.0.1,::1")
FURIMA_METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(entry.strip(), strict=False)
    for entry in FURIMA_METRICS_ALLOWED_IPS.split(",")
    if entry.strip()
]

# Logs: one JSON object per line when stderr is not a terminal (a service manager, a
# container, CI), plain lines on a terminal; FURIMA_LOG_FORMAT=json|plain decides instead.
FURIMA_LOG_FORMAT = os.environ.get("FURIMA_LOG_FORMAT") or (
    "plain" if sys.stderr.isatty() else "json"
)

# Support (furima.support): the inquiry SLA in Japanese business days, the life of the link
# that verifies an anonymous inquiry's address, and the staff mailbox for untaken inquiries.
FURIMA_INQUIRY_SLA_BUSINESS_DAYS = _whole("FURIMA_INQUIRY_SLA_BUSINESS_DAYS", 1)
FURIMA_INQUIRY_VERIFY_HOURS = _whole("FURIMA_INQUIRY_VERIFY_HOURS", 72, minimum=1)
FURIMA_SUPPORT_MAIL = os.environ.get("FURIMA_SUPPORT_MAIL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if FURIMA_LOG_FORMAT == "json" else "plain",
        }
    },
    "loggers": {
        "furima": {"handlers": ["console"], "level": os.environ.get("FURIMA_LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

"""Django settings, read from the environment.

Safe defaults for development (SQLite under ``var/``, DEBUG on, a throw-away secret key);
loud failures in production: with ``DJANGO_DEBUG=0`` a missing ``SECRET_KEY`` or
``ALLOWED_HOSTS`` stops the process with a message naming the variable.
Every variable is listed in the README's configuration table.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from clausier.kernel.client_address import parse_networks

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CLAUSIER_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DJANGO_DEBUG=0 clausier refuses to start without a "
            "secret key: set SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DJANGO_DEBUG=0 list the host names clausier answers "
        "to, comma separated (for example ALLOWED_HOSTS=factures.example.fr)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Webhooks go to public HTTPS addresses only (private, loopback and link-local ones are
# refused); the host names listed here may be private or plain HTTP (a receiver on the same
# network), comma separated.
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "clausier.web",
    "clausier.audit",
    "clausier.sellers",
    "clausier.customers",
    "clausier.terms",
    "clausier.numbering",
    "clausier.catalog",
    "clausier.quotes",
    "clausier.orders",
    "clausier.contracts",
    "clausier.metering",
    "clausier.support",
    "clausier.invoicing",
    "clausier.payments",
    "clausier.collections",
    "clausier.withdrawal",
    "clausier.legal",
    "clausier.webhooks",
    "clausier.inbox",
    "clausier.documents",
    "clausier.api",
    "clausier.backoffice",
    "clausier.portal",
    "clausier.demo",
    "clausier.ops",
    # Login hardening (clausier.security): lockout, and the second factor's devices.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "clausier.security",
]

MIDDLEWARE = [
    "clausier.audit.context.RequestIdMiddleware",
    "clausier.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "clausier.api.language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clausier.security.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clausier.web.forms.OneTimeFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clausier.urls"
WSGI_APPLICATION = "clausier.wsgi.application"

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
                "django.template.context_processors.csp",
                "clausier.web.context_processors.clausier",
            ],
        },
    },
]


def _database(variable: str = "DATABASE_URL", default_url: str | None = None) -> dict:
    url = os.environ.get(variable, default_url or f"sqlite:///{VAR_DIR / 'clausier.sqlite3'}")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:  # unknown scheme, malformed URL
        raise ImproperlyConfigured(
            f"{variable}={url!r} cannot be used: {exc}. Expected sqlite:///path or "
            "postgres://user@host:port/name."
        ) from exc
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # WAL and a busy timeout let the web process and the task worker share the file.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"{variable}={url!r}: clausier supports SQLite and PostgreSQL only."
        )
    elif env_bool("DATABASE_POOL", False):
        # psycopg's pool, one per process and alias: connections are reused across requests
        # (a pooled connection is never persistent, so CONN_MAX_AGE must be 0).
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
            "timeout": 10,
        }
    return config


DATABASES = {"default": _database()}
# Reports and exports read from a replica when there is one (kernel/replica.py: the router
# sends there the reads made under reporting(), writes always go to default); in tests the
# alias mirrors default (same database, its own connection).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = _database("DATABASE_REPLICA_URL") | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["clausier.kernel.replica.ReplicaRouter"]

# Background work: Django's tasks framework. TASKS_BACKEND=database (default): the queue is a
# table of the same database, worked by `clausier db_worker`; nothing more to run.
# TASKS_BACKEND=redis: the queue lives in Redis (REDIS_URL), worked by RQ's workers
# (`clausier rqworker --job-class django_tasks_rq.Job --with-scheduler default`).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r}: expected database or redis.")
# The table of cross-domain reactions (REACTIONS) and its on_failure: see kernel/events.py.
CLAUSIER_REACTIONS = "clausier.reactions"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Stored in UTC, shown in the seller's zone (Europe/Paris by default).
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")

USE_I18N = True
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE={LANGUAGE_CODE!r}: expected one of fr, en.")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from it once collected
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files are never served as static files (no URL maps MEDIA_ROOT: each file goes
# through a view that checks who asks, as an attachment): keep the two folders apart.
_media, _static = MEDIA_ROOT.resolve(), STATIC_ROOT.resolve()
if _media.is_relative_to(_static) or _static.is_relative_to(_media):
    raise ImproperlyConfigured(
        f"MEDIA_ROOT={MEDIA_ROOT} and the static files ({STATIC_ROOT}) overlap: uploaded files "
        "would be served to anyone. Set MEDIA_ROOT to a folder of its own."
    )
# The largest upload accepted, per kind (kernel/uploads.py): bytes.
UPLOAD_MAX_BYTES = {
    "logo": 512 * 1024,
    "attachment": int(os.environ.get("UPLOAD_MAX_ATTACHMENT_MB", 20)) * 1024 * 1024,
    "evidence": int(os.environ.get("UPLOAD_MAX_EVIDENCE_MB", 10)) * 1024 * 1024,
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Login throttling and lockout (django-axes): after LOGIN_FAILURE_LIMIT refused passwords for
# one username from one address, that pair is locked for LOGIN_COOLOFF_MINUTES (a superuser
# unlocks it sooner in the admin, "Access attempts", or with `clausier axes_reset_username`).
AUTHENTICATION_BACKENDS = [
    "clausier.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clausier.security.lockout.locked_out"
AXES_VERBOSE = False
# The client's address is X-Forwarded-For's last hop when the request comes from one of these
# proxies (addresses or networks; loopback by default, for a proxy on the same machine):
# clausier.kernel.client_address, used by the lockout, acceptance evidence and metrics.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
try:
    parse_networks(TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
AXES_CLIENT_IP_CALLABLE = "clausier.kernel.client_address.client_address"
# Staff whose role is listed must log in with a second factor (TOTP app and recovery codes);
# anyone may choose one. `make demo` empties it so that the demo logins need no phone.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", ["owner", "accounting"])
OTP_TOTP_ISSUER = "clausier"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after_login"
LOGOUT_REDIRECT_URL = "home"


# Development mail: every message sent is kept as an .eml file here (EMAIL_URL=outbox://,
# the default in debug) and listed on the back-office's outbox page (OUTBOX_PAGE).
OUTBOX_DIR = Path(os.environ.get("OUTBOX_DIR", VAR_DIR / "outbox"))
OUTBOX_PAGE = env_bool("OUTBOX_PAGE", DEBUG)


def _mailer() -> dict:
    """The default mailer from EMAIL_URL: smtp://user:password@host:port, smtps://... (TLS
    from the first byte), smtp+starttls://..., or console:// (prints messages, development)."""
    url = os.environ.get("EMAIL_URL", "outbox://" if DEBUG else "smtp://localhost:25")
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "outbox":
        # The folder is OUTBOX_DIR, read when a message is sent.
        return {"BACKEND": "clausier.documents.outbox.EmailBackend"}
    if parts.scheme not in {"smtp", "smtps", "smtp+starttls"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL={url!r}: expected smtp://, smtps://, smtp+starttls://, outbox:// or "
            "console://."
        )
    try:
        port = parts.port or {"smtps": 465, "smtp+starttls": 587}.get(parts.scheme, 25)
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL={url!r}: {exc}.") from exc
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme == "smtp+starttls",
            "timeout": 30,
        },
    }


MAILERS = {"default": _mailer()}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clausier@localhost")
# Where clients reach clausier: links in emails (portal, documents) are built on it.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Mail in (clausier.inbox): the domain of the Message-IDs clausier writes (a message coming
# back with one is a loop), and the largest message accepted (refused with 552 over LMTP/SMTP).
INBOX_MESSAGE_ID_DOMAIN = os.environ.get(
    "INBOX_MESSAGE_ID_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2] or "clausier.invalid"
).lower()
INBOX_MAX_MESSAGE_BYTES = int(os.environ.get("INBOX_MAX_MESSAGE_MB", 25)) * 1024 * 1024

# --- Security headers (README, "Running in production") ---------------------------------
# Every page: scripts and styles from clausier's own static files only, no inline code (a
# style a page must carry inline, the portal's brand colour, bears the request's nonce:
# {{ csp_nonce }}); no framing, no plugins, forms posted to clausier only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (HTTPS=1, the default in production): the proxy in front says so with
# X-Forwarded-Proto (it must set or overwrite that header), plain HTTP is redirected (but the
# health check), cookies travel over HTTPS only and browsers are told to keep to HTTPS (HSTS).
HTTPS = env_bool("HTTPS", not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a submission of the domain to the browsers' list, the owner's choice.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)

# Logs: one JSON object a line (time, level, logger, message, request_id) in production,
# text in debug; LOG_FORMAT chooses. /metrics answers METRICS_TOKEN's bearer, or loopback only
# when it is unset.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: expected json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "clausier.ops.logs.JsonFormatter"},
        "text": {"()": "clausier.ops.logs.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # fontTools narrates its work at INFO, and the factur-x library each embedding
    # ("factur-x.xml file added..."); keep their warnings only.
    # django-axes narrates every login at INFO and every refusal at WARNING: the audit trail
    # keeps them (login.failed, login.locked_out).
    # stripe and httpx log every request at INFO: the payment services log what matters.
    "loggers": {name: {"level": "WARNING"} for name in ("fontTools", "factur-x", "stripe", "httpx")}
    | {"axes": {"level": "ERROR"}},
}
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
if METRICS_TOKEN and len(METRICS_TOKEN) < 24:
    raise ImproperlyConfigured(
        "METRICS_TOKEN is too short: give at least 24 random characters (for example the "
        "output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)."
    )

# --- Online payments (payments/providers) -------------------------------------------------
# Card payments through Stripe, PayPal through its Orders v2 API. Each provider is on when its
# keys are all set and off when none is; half a configuration stops the process, naming what
# is missing. Test keys: Stripe's dashboard in test mode (sk_test_..., and the webhook
# endpoint's whsec_...), a PayPal sandbox app (developer.paypal.com) and its webhook's id.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "").strip()
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "").strip()
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com").rstrip("/")
PAYPAL_CLIENT_ID = os.environ.get("PAYPAL_CLIENT_ID", "").strip()
PAYPAL_CLIENT_SECRET = os.environ.get("PAYPAL_CLIENT_SECRET", "").strip()
PAYPAL_WEBHOOK_ID = os.environ.get("PAYPAL_WEBHOOK_ID", "").strip()
# PayPal's sandbox in debug, its live API otherwise.
PAYPAL_API_BASE = os.environ.get(
    "PAYPAL_API_BASE", "https://api-m.sandbox.paypal.com" if DEBUG else "https://api-m.paypal.com"
).rstrip("/")
# The hosts a PayPal webhook's signing certificate may be fetched from (its PAYPAL-CERT-URL
# header names it, so the list keeps a forged delivery from bringing its own certificate).
PAYPAL_CERT_HOSTS = env_list(
    "PAYPAL_CERT_HOSTS",
    ["api.paypal.com", "api-m.paypal.com", "api.sandbox.paypal.com", "api-m.sandbox.paypal.com"],
)


def _check_payment_providers() -> None:
    groups = {
        "Stripe": {
            "STRIPE_SECRET_KEY": STRIPE_SECRET_KEY,
            "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
        },
        "PayPal": {
            "PAYPAL_CLIENT_ID": PAYPAL_CLIENT_ID,
            "PAYPAL_CLIENT_SECRET": PAYPAL_CLIENT_SECRET,
            "PAYPAL_WEBHOOK_ID": PAYPAL_WEBHOOK_ID,
        },
    }
    for provider, variables in groups.items():
        missing = [name for name, value in variables.items() if not value]
        if missing and len(missing) < len(variables):
            given = [name for name in variables if name not in missing]
            raise ImproperlyConfigured(
                f"{provider} is half configured: {', '.join(given)} set but "
                f"{', '.join(missing)} missing. Set them all to take payments through "
                f"{provider}, or none to turn it off."
            )
    if STRIPE_SECRET_KEY and not STRIPE_SECRET_KEY.startswith(("sk_", "rk_")):
        raise ImproperlyConfigured(
            "STRIPE_SECRET_KEY must be a secret key (sk_test_..., sk_live_...) or a restricted "
            "key (rk_...), never the publishable key (pk_...)."
        )
    if STRIPE_WEBHOOK_SECRET and not STRIPE_WEBHOOK_SECRET.startswith("whsec_"):
        raise ImproperlyConfigured(
            "STRIPE_WEBHOOK_SECRET must be the webhook endpoint's signing secret (whsec_...)."
        )
    for name, url in (("STRIPE_API_BASE", STRIPE_API_BASE), ("PAYPAL_API_BASE", PAYPAL_API_BASE)):
        parts = urlsplit(url)
        local = parts.hostname in {"127.0.0.1", "localhost", "::1"}
        if not parts.hostname or parts.scheme not in ({"http", "https"} if local else {"https"}):
            raise ImproperlyConfigured(
                f"{name}={url!r}: expected an https:// address (http:// on loopback only)."
            )


_check_payment_providers()

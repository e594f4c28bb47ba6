"""Settings for the steering-negotiation portal.

Everything comes from the environment through one django-environ `env`. Unless
`DJANGO_ENV=local` is set (as `make run` and `make test` do), the settings are those of
production: no DEBUG, secure cookies, and the process refuses to start without its
secrets, so a deployment that forgets DJANGO_ENV never runs with the public local key.
Locally the portal runs on the embedded default: SQLite, media on local disk, an
in-process cache and Celery in eager mode.
"""

import importlib.util
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Production unless said otherwise: forgetting the variable must fail safe, not open.
DJANGO_ENV = env.str("DJANGO_ENV", default="") or "production"
if DJANGO_ENV not in {"local", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'local' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"


def _required_in_production(name, local_default, cast=str):
    """Read a setting that has a harmless local default but must be given in production."""
    if PRODUCTION and not env.str(name, default=""):
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_ENV=production (the default unless "
            "DJANGO_ENV=local is set); refusing to start without it."
        )
    if cast is list:
        return env.list(name, default=local_default)
    return env.str(name, default=local_default)


# The local key only ever signs local demo sessions; production must bring its own.
SECRET_KEY = _required_in_production(
    "SECRET_KEY", "local-only-insecure-key-never-used-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = _required_in_production("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], cast=list)
DEBUG = env.bool("DEBUG", default=False) if PRODUCTION else env.bool("DEBUG", default=True)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be on when DJANGO_ENV=production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    # Sign-in with the organisations' own identity providers, and two-factor for local
    # accounts (see "Sign-in and two-factor" below).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "steering",
    "regions",
    "negotiations",
    "minutes",
    "signin",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag/Last-Modified and 304 for every page; the cached public pages carry their ETag.
    "django.middleware.http.ConditionalGetMiddleware",
    "steering.middleware.StripNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "signin.middleware.AdminTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "steering.urls"
WSGI_APPLICATION = "steering.wsgi.application"
ASGI_APPLICATION = "steering.asgi.application"

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
                "steering.context_processors.portal",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------------------
# An empty variable counts as unset, so `DATABASE_URL= make test` means the default.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new PostgreSQL connection costs a backend process per request: keep them for a minute
    # (health-checked, so a restarted server costs one retry, not an error).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Fail fast instead of hanging a request (or /healthz) when the server is away.
    options.setdefault("connect_timeout", 5)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "regions.User"


def _cache(url: str) -> dict:
    config = env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # A cache that does not answer within a second is passed over (minutes.public.cache).
        config.setdefault("OPTIONS", {}).update(socket_connect_timeout=1.0, socket_timeout=1.0)
        config["BACKEND"] = "steering.cache.RedisCache"
    return config


# Anonymous public pages are cached (turned off only to measure the uncached pages).
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=True)
CACHE_URL = env.str("CACHE_URL", default="")


def _next_database(url: str) -> str:
    """The same Redis server, the next database: clearing the public pages empties theirs."""
    parts = urlsplit(url)
    return parts._replace(path=f"/{int(parts.path.strip('/') or 0) + 1}").geturl()


PUBLIC_CACHE_URL = env.str("PUBLIC_CACHE_URL", default="") or (
    _next_database(CACHE_URL) if CACHE_URL else "locmemcache://public-pages"
)
CACHES = {
    "default": _cache(CACHE_URL or "locmemcache://steering"),
    # Cleared whole on every change the public pages show (minutes.public.cache).
    "public": _cache(PUBLIC_CACHE_URL),
}

# --- Celery ------------------------------------------------------------------------------
# Without a broker every task runs in-process at once (eager), so the embedded default
# needs no Redis and no worker; with one, tasks go through the broker to a worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Helsinki"
# The queue tasks go to unless routed: a test's own worker gets one of its own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# The outbox (steering/outbox.py): a web action tries the broker once, this many seconds at
# most; a message handed over but not run after OUTBOX_RESEND_MINUTES is sent again.
OUTBOX_CONNECT_TIMEOUT = env.float("OUTBOX_CONNECT_TIMEOUT", default=1.0)
OUTBOX_RESEND_MINUTES = env.int("OUTBOX_RESEND_MINUTES", default=15)
OUTBOX_MAX_ATTEMPTS = 50
OUTBOX_KEEP_DAYS = 7
CELERY_BEAT_SCHEDULE = {
    "material-deadline-reminders": {
        "task": "negotiations.send_material_deadline_reminders",
        "schedule": timedelta(hours=6),
    },
    "protocol-reconciler": {
        "task": "minutes.reconcile_protocols",
        "schedule": timedelta(minutes=5),
    },
    "outbox-drain": {
        "task": "steering.drain_outbox",
        "schedule": timedelta(minutes=1),
    },
    "review-reminders": {
        "task": "minutes.send_review_reminders",
        "schedule": timedelta(hours=6),
    },
    "follow-up-reminders": {
        "task": "minutes.send_item_due_reminders",
        "schedule": timedelta(hours=6),
    },
}
# How many days before an open follow-up item's due date the region is reminded.
FOLLOW_UP_REMINDER_DAYS = env.int("FOLLOW_UP_REMINDER_DAYS", default=14)

# --- Auth ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling. A lock holds a username together with the client address, so that
# someone guessing at an account cannot lock its owner out from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "csrfmiddlewaretoken"]
# The client address is REMOTE_ADDR unless a known number of our own proxies stand in
# front; a client-supplied X-Forwarded-For is never believed beyond those hops.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "steering.client_ip.client_ip"
# Many accounts tried from one address: failed logins per client address, whatever the
# username, above which that address is refused for the window (higher than the per-account
# limit, as an office behind one NAT shares an address).
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
LOGIN_IP_WINDOW_MINUTES = env.int("LOGIN_IP_WINDOW_MINUTES", default=15)
# Password-reset mail: requests per e-mail address and per client address in the window.
PASSWORD_RESET_EMAIL_LIMIT = env.int("PASSWORD_RESET_EMAIL_LIMIT", default=3)
PASSWORD_RESET_IP_LIMIT = env.int("PASSWORD_RESET_IP_LIMIT", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)

# --- Sign-in and two-factor (django-allauth) --------------------------------------------------
# Local accounts keep Django's own login view (and axes); allauth serves only the OpenID
# Connect flow of each organisation's provider and the TOTP / recovery-code second factor.
AUTHENTICATION_BACKENDS += ["allauth.account.auth_backends.AuthenticationBackend"]
SOCIALACCOUNT_ADAPTER = "signin.adapter.SignInAdapter"
ACCOUNT_ADAPTER = "signin.adapter.NoSignupAccountAdapter"
# Accounts come only from a configured provider, straight away, never from a form.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# No sign-in codes by e-mail: a second factor is asked for by password or authenticator.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=5)
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
# No sign-in codes by e-mail: a second factor is asked for by password or authenticator.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Ohjausneuvottelut")
# Administrators with a local password must have a second factor before reaching the
# admin; on by default in production only, so that `make run` keeps plain local logins.
MFA_REQUIRED_FOR_ADMINISTRATORS = env.bool("MFA_REQUIRED_FOR_ADMINISTRATORS", default=PRODUCTION)
# Wrong second-factor codes per pending login before it is abandoned.
MFA_LOGIN_FAILURE_LIMIT = env.int("MFA_LOGIN_FAILURE_LIMIT", default=5)

# --- Languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times in each language's own format (templates use the format names).
FORMAT_MODULE_PATH = ["steering.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Bootstrap comes from the bootstrap-wrapper wheel and is served as our own static files.
_BOOTSTRAP_DIR = next(iter(importlib.util.find_spec("bootstrap").submodule_search_locations))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", _BOOTSTRAP_DIR),
]
# Outside production WhiteNoise serves straight from the app and package folders, so
# neither the demo nor the tests need a collectstatic first.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Media (uploads and protocol PDFs) on local disk, or in an S3-compatible object store
# when a bucket is named; nothing in the code depends on which.
S3_BUCKET = env.str("S3_BUCKET", default="")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            # Private objects; the portal's own views check access and stream them.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ----------------------------------------------------------------------------------
# One URL says where mail goes (django-environ): smtp://user:password@host:25,
# smtp+tls://…:587 (STARTTLS), smtp+ssl://…:465, consolemail:// (printed, the local
# default), filemail:///path. The password is URL-encoded in it.
# EMAIL_BACKEND and EMAIL_FILE_PATH still override it (tests hand them to workers).
_OLD_EMAIL_VARIABLES = ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
                        "EMAIL_USE_TLS")  # fmt: skip
EMAIL_URL = env.str("EMAIL_URL", default="")
if not EMAIL_URL and any(env.str(name, default="") for name in _OLD_EMAIL_VARIABLES):
    # Silently falling back to localhost would lose a deployment's mail.
    raise ImproperlyConfigured(
        "EMAIL_HOST and its companions are replaced by EMAIL_URL, e.g. "
        "smtp+tls://user:password@smtp.example.fi:587."
    )
_email = env.email_url_config(
    EMAIL_URL or ("smtp://localhost:25" if PRODUCTION else "consolemail://")
)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_PORT = _email["EMAIL_PORT"] or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_FILE_PATH = env.str(
    "EMAIL_FILE_PATH", default=_email["EMAIL_FILE_PATH"] or str(BASE_DIR / "var" / "mail")
)
# A server that stops answering fails the attempt (and the task retries) well inside the
# send task's 30-second soft limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ohjausneuvottelut@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Shown on the accessibility statement; the deployment check refuses the local default.
ACCESSIBILITY_FEEDBACK_EMAIL = env.str(
    "ACCESSIBILITY_FEEDBACK_EMAIL", default="" if PRODUCTION else "saavutettavuus@localhost"
)
# Links in e-mails are absolute: a message is not read on the page that sent it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Public alerts (the alerts app): a confirmation link is valid this long, and an address
# or a client may ask for this many subscriptions in the window.
ALERTS_CONFIRM_DAYS = env.int("ALERTS_CONFIRM_DAYS", default=7)
ALERTS_EMAIL_LIMIT = env.int("ALERTS_EMAIL_LIMIT", default=3)
ALERTS_IP_LIMIT = env.int("ALERTS_IP_LIMIT", default=20)
ALERTS_WINDOW_MINUTES = env.int("ALERTS_WINDOW_MINUTES", default=60)
CELERY_BEAT_SCHEDULE["alerts-purge-unconfirmed"] = {
    "task": "alerts.purge_unconfirmed",
    "schedule": timedelta(hours=1),
}
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=25)
# Far beyond any real protocol (a typical one is ~30,000 characters); content past these is
# refused before a worker spends time and memory laying it out.
# A constant-response view at /bench/bare, the yardstick of make bench-web; off by default.
BENCHMARK_BARE_VIEW = env.bool("BENCHMARK_BARE_VIEW", default=False)
PROTOCOL_TEMPLATE = "minutes/protocol.html"
# Days after publication that participants' names and titles stay on the public pages,
# feeds and API (minutes/record.py: public_participants); empty for no limit. Officials'
# pages and the archive package keep the record whole.
PUBLIC_PERSONAL_DATA_DAYS = env.int("PUBLIC_PERSONAL_DATA_DAYS", default=None)
# The input limits and the render's time limit must agree: the largest protocol the forms
# accept (every section full, see bench/RESULTS.md "Largest allowed protocol") renders in
# well under CELERY_TASK_SOFT_TIME_LIMIT on the reference machine.
PROTOCOL_SECTION_MAX_CHARACTERS = 30_000
# All text of one protocol (sections, participants, conclusions) together: nine full
# sections. The form refuses more, in words; the worker's preflight (on the HTML) is the
# backstop for anything that did not come through the form.
PROTOCOL_TOTAL_MAX_CHARACTERS = 270_000
PROTOCOL_LIMITS = {"characters": 600_000, "table_rows": 1_500, "nesting": 60}
# A render still "running" after this long died with its worker; the reconciler re-queues it.
PROTOCOL_RENDER_STALE_MINUTES = env.int("PROTOCOL_RENDER_STALE_MINUTES", default=10)
# A rendering worker updates its row this often; silent for the second figure, it is dead.
PROTOCOL_HEARTBEAT_SECONDS = 5
PROTOCOL_HEARTBEAT_STALE_SECONDS = 30
# Finished PDFs whose file the reconciler looks for on each run (oldest-checked first);
# `manage.py check_protocol_files` looks at all of them.
PROTOCOL_FILE_CHECKS_PER_RUN = 50
# Address-space cap for each worker process, so one hostile render cannot starve the host.
WORKER_MEMORY_LIMIT_MB = env.int("WORKER_MEMORY_LIMIT_MB", default=3072)
# Django's own limit only decides when uploads go to a temporary file; our check refuses.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed by load balancers over plain HTTP inside the platform.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Scripts and styles only from our own static files: no inline code, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Tests that need PostgreSQL, Redis or a worker fail instead of skipping when this is set.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Axes announces itself on every start at INFO; its failed-login lines are WARNING.
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every layout step at INFO; its warnings (refused URLs) stay.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

"""Settings for Book Your Place, read from environment variables.

Production is the default: DEBUG is off unless DEBUG=1 is set (``make run`` sets it).
Every setting a council IT team may need to change is documented in the README.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
VAR_DIR = Path(environ.Env().str("BYP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """In production SECRET_KEY must be set; for development one is kept under var/."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README, 'Production').")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Rotating the key: the new one in SECRET_KEY, the old one(s) here (comma-separated) for as
# long as what was signed with them must still work (docs/deployment.md, "Rotating SECRET_KEY").
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
# The address attendees reach the site on; used for links in emails and calendar invites.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes: one-off codes for signing in when the phone with the authenticator is lost.
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn) as a second factor beside the authenticator app (accounts/passkeys.py).
    "django_otp_webauthn",
    "axes",
    "ninja",
    "bookyourplace.core",
    "bookyourplace.programmes",
    "bookyourplace.bookings",
    "bookyourplace.notifications",
    "bookyourplace.webhooks",
    "bookyourplace.attendance",
    "bookyourplace.feedback",
    "bookyourplace.certificates",
    "bookyourplace.privacy",
    "bookyourplace.reports",
    "bookyourplace.accounts",
    "bookyourplace.public",
    "bookyourplace.backoffice",
    "bookyourplace.api",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, answered before anything else runs (core/endpoints.py).
    "bookyourplace.core.endpoints.ServiceEndpointsMiddleware",
    # Request counts and latency for /metrics (django-prometheus; the After one is near the end).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id on the response and on every log line of the request (core/request_id.py).
    "bookyourplace.core.request_id.RequestIdMiddleware",
    # First of the rest, so that every back-office response, even one made by the middleware below, is no-store.
    "bookyourplace.backoffice.middleware.NoStoreMiddleware",
    # Under /api/: rate limits first, problem JSON for every error, no-store with a token, the
    # audit entry of each use of a token (api/middleware.py).
    "bookyourplace.api.middleware.ApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers for the public programme and session pages it holds before the rest runs.
    "bookyourplace.public.page_cache.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # English or Welsh (the switch's cookie, else the browser's); the back office and API in English.
    "bookyourplace.core.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A session signed in through a council's provider has done its second factor (accounts/council_sign_in.py).
    "bookyourplace.accounts.council_sign_in.CouncilVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "bookyourplace.core.middleware.DatabaseUnavailableMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bookyourplace.urls"
WSGI_APPLICATION = "bookyourplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bookyourplace.core.context_processors.site",
                "bookyourplace.backoffice.context_processors.backoffice",
            ],
        },
    },
]
# Every form field renders as a GOV.UK form group (label, hint, error message, input).
FORM_RENDERER = "bookyourplace.core.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bookyourplace.sqlite3'}")}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Booking takes the write lock at BEGIN (IMMEDIATE), so two bookings queue instead of
    # failing with "database is locked" when one tries to upgrade a read lock. WAL lets
    # readers carry on while a booking writes; the timeout is how long a writer waits.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Each process keeps its connection between requests: opening the file and setting it
    # up again costs more than a cached page does.
    _db["CONN_MAX_AGE"] = env.int("SQLITE_CONN_MAX_AGE", default=600)
    # Tests run against a file, not memory, so threads and a live server share one database;
    # one file per test process, so two test runs never share one.
    _db["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # A connection pool keeps connections open between requests and caps how many a
    # process opens, so a rush of bookings queues for a connection instead of exhausting
    # PostgreSQL's max_connections. After a database restart the pooled connections are
    # dead: the pool checks each one before handing it out (a quick round trip) and replaces
    # dead ones, so requests after a restart get a working connection, not an error.
    from psycopg_pool import ConnectionPool

    def _check_pooled_connection(conn) -> None:
        try:
            ConnectionPool.check_connection(conn)
        except Exception:
            # One dead means the server restarted and every idle one died with it: test them
            # all now. Left to itself the pool finds them one at a time, pausing 1, 2, 4...
            # seconds between, which can keep the next visitor waiting until its timeout.
            if (pool := getattr(conn, "_pool", None)) is not None:
                pool.check()
            raise

    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=20),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=30),
        "check": _check_pooled_connection,
    }
    _db["CONN_MAX_AGE"] = 0
    _db["CONN_HEALTH_CHECKS"] = False
    # Behind PgBouncer in transaction mode (docs/deployment.md, "Scaling out"): a server-side
    # cursor (an export's .iterator()) needs its connection across transactions, which such a
    # pooler does not promise. Prepared statements are already off (Django's default).
    _db["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_TRANSACTION_POOLING", default=False)
    # One test database per test process, so two test runs on one server never collide.
    _db["TEST"] = {"NAME": f"test_{_db['NAME']}_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email", "webhooks"],
    }
}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL takes smtp://user:password@host:587 (smtp+tls://, smtp+ssl://) or filemail:///path;
# or set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS.
# Without either, development (DEBUG=1) keeps every message as a file under var/mail/.
_EMAIL_OPTION_NAMES = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_FILE_PATH": "file_path",
}


def _mailer() -> dict:
    if env.str("EMAIL_URL", default=""):
        parsed = env.email_url("EMAIL_URL")
        backend = parsed.pop("EMAIL_BACKEND")
    elif DEBUG and not env.str("EMAIL_HOST", default=""):
        backend = "django.core.mail.backends.filebased.EmailBackend"
        parsed = {"EMAIL_FILE_PATH": str(VAR_DIR / "mail")}
    else:
        backend = "django.core.mail.backends.smtp.EmailBackend"
        parsed = {
            "EMAIL_HOST": env.str("EMAIL_HOST", default="localhost"),
            "EMAIL_PORT": env.int("EMAIL_PORT", default=25),
            "EMAIL_HOST_USER": env.str("EMAIL_HOST_USER", default=""),
            "EMAIL_HOST_PASSWORD": env.str("EMAIL_HOST_PASSWORD", default=""),
            "EMAIL_USE_TLS": env.bool("EMAIL_USE_TLS", default=False),
            "EMAIL_USE_SSL": env.bool("EMAIL_USE_SSL", default=False),
        }
    options = {_EMAIL_OPTION_NAMES[k]: v for k, v in parsed.items() if k in _EMAIL_OPTION_NAMES and v not in ("", None)}
    if backend.endswith("smtp.EmailBackend"):
        options["timeout"] = env.int("EMAIL_TIMEOUT", default=30)
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {"default": _mailer()}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Book Your Place <bookings@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Passwords and sessions -----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and locks an account/address out after too many (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Council sign-in through an organisation's OpenID Connect provider (mozilla-django-oidc,
    # set up per provider from the database: accounts/council_sign_in.py). No password reaches it.
    "bookyourplace.accounts.council_sign_in.CouncilSignInBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Lock-outs are per account and per client address as the nearest trusted proxy saw it, not
# the proxy's own address (which every visitor behind it shares).
AXES_CLIENT_IP_CALLABLE = "bookyourplace.core.requests.client_ip"
# Two-factor sign-in with an authenticator app (TOTP). When required, every organiser must set
# it up before using the back office; otherwise it is offered.
BYP_REQUIRE_TWO_FACTOR = env.bool("BYP_REQUIRE_TWO_FACTOR", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Book Your Place")
# Passkeys (django-otp-webauthn), a second factor only: never a sign-in without the password.
# A passkey belongs to one domain, the relying party: the host of SITE_URL unless set (changing
# it later makes every passkey stop working). Browsers offer passkeys only on https (or localhost).
OTP_WEBAUTHN_RP_ID = env.str("OTP_WEBAUTHN_RP_ID", default=urlsplit(SITE_URL).hostname or "localhost")
OTP_WEBAUTHN_RP_NAME = env.str("OTP_WEBAUTHN_RP_NAME", default=OTP_TOTP_ISSUER)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", default=["{0.scheme}://{0.netloc}".format(urlsplit(SITE_URL))]
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Our helper writes each passkey added to the audit log and tells its owner (accounts/passkeys.py).
OTP_WEBAUTHN_HELPER_CLASS = "bookyourplace.accounts.passkeys.PasskeyHelper"
if not all(o.startswith(("https://", "http://localhost")) for o in OTP_WEBAUTHN_ALLOWED_ORIGINS):
    # A plain-http SITE_URL (development on 127.0.0.1, the tests' http://testserver): passkeys
    # cannot work there and the rest of the service can, so the library's refusal is silenced.
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E031"]
LOGIN_URL = "backoffice:sign_in"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "src" / "bookyourplace" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
# Files the service keeps (none today: flyers are kept in the database and uploads are read in
# memory). Several servers need one store for them all: a shared folder (MEDIA_ROOT) or an
# object store's backend (BYP_FILE_STORAGE_BACKEND, its OPTIONS as JSON).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": env.str("BYP_FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("BYP_FILE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env.bool("BYP_TESTING", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env.bool("BYP_TESTING", default=False)

# --- Security -------------------------------------------------------------------------------
# How many reverse proxies in front of the service append to X-Forwarded-For: the client's
# address is the entry the nearest of them saw (core/requests.py: client_ip). 0 (no proxy):
# REMOTE_ADDR, and X-Forwarded-For is ignored. BEHIND_PROXY=1, the older setting, means 1.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXIES", default=1 if env.bool("BEHIND_PROXY", default=False) else 0)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False) or TRUSTED_PROXY_COUNT > 0  # trust X-Forwarded-Proto
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
from django.utils.csp import CSP  # noqa: E402

from bookyourplace.core import inline_script  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    # The one inline script by its hash, not a nonce: pages stay cacheable (core/inline_script.py).
    "script-src": [CSP.SELF, inline_script.CSP_SOURCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if BEHIND_PROXY:
        # The reverse proxy terminates TLS and says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "bookyourplace.core.views.csrf_failure"

# Every handler masks secrets in URLs (core/log_masking.py): the filter is on the handler, so
# it sees what propagates from every logger. Django's own "django" and "django.server"
# handlers (which have no mask) are dropped, so their lines come here too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_secrets": {"()": "bookyourplace.core.log_masking.MaskSecrets"},
        "request_id": {"()": "bookyourplace.core.request_id.RequestIdFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # LOG_FORMAT=json: one JSON object a line with the request id (core/structured_logs.py).
        "json": {"()": "bookyourplace.core.structured_logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env.str("LOG_FORMAT", default="plain").strip().lower() == "json" else "plain",
            "filters": ["request_id", "mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint (certificates, sign-in sheets) logs each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Book Your Place ------------------------------------------------------------------------
# "3 places left" is shown when this many places or fewer remain.
BYP_FEW_PLACES_LEFT = env.int("BYP_FEW_PLACES_LEFT", default=5)
# How long a worker may hold emails it claimed before another worker takes them back.
BYP_EMAIL_CLAIM_LEASE_SECONDS = env.int("BYP_EMAIL_CLAIM_LEASE_SECONDS", default=120)
# GOV.UK Notify's API, for organisations that send by Notify (tests point it at a fake).
BYP_NOTIFY_BASE_URL = env.str("BYP_NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
# A person asking again for their manage link gets at most one email in this many seconds.
BYP_MANAGE_LINK_RESEND_SECONDS = env.int("BYP_MANAGE_LINK_RESEND_SECONDS", default=300)
# "See all my bookings": how long an emailed sign-in link may be used (once), and how long
# the signing-in lasts in that browser.
BYP_SIGN_IN_LINK_MINUTES = env.int("BYP_SIGN_IN_LINK_MINUTES", default=30)
BYP_OWN_RECORD_SESSION_HOURS = env.int("BYP_OWN_RECORD_SESSION_HOURS", default=3)
# "Confirm your email address first": how long a new booking's place is held for the
# person to open the emailed link before it is released (issue 10, point 5).
BYP_EMAIL_CONFIRMATION_MINUTES = env.int("BYP_EMAIL_CONFIRMATION_MINUTES", default=30)
# The largest Teams attendance report an organiser may upload (read in memory, never stored);
# a 1,000-person report is well under 1 MB.
BYP_TEAMS_REPORT_MAX_BYTES = env.int("BYP_TEAMS_REPORT_MAX_BYTES", default=5 * 1024 * 1024)
# The largest list of an area's organisations an organiser may upload (coverage): a GIAS
# extract for one local authority is under 1 MB, the whole of England's about 65 MB.
BYP_COVERAGE_IMPORT_MAX_BYTES = env.int("BYP_COVERAGE_IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
# The largest flyer an organiser may upload to the importer (a Word document or PDF with a
# logo and photos is well under it). It travels in the preview page until the draft is created.
BYP_FLYER_MAX_BYTES = env.int("BYP_FLYER_MAX_BYTES", default=5 * 1024 * 1024)

# --- Webhooks (webhooks/) -------------------------------------------------------------------
# Send to addresses on private networks (loopback, 10.x, 192.168.x, link-local...) and over
# plain http. Off in production: a URL typed in the back office must not reach the servers
# beside this one. Tests and a closed network that has decided to allow it switch it on;
# DEBUG allows plain http (not private addresses).
BYP_WEBHOOKS_ALLOW_PRIVATE = env.bool("BYP_WEBHOOKS_ALLOW_PRIVATE", default=False)
# How long one attempt may take, in all (connect, send, answer).
BYP_WEBHOOK_TIMEOUT_SECONDS = env.float("BYP_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# The delivery log (with each message's body, which names the attendee) is kept this long.
BYP_WEBHOOK_LOG_DAYS = env.int("BYP_WEBHOOK_LOG_DAYS", default=30)
# An endpoint whose every attempt has failed for this long is switched off, with a note.
BYP_WEBHOOK_SWITCH_OFF_AFTER_DAYS = env.int("BYP_WEBHOOK_SWITCH_OFF_AFTER_DAYS", default=5)

# --- Cache ----------------------------------------------------------------------------------
# The public programme and session pages are cached (public/page_cache.py) and checked
# against the programme's version in the database on every request, so a per-process
# memory cache (the default) is always right; CACHE_URL=redis://host:6379/0 shares one
# cache between processes and servers (needs the `redis` package).
_CACHE_URL = env.str("CACHE_URL", default="").strip() or "locmemcache://"  # CACHE_URL= (empty) too
CACHES = {
    "default": env.cache_url_config(_CACHE_URL),
    # The rate limits' counters (core/rate_limits.py), apart so that clearing or culling the
    # page cache never resets them. With the default memory cache each process counts on its
    # own (a limit then allows up to processes x its number); CACHE_URL=redis://... shares them.
    "rate_limits": env.cache_url_config(_CACHE_URL),
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Django's own Redis backend (django-environ maps redis:// and rediss:// to it). A Redis
    # that stops answering costs a second, not a hung request: the page cache and the rate
    # limits pass by a cache they cannot reach.
    for _alias, _prefix in (("default", "byp"), ("rate_limits", "byp-rl")):
        CACHES[_alias].setdefault("KEY_PREFIX", _prefix)
        CACHES[_alias].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 1)
        CACHES[_alias]["OPTIONS"].setdefault("socket_timeout", 1)
if CACHES["rate_limits"]["BACKEND"].endswith("LocMemCache"):
    CACHES["rate_limits"]["LOCATION"] = "rate-limits"
    # Room for every address and email counted in a rush (the default keeps only 300 keys).
    CACHES["rate_limits"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 20_000
# The longest a public page stays cached; a session's booking opening or closing ends it sooner.
BYP_PAGE_CACHE_SECONDS = env.int("BYP_PAGE_CACHE_SECONDS", default=600)

# --- Health and metrics (core/health.py, core/metrics.py) -----------------------------------
# /readyz says "not ready" when the worker's every-minute run has not beaten for this long.
BYP_HEARTBEAT_MAX_AGE_SECONDS = env.int("BYP_HEARTBEAT_MAX_AGE_SECONDS", default=180)
# /metrics: with a token, only "Authorization: Bearer <token>"; without, only this machine.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# The longest one of /metrics' database counts may take on PostgreSQL before it is left out.
METRICS_QUERY_TIMEOUT_MS = env.int("METRICS_QUERY_TIMEOUT_MS", default=2000)

# --- Rate limits (core/rate_limits.py) -----------------------------------------------------
# BYP_RATE_LIMITS=0 switches every limit off (`make bench` does: its load comes from one
# address). Each limit is one or more "count/window" (s, m, h, d), all of which apply.
BYP_RATE_LIMITS_ENABLED = env.bool("BYP_RATE_LIMITS", default=True)
BYP_RATE_LIMITS = {
    # Booking and joining the waiting list (and so re-sending a manage link), per client
    # address. A Prevent Week launch from one council NAT: ~500 people each spend a minute on
    # the form, so their posts (about 650 with a corrected mistake each) land over 2-3
    # minutes at 3-4 a second, peaks of 5-8. 120 in 10 s allows 12 a second for 10 seconds
    # (an 8-a-second peak is 80 +/- 9 in 10 s); 1,000 in 10 minutes is 1.5x the whole launch.
    # A script firing 30 posts a second is stopped after 4 seconds, and gets at most 1,000
    # in 10 minutes however it paces itself.
    "booking_per_address": env.str("BYP_RATE_LIMIT_BOOKING_PER_ADDRESS", default="120/10s,1000/10m"),
    # Per email address: a person books each session once; a whole week's sessions and a few
    # mistakes stay under 20 in 10 minutes. Short, because anyone can type another person's
    # address: posting it 20 times holds that person back for 10 minutes at most.
    "booking_per_email": env.str("BYP_RATE_LIMIT_BOOKING_PER_EMAIL", default="20/10m"),
    # The line manager's copy, per line manager address across all bookers. Over it the
    # booking still goes through, without the copy (refusing it would let anyone block a real
    # manager's staff from booking): it only stops the council's mail being aimed at someone.
    "manager_copy": env.str("BYP_RATE_LIMIT_MANAGER_COPY", default="20/1h,50/1d"),
    # Back-office password reset, per client address and per email address.
    "password_reset_per_address": env.str("BYP_RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS", default="20/1h"),
    "password_reset_per_email": env.str("BYP_RATE_LIMIT_PASSWORD_RESET_PER_EMAIL", default="5/1h"),
    # Checking a certificate code (each lookup form post and each verification page), per
    # client address. An employer checking a team's certificates, two counts each, stays well
    # under it; a script guessing codes (2^50 of them) would take hundreds of thousands of years
    # to hit any certificate from one address.
    "certificate_checks_per_address": env.str(
        "BYP_RATE_LIMIT_CERTIFICATE_CHECKS_PER_ADDRESS", default="100/10m,1000/1d"
    ),
    # The JSON API (api/limits.py): every request counts per client address, and one with a token
    # per token too. 600 a minute is 10 a second, far more than a sync of a council's bookings
    # needs (200 a page); a runaway loop is stopped within the minute. Per address, room for a
    # few integrations behind one council address; a script trying made-up tokens is held to it.
    "api_per_token": env.str("BYP_RATE_LIMIT_API_PER_TOKEN", default="600/1m"),
    "api_per_address": env.str("BYP_RATE_LIMIT_API_PER_ADDRESS", default="1200/1m"),
    # Council sign-in: each return from an organisation's provider, per client address. A
    # council's staff behind one address signing in at 9am stay well under it.
    "council_sign_in_per_address": env.str("BYP_RATE_LIMIT_COUNCIL_SIGN_IN_PER_ADDRESS", default="60/10m,300/1d"),
    # "See all my bookings": asking for a sign-in link, per client address and per email
    # address typed (known or not: every ask counts). A person asks once or twice; per email
    # short, since anyone can type another person's address (it holds them back an hour at most).
    "own_record_per_address": env.str("BYP_RATE_LIMIT_OWN_RECORD_PER_ADDRESS", default="20/10m,100/1d"),
    "own_record_per_email": env.str("BYP_RATE_LIMIT_OWN_RECORD_PER_EMAIL", default="5/1h"),
}

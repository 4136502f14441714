"""A bare Django project, not Book Your Place: what `make bench` compares a booking against.

The least a production Django site would run: four middleware (security, common, CSRF,
clickjacking), one app, no sessions, no authentication. Its database settings follow the
service's in style (src/bookyourplace/settings.py): connections kept between requests, and
on SQLite WAL, write transactions that take the lock at BEGIN, and a busy timeout.
Settings come from the environment, as bench/cycle.py sets them: SECRET_KEY, DATABASE_URL
(postgres://user@host:port/name or sqlite:////absolute/path), ALLOWED_HOSTS.
"""

import os
from urllib.parse import unquote, urlsplit

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",")

INSTALLED_APPS = ["booking"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bareproject.urls"
WSGI_APPLICATION = "bareproject.wsgi.application"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

# Behind a TLS-terminating proxy, like the service under the benchmark (BEHIND_PROXY=1).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True


def _database(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "CONN_MAX_AGE": 600,
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Persistent: one connection per gunicorn worker thread, kept between requests.
        "CONN_MAX_AGE": 600,
    }


DATABASES = {"default": _database(os.environ["DATABASE_URL"])}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/London"

"""Settings for the test suite: production settings with a fixed key and mail kept in memory.

DEBUG stays off, so tests see the pages and errors that production shows.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("BYP_TESTING", "1")
os.environ.setdefault("SITE_URL", "http://testserver")

from bookyourplace.settings import *  # noqa: E402,F403

# Plain HTTP on loopback in tests; production keeps these on (see settings.py).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Fast hashing for the organiser accounts tests create; production uses Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Many tests post bookings in a tight loop from one address: the rate limits are off here and
# switched on (with their real defaults) by the tests of them (core/tests/test_rate_limits.py).
BYP_RATE_LIMITS_ENABLED = False

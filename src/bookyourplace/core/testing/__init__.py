"""Helpers the tests of every app share.

The modules beside this one hold the heavier ones: ``browser`` (Chromium, the keyboard, axe),
``smtp`` (a real SMTP server on loopback), ``live_server`` (a server for a rush of form
posts). Their fixtures are made available to every app's tests by src/conftest.py. Nothing
here imports a domain app or a face.
"""

import os
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

# The repository's root (manage.py, scripts/, node_modules/).
ROOT = Path(__file__).resolve().parents[4]


def text_of(response) -> str:
    """The page as a person reads it: tags, scripts and styles removed, white space folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def booking_form_data(**overrides) -> dict[str, str]:
    """What someone posts from the booking form (Sam Patel, a nurse, who consents), with `overrides`."""
    data = {
        "first_name": "Sam",
        "last_name": "Patel",
        "email": "sam.patel@nhs.net",
        "organisation": "University Hospitals Coventry",
        "sector": "health",
        "job_title": "Safeguarding nurse",
        "access_needs": "",
        "consent": "yes",
    }
    data.update(overrides)
    return data


def unavailable(reason: str):
    """Skip a test that cannot run here, except on CI (``CI=true``), where it fails: there
    PostgreSQL, the browser and the tools they need must be present, never silently missing."""
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs this test to run: {reason}")
    pytest.skip(reason)


class Clock:
    """A clock the test moves instead of sleeping: call it for the time (seconds)."""

    # A moment well inside a 10-second, 10-minute and one-hour window, so no test starts at an edge.
    START = 1_800_000_000.0 + 3 * 60 + 3.3

    def __init__(self, now: float = START):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def production_env(**extra) -> dict:
    """The environment of a process started with production settings (no DEBUG, no test settings)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "BYP_TESTING")}
    env.update(
        DJANGO_SETTINGS_MODULE="bookyourplace.settings",
        PYTHONPATH=str(ROOT / "src"),
        SECRET_KEY="a-production-secret-key-of-plenty-of-random-characters-9f8e7d6c5b4a",
        ALLOWED_HOSTS="bookings.example.org",
    )
    env.update(extra)
    return env


def database_url(settings_dict: dict, *, name: str | None = None) -> str:
    """A DATABASE_URL for another process to reach this database (the test database, during a
    test), or another database ``name`` on the same PostgreSQL server."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{name or settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "", safe="")
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name or settings_dict['NAME']}"

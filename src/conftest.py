"""Fixtures shared by every app's tests: a published programme, sessions, the worker, an
attendee's details, the rate limits on a clock the test moves, and (from core/testing) a real
browser, SMTP servers on loopback, a webhook receiver on loopback and a live server for a
rush of bookings.

With CI=true nothing that needs PostgreSQL, the browser or their tools is skipped: it fails
(`core/testing: unavailable`; scripts/test-postgres.sh for the PostgreSQL run itself).
"""

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.core import rate_limits
from bookyourplace.core.testing import Clock

# Fixtures defined in the testing modules, made available to every app's tests
# (pytest_plugins may only be set in the root conftest, so they are imported instead).
from bookyourplace.core.testing.browser import browser, page  # noqa: F401
from bookyourplace.core.testing.live_server import booking_server  # noqa: F401
from bookyourplace.core.testing.oidc_provider import OidcProvider
from bookyourplace.core.testing.smtp import refusing_smtp_server, smtp_server, stopped_smtp_server  # noqa: F401
from bookyourplace.notifications.testing import FakeNotify
from bookyourplace.programmes.models import Organiser, Programme, Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.webhooks.testing import webhook_receiver  # noqa: F401


@pytest.fixture
def fake_notify(settings):
    """A fake GOV.UK Notify on loopback, with the client pointed at it (notifications/testing.py)."""
    fake = FakeNotify()
    settings.BYP_NOTIFY_BASE_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def oidc_provider():
    """A real OpenID Connect provider on loopback for this test (core/testing/oidc_provider.py)."""
    provider = OidcProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def organiser(db):
    return Organiser.objects.create(
        name="Coventry Prevent Partnership", slug="coventry", contact_email="prevent@coventry.example"
    )


@pytest.fixture
def programme(organiser):
    return Programme.objects.create(
        organiser=organiser,
        title="Coventry Prevent Week",
        slug="coventry-prevent-week",
        status=Programme.Status.PUBLISHED,
    )


@pytest.fixture
def make_session(programme):
    def make(**overrides):
        # At 10:00 local time, a month ahead: a session never runs past midnight, whatever
        # the hour the tests run (the session form takes one date and two times).
        day = (timezone.now() + timedelta(days=30)).astimezone(programme.tz).date()
        starts = overrides.pop("starts_at", datetime.combine(day, time(10, 0), tzinfo=programme.tz))
        fields = {
            "programme": programme,
            "title": "Self-Initiated Terrorism",
            "subtitle": "",
            "description": "<p>How to spot the signs.</p>",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "delivery": Session.Delivery.ONLINE,
            "platform": "Microsoft Teams",
            "joining_url": "https://teams.microsoft.com/l/meetup-join/secret-joining-link",
            "joining_instructions": "Cameras on, please.",
            "capacity": 20,
        }
        fields.update(overrides)
        session = Session.objects.create(**fields)
        # As the services do: a new session shows on the programme's cached pages at once.
        programme_changed(session.programme_id)
        return session

    return make


@pytest.fixture
def session(make_session):
    return make_session()


@pytest.fixture
def run_worker():
    """Run the background worker until the queue is empty, as `db_worker --batch` does."""

    def run():
        # What the test's transaction would do when it commits (it never does): run the
        # hooks waiting for that, such as the request for a delivery run.
        connection = connections[DEFAULT_DB_ALIAS]
        hooks, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, hook, _robust in hooks:
            hook()
        # The worker closes connections between tasks; inside a test's transaction that would
        # close the test's own connection, so that one call is switched off here.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    return run


@pytest.fixture
def attendees(session, run_worker):
    """Three confirmed attendees of an online session, their confirmations already sent."""
    booked = [
        bookings_testing.book(session, "alex@example.org", first_name="Alex", last_name="Smith"),
        bookings_testing.book(session, "bea@example.org", first_name="Bea", last_name="Jones"),
        bookings_testing.book(session, "cai@example.org", first_name="Cai", last_name="Evans"),
    ]
    run_worker()
    mail.outbox.clear()
    return booked


@pytest.fixture
def attendee_details():
    """``attendee_details(email, **overrides)``: Alex Smith's details (bookings/testing.py)."""
    return bookings_testing.attendee_details


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, which the test moves instead of sleeping."""
    clock = Clock()
    monkeypatch.setattr(rate_limits, "_now", clock)
    return clock


@pytest.fixture
def rate_limits_on(settings, clock):
    """The limits on, as in production (the test settings switch them off), counting afresh."""
    settings.BYP_RATE_LIMITS_ENABLED = True
    caches[rate_limits.CACHE_ALIAS].clear()
    yield clock
    caches[rate_limits.CACHE_ALIAS].clear()

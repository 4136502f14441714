"""Fixtures shared by every app's tests: a published programme, sessions and the worker."""

import os
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from bookyourplace.programmes.models import Organiser, Programme, Session


def pytest_collection_modifyitems(config, items):
    # On CI, PostgreSQL and the browser must really run: a skipped browser test there is a failure.
    if os.environ.get("CI") == "true":
        config._byp_ci = True


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
        starts = overrides.pop("starts_at", (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0))
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
        return Session.objects.create(**fields)

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
def attendee_details():
    from bookyourplace.bookings.services import AttendeeDetails

    def make(email="alex.smith@coventry.gov.uk", **overrides):
        fields = {
            "first_name": "Alex",
            "last_name": "Smith",
            "email": email,
            "organisation": "Coventry City Council",
            "sector": "childrens_services",
            "job_title": "Social worker",
        }
        fields.update(overrides)
        return AttendeeDetails(**fields)

    return make

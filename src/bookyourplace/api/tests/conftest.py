"""The API's tests: tokens of an organiser (with the scopes asked for), a second organiser whose
data must never show, and a client that sends a token as integrations do."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.accounts.api_tokens import create_token
from bookyourplace.api.testing import ALL_SCOPES, ApiClient
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Organiser, Programme, Session


@pytest.fixture
def make_token(organiser):
    def make(scopes=ALL_SCOPES, *, organiser=organiser, name="Learning records", expires_at=None) -> str:
        _token, raw = create_token(organiser=organiser, name=name, scopes=scopes, expires_at=expires_at, actor=SYSTEM)
        return raw

    return make


@pytest.fixture
def token(make_token):
    """A token of the Coventry organiser with every scope."""
    return make_token()


@pytest.fixture
def api(token):
    return ApiClient(token)


@pytest.fixture
def anonymous():
    return ApiClient()


@pytest.fixture
def other_organiser(db):
    return Organiser.objects.create(
        name="Warwickshire Prevent", slug="warwickshire", contact_email="prevent@warks.example"
    )


@pytest.fixture
def other_programme(other_organiser):
    return Programme.objects.create(
        organiser=other_organiser,
        title="Warwickshire Safeguarding Week",
        slug="warks-week",
        status=Programme.Status.PUBLISHED,
    )


@pytest.fixture
def other_session(other_programme):
    starts = timezone.now() + timedelta(days=20)
    return Session.objects.create(
        programme=other_programme,
        title="Warwickshire briefing",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=10,
        joining_url="https://teams.microsoft.com/l/meetup-join/warks-secret",
    )


@pytest.fixture
def other_booking(other_session):
    """A booking of the other organiser: it must never show to the Coventry token."""
    return bookings_testing.book(other_session, "hidden.person@warks.example", first_name="Hidden", last_name="Person")

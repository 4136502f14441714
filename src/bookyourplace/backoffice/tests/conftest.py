"""Fixtures shared by the back office's tests: an organiser and a viewer, signed in, and bookings."""

import pytest

from bookyourplace.backoffice.tests.staff_accounts import staff
from bookyourplace.bookings import services as bookings

# pytest_plugins may only be set in the root conftest, so the browser fixtures are imported.
from bookyourplace.public.tests.browser import browser, page  # noqa: F401


@pytest.fixture
def coordinator(client, organiser, programme):
    user = staff(organiser, "organiser", programme)
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client, organiser):
    user = staff(organiser, "viewer", email="vic@coventry.gov.uk")
    client.force_login(user)
    return user


@pytest.fixture
def book(attendee_details):
    def make(session, email, **details):
        return bookings.book_place(session_id=session.pk, attendee=attendee_details(email, **details))

    return make

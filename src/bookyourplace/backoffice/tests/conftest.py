"""Fixtures shared by the back office's tests: an administrator, an organiser and a viewer,
signed in, and bookings."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person, sign_in_as, staff
from bookyourplace.bookings import services as bookings


@pytest.fixture
def admin(client, organiser):
    member = make_person(
        organiser, Role.ADMINISTRATOR, email="hana.ali@coventry.gov.uk", first_name="Hana", last_name="Ali"
    )
    sign_in_as(client, member.user)
    return member


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

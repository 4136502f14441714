"""The check-in code on the manage page: shown for a confirmed place at an in-person session
still to come, with the reference to read out if it will not scan; never for anything else."""

import re
from datetime import timedelta

import pytest
import time_machine

from bookyourplace.bookings import check_in
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book
from bookyourplace.core.testing import text_of
from bookyourplace.core.testing.browser import assert_no_axe_violations
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Session
from bookyourplace.public.tests.pages import manage_url_for

THE_LINE = "Show this at the door. It checks you in; it does not give anyone access to your booking."


@pytest.fixture
def in_person(make_session):
    return make_session(delivery=Session.Delivery.IN_PERSON, venue="Council House", room="Room 1.4", joining_url="")


@pytest.fixture
def booking(in_person):
    return book(in_person, "alex@example.org")


def qr_codes_on(response) -> list[str]:
    return re.findall(r"<svg [^>]*>.*?</svg>", response.content.decode(), flags=re.S)


def test_confirmed_in_person_booking_shows_its_check_in_code(client, booking):
    response = client.get(manage_url_for(booking))

    page = text_of(response)
    assert "Your check-in code" in page
    assert THE_LINE in page
    (svg,) = qr_codes_on(response)
    assert svg.startswith('<svg role="img" ')
    assert (
        f"<title>QR code to check in Alex Smith to Self-Initiated Terrorism, booking {booking.reference}</title>" in svg
    )
    # The same code the check-in module draws: the URL with the check-in secret, not the manage link.
    assert svg == check_in.qr_code_svg(booking, title=re.search(r"<title>(.*?)</title>", svg).group(1))
    assert f'<strong class="govuk-!-font-size-48">{booking.reference}</strong>' in response.content.decode()


def test_check_in_code_section_is_not_for_online_sessions(client, session):
    booking = book(session, "alex@example.org")

    response = client.get(manage_url_for(booking))

    assert "Your check-in code" not in text_of(response)
    assert qr_codes_on(response) == []


def test_cancelled_booking_shows_no_code(client, booking):
    cancel_booking(booking_id=booking.pk, actor=Actor(label="Alex Smith"))

    response = client.get(manage_url_for(booking))

    assert "Cancelled" in text_of(response)
    assert "Your check-in code" not in text_of(response)
    assert qr_codes_on(response) == []


def test_waiting_list_place_shows_no_code(client, make_session):
    full = make_session(delivery=Session.Delivery.IN_PERSON, venue="Council House", joining_url="", capacity=1)
    book(full, "first@example.org")
    waiting = book(full, "second@example.org", waiting=True)

    response = client.get(manage_url_for(waiting))

    assert "On the waiting list" in text_of(response)
    assert qr_codes_on(response) == []


def test_cancelled_session_shows_no_code(client, booking):
    Session.objects.filter(pk=booking.session_id).update(status=Session.Status.CANCELLED)

    response = client.get(manage_url_for(booking))

    assert "This session has been cancelled" in text_of(response)
    assert qr_codes_on(response) == []


def test_code_is_gone_after_the_session(client, booking):
    with time_machine.travel(booking.session.ends_at + timedelta(minutes=5)):
        response = client.get(manage_url_for(booking))

    assert "Your check-in code" not in text_of(response)


@pytest.mark.browser
def test_manage_page_with_the_check_in_code_has_no_axe_violations(page, live_server, transactional_db, make_session):
    in_person = make_session(delivery=Session.Delivery.IN_PERSON, venue="Council House", joining_url="")
    booking = book(in_person, "alex@example.org")

    page.goto(live_server.url + manage_url_for(booking))

    assert page.get_by_role("img", name=re.compile("QR code to check in Alex Smith")).is_visible()
    assert_no_axe_violations(page)

"""The check-in code: a secret of its own, found again from the code, refused when tampered
with, and only for a confirmed place at an in-person session still to come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.bookings import check_in
from bookyourplace.bookings.links import find_booking_by_purpose_token, manage_token, manage_url, purpose_token
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Session


@pytest.fixture
def in_person(make_session):
    return make_session(delivery=Session.Delivery.IN_PERSON, venue="Council House", room="Room 1.4", joining_url="")


@pytest.fixture
def booking(in_person):
    return book(in_person, "alex@example.org")


def test_check_in_token_is_not_the_manage_token(booking):
    token = check_in.check_in_token(booking)

    assert token.startswith(f"{booking.reference}.")
    secret = token.partition(".")[2]
    assert secret not in manage_token(booking)
    assert manage_token(booking) not in token


def test_a_token_for_another_purpose_is_not_a_check_in_code(booking):
    survey_token = purpose_token(booking, purpose="feedback")

    assert survey_token != check_in.check_in_token(booking)
    assert check_in.find_booking_by_check_in_token(survey_token) is None
    assert find_booking_by_purpose_token(check_in.check_in_token(booking), purpose="feedback") is None


def test_check_in_token_finds_its_booking(booking):
    assert check_in.find_booking_by_check_in_token(check_in.check_in_token(booking)) == booking


def test_check_in_token_of_each_booking_differs(in_person, booking):
    other = book(in_person, "bea@example.org")

    assert check_in.check_in_token(booking) != check_in.check_in_token(other)


def test_tampered_check_in_token_is_refused(booking):
    reference, _, secret = check_in.check_in_token(booking).partition(".")
    flipped = ("A" if secret[0] != "A" else "B") + secret[1:]

    assert check_in.find_booking_by_check_in_token(f"{reference}.{flipped}") is None


def test_another_bookings_secret_with_this_reference_is_refused(in_person, booking):
    other = book(in_person, "bea@example.org")
    other_secret = check_in.check_in_token(other).partition(".")[2]

    assert check_in.find_booking_by_check_in_token(f"{booking.reference}.{other_secret}") is None


@pytest.mark.parametrize("token", ["", "BYP-AAAAA", "BYP-AAAAA.", "nonsense", "." * 30, "BYP-AAAAA." + "x" * 22])
def test_made_up_check_in_tokens_find_nothing(booking, token):
    assert check_in.find_booking_by_check_in_token(token) is None


def test_manage_token_is_not_a_check_in_token(booking):
    assert check_in.find_booking_by_check_in_token(manage_token(booking)) is None
    assert check_in.find_booking_by_check_in_code(manage_url(booking)) is None


def test_check_in_code_is_read_from_the_url_in_the_qr_code_or_the_bare_token(booking):
    assert check_in.find_booking_by_check_in_code(check_in.check_in_url(booking)) == booking
    assert check_in.find_booking_by_check_in_code(f"  {check_in.check_in_token(booking)}\n") == booking
    assert check_in.find_booking_by_check_in_code(check_in.check_in_url(booking) + "extra/") is None


def test_check_in_url_is_the_back_office_check_in_page(booking):
    assert check_in.check_in_url(booking) == (
        f"http://testserver/backoffice/check-in/{check_in.check_in_token(booking)}/"
    )


@pytest.mark.parametrize("typed", ["BYP-7K2MQ", "byp-7k2mq", " byp 7k2 mq ", "7K2MQ", "BYP7K2MQ"])
def test_reference_typed_at_the_door_is_read_in_its_own_form(typed):
    assert check_in.normalise_reference(typed) == "BYP-7K2MQ"


def test_confirmed_place_at_an_in_person_session_has_a_code(booking):
    assert check_in.has_check_in_code(booking)


def test_online_sessions_have_no_code(session):
    assert not check_in.has_check_in_code(book(session, "alex@example.org"))


def test_cancelled_booking_has_no_code(booking):
    cancel_booking(booking_id=booking.pk, actor=Actor(label="Alex Smith"))
    booking.refresh_from_db()

    assert not check_in.has_check_in_code(booking)


def test_waiting_list_place_has_no_code(make_session):
    full = make_session(delivery=Session.Delivery.IN_PERSON, venue="Council House", joining_url="", capacity=1)
    book(full, "first@example.org")

    assert not check_in.has_check_in_code(book(full, "second@example.org", waiting=True))


def test_code_is_gone_once_the_session_has_ended(booking):
    after = booking.session.ends_at + timedelta(minutes=1)

    assert check_in.has_check_in_code(booking, now=booking.session.ends_at - timedelta(minutes=1))
    assert not check_in.has_check_in_code(booking, now=after)


def test_code_is_gone_when_the_session_is_cancelled(booking):
    booking.session.status = Session.Status.CANCELLED

    assert not check_in.has_check_in_code(booking, now=timezone.now())


def test_qr_code_png_is_a_png(booking):
    png = check_in.qr_code_png(booking)

    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_qr_code_svg_says_what_it_is(booking):
    svg = check_in.qr_code_svg(booking, title="QR code to check in Alex Smith")

    assert svg.startswith('<svg role="img" ')
    assert "<title>QR code to check in Alex Smith</title>" in svg
    assert "style=" not in svg  # the Content-Security-Policy allows no inline styles

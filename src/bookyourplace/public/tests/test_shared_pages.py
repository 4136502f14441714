"""The booking form and "Check your email" are rendered once per version of their session and
filled in for each visitor: each visitor still gets their own working form token and sees
their own address, and the pages still say what is true now."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from bookyourplace.bookings import services, session_changes
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.privacy.services import Actor
from bookyourplace.public.tests.pages import book_url

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def form_token(browser: Client, url: str) -> str:
    response = browser.get(url)
    assert response.status_code == 200
    (token,) = TOKEN.findall(response.content.decode())
    return token


def test_every_visitor_gets_a_form_token_of_their_own_that_works(session):
    # Arrange: the first visitor's request renders the form; the others are filled in from it
    browsers = [Client(enforce_csrf_checks=True) for _ in range(3)]
    tokens = [form_token(browser, book_url(session)) for browser in browsers]

    # Act: each posts with their own token
    answers = [
        browser.post(book_url(session), {**booking_form_data(email=f"p{n}@coventry.gov.uk"), "csrfmiddlewaretoken": t})
        for n, (browser, t) in enumerate(zip(browsers, tokens, strict=True))
    ]

    # Assert
    assert len(set(tokens)) == 3 and not any("stand-in" in token for token in tokens)
    assert [answer.status_code for answer in answers] == [302, 302, 302]
    assert Booking.objects.filter(session=session).count() == 3


def test_another_visitors_token_does_not_work(session):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    form_token(first, book_url(session))
    token_of_second = form_token(second, book_url(session))

    answer = first.post(book_url(session), {**booking_form_data(), "csrfmiddlewaretoken": token_of_second[:-2] + "xx"})

    assert answer.status_code == 403
    assert not Booking.objects.exists()


def test_the_stored_form_becomes_the_waiting_list_once_the_last_place_goes(make_session, attendee_details, client):
    session = make_session(capacity=1)
    assert "Book a place" in text_of(client.get(book_url(session)))

    services.book_place(session_id=session.pk, attendee=attendee_details("last@coventry.gov.uk"))

    assert "Join the waiting list" in text_of(client.get(book_url(session)))


def test_each_visitor_sees_their_own_address_escaped(session):
    answers = {}
    for email in ("alex&sam@coventry.gov.uk", "bea@coventry.gov.uk"):
        browser = Client()
        posted = browser.post(book_url(session), booking_form_data(email=email))
        answers[email] = browser.get(posted["Location"]).content.decode()

    assert (
        "We are sending an email to <strong>alex&amp;sam@coventry.gov.uk</strong>"
        in answers["alex&sam@coventry.gov.uk"]
    )
    assert "<strong>bea@coventry.gov.uk</strong>" in answers["bea@coventry.gov.uk"]
    assert "alex" not in answers["bea@coventry.gov.uk"] and "stand-in" not in answers["bea@coventry.gov.uk"]


def test_a_page_filled_in_from_the_store_answers_exactly_as_a_rendered_one(session):
    def answer():
        response = Client().get(book_url(session))
        # Each request has its own id (X-Request-ID, core/request_id.py), from the store or not.
        headers = {
            name: value for name, value in response.headers.items() if name not in ("Set-Cookie", "X-Request-ID")
        }
        return response.status_code, headers, TOKEN.sub("TOKEN", response.content.decode())

    rendered = answer()
    filled_in = answer()

    assert filled_in == rendered


def test_a_booking_posted_after_the_session_was_cancelled_is_refused(session, client):
    # Arrange: a first booking keeps the session as it was then
    assert client.post(book_url(session), booking_form_data(email="first@coventry.gov.uk")).status_code == 302
    session_changes.cancel_session(session_id=session.pk, actor=Actor(label="Organiser"))

    # Act
    answer = Client().post(book_url(session), booking_form_data(email="second@coventry.gov.uk"))

    # Assert
    assert answer.status_code == 409
    assert not Booking.objects.filter(email="second@coventry.gov.uk").exists()


def test_a_place_freed_after_the_form_said_full_goes_to_the_next_person_who_posts(make_session, attendee_details):
    # Arrange: the only place is taken, and a post is refused as the pages show it
    session = make_session(capacity=1)
    first = services.book_place(session_id=session.pk, attendee=attendee_details("first@coventry.gov.uk"))
    assert Client().post(book_url(session), booking_form_data(email="early@coventry.gov.uk")).status_code == 409

    # Act: the place is freed (which raises the pages' version), then someone posts
    services.cancel_booking(booking_id=first.pk)
    answer = Client().post(book_url(session), booking_form_data(email="next@coventry.gov.uk"))

    # Assert
    assert answer.status_code == 302
    assert Booking.objects.get(email="next@coventry.gov.uk").status == Booking.Status.CONFIRMED


def test_someone_already_booked_on_a_full_session_is_told_it_is_full_and_sent_their_link(
    make_session, attendee_details, run_worker
):
    session = make_session(capacity=1)
    services.book_place(session_id=session.pk, attendee=attendee_details("booked@coventry.gov.uk"))
    run_worker()
    mail.outbox.clear()

    answer = Client().post(book_url(session), booking_form_data(email="booked@coventry.gov.uk"))
    run_worker()

    assert answer.status_code == 409
    assert [m.subject.split(":")[0] for m in mail.outbox if m.to == ["booked@coventry.gov.uk"]] == [
        "Manage your booking"
    ]

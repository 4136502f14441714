"""Rate limits on booking, joining the waiting list, re-sending the manage link and the line
manager's copy, posted over HTTP with the real default limits (the test settings switch them
off for every other test) and a clock the test moves.

A script firing dozens of posts a second from one address is stopped with 429; a Prevent Week
launch from one council's NAT address, hundreds of people booking at the pace they do, is not.
"""

import random

import pytest
from django.test import Client
from django.urls import reverse

from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email

COUNCIL_NAT = "203.0.113.10"
MANAGER = "head.of.service@coventry.gov.uk"


def book_url(session):
    return reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def assert_readable_429(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 2 * 60 * 60
    page = text_of(response)
    assert "Sorry, there have been too many attempts" in page
    assert "then try again." in page and "Wait " in page
    assert response["Cache-Control"] == "no-store"


def test_a_script_posting_200_bookings_from_one_address_is_stopped(rate_limits_on, make_session):
    session = make_session(capacity=300)
    script = from_address("198.51.100.66")
    answers = []
    for n in range(200):
        rate_limits_on.advance(1 / 30)  # thirty posts a second
        answers.append(script.post(book_url(session), booking_form_data(email=f"bot{n}@example.org")))

    refused = [response for response in answers if response.status_code == 429]
    assert refused, "a script firing 30 posts a second was never stopped"
    assert_readable_429(refused[0])
    assert "Wait 1 minute, then try again." in text_of(refused[0])
    assert Booking.objects.filter(session=session).count() <= 125  # of 200 tried
    # Once stopped, it stays stopped while it keeps firing.
    first_refusal = next(i for i, response in enumerate(answers) if response.status_code == 429)
    assert all(response.status_code == 429 for response in answers[first_refusal:])


def test_a_prevent_week_launch_from_one_council_address_is_never_refused(rate_limits_on, make_session):
    """300 people behind one NAT address arrive six a second (the launch's peak), and about
    a third make a mistake on the form and post it again 20 seconds later: some 8 posts a
    second from one address for most of a minute."""
    rng = random.Random(10)
    sessions = [make_session(title=f"Session {n}", capacity=200) for n in range(3)]
    posts, arrival = [], 0.0
    for person in range(300):
        arrival += rng.expovariate(6)
        data = booking_form_data(email=f"staff{person}@coventry.gov.uk", first_name=f"Person{person}")
        session = rng.choice(sessions)
        if rng.random() < 0.3:
            posts.append((arrival, session, {**data, "job_title": ""}))  # forgot a field
            posts.append((arrival + 20, session, data))
        else:
            posts.append((arrival, session, data))
    posts.sort(key=lambda post: post[0])
    busiest_ten_seconds = max(sum(1 for t, *_ in posts if start <= t < start + 10) for start, *_ in posts)
    assert busiest_ten_seconds >= 70, "the simulation is not at a launch's peak pace"

    nat = from_address(COUNCIL_NAT)
    start = rate_limits_on.now
    statuses = []
    for at, session, data in posts:
        rate_limits_on.now = start + at
        statuses.append(nat.post(book_url(session), data).status_code)

    assert 429 not in statuses
    assert Booking.objects.filter(status=Booking.Status.CONFIRMED).count() == 300


def test_one_email_address_is_limited_from_any_address(rate_limits_on, make_session):
    session = make_session(capacity=50)
    answers = [
        from_address(f"192.0.2.{n}").post(book_url(session), booking_form_data(email="Sam.Patel@nhs.net"))
        for n in range(1, 22)
    ]

    assert [response.status_code for response in answers[:20]].count(429) == 0
    assert_readable_429(answers[20])
    # Someone else is not held up by it.
    assert (
        from_address("192.0.2.99").post(book_url(session), booking_form_data(email="other@nhs.net")).status_code == 302
    )


def test_the_limit_says_nothing_about_whether_an_address_has_booked(rate_limits_on, make_session, attendee_details):
    from bookyourplace.bookings.services import book_place

    session = make_session(capacity=1)
    book_place(session_id=session.pk, attendee=attendee_details(email="booked@coventry.gov.uk"))

    def posts(email):
        browser = from_address("192.0.2.7")
        return [browser.post(book_url(session), booking_form_data(email=email)) for _ in range(21)]

    booked, never_booked = posts("booked@coventry.gov.uk"), posts("never.booked@coventry.gov.uk")

    assert (
        [r.status_code == 429 for r in booked] == [r.status_code == 429 for r in never_booked] == [False] * 20 + [True]
    )
    assert text_of(booked[-1]) == text_of(never_booked[-1])
    assert booked[-1]["Retry-After"] == never_booked[-1]["Retry-After"]


def test_the_limits_count_posts_only(rate_limits_on, make_session):
    session = make_session()
    visitor = from_address(COUNCIL_NAT)
    for _ in range(130):  # more than the 120 posts allowed in 10 seconds
        assert visitor.get(book_url(session)).status_code == 200
    assert visitor.post(book_url(session), booking_form_data()).status_code == 302


def test_the_line_managers_copy_is_dropped_over_its_limit_and_the_booking_stands(rate_limits_on, make_session, caplog):
    session = make_session(capacity=40)
    for n in range(25):
        response = from_address(f"192.0.2.{n + 1}").post(
            book_url(session), booking_form_data(email=f"staff{n}@coventry.gov.uk", line_manager_email=MANAGER)
        )
        assert response.status_code == 302

    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 25
    assert Email.objects.filter(kind=EmailKind.CONFIRMATION).count() == 25
    assert Email.objects.filter(kind=EmailKind.MANAGER_COPY, to=MANAGER).count() == 20
    assert "Line manager's copy of booking" in caplog.text
    # Another manager's copy still goes; and this one's again an hour later.
    from_address("192.0.2.200").post(
        book_url(session),
        booking_form_data(email="someone@coventry.gov.uk", line_manager_email="other.manager@coventry.gov.uk"),
    )
    assert Email.objects.filter(kind=EmailKind.MANAGER_COPY, to="other.manager@coventry.gov.uk").count() == 1
    rate_limits_on.advance(2 * 60 * 60)
    from_address("192.0.2.201").post(
        book_url(session), booking_form_data(email="late@coventry.gov.uk", line_manager_email=MANAGER)
    )
    assert Email.objects.filter(kind=EmailKind.MANAGER_COPY, to=MANAGER).count() == 21


def test_switched_off_nothing_is_limited(rate_limits_on, settings, make_session):
    settings.BYP_RATE_LIMITS_ENABLED = False
    session = make_session(capacity=200)
    script = from_address("198.51.100.66")
    for n in range(150):
        rate_limits_on.advance(1 / 30)
        assert script.post(book_url(session), booking_form_data(email=f"load{n}@example.org")).status_code == 302
    assert Booking.objects.filter(session=session).count() == 150


@pytest.mark.parametrize("value", ["0", "off"])
def test_a_limit_set_to_nothing_is_not_applied(rate_limits_on, settings, make_session, value):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_email": value}
    session = make_session(capacity=50)
    answers = [from_address(f"192.0.2.{n}").post(book_url(session), booking_form_data()) for n in range(1, 30)]
    assert 429 not in [response.status_code for response in answers]

"""What someone sees when their organisation already has its fair share of a session (issue 19,
point 3): the page after booking reads as it does for everyone (it never says what anyone else
booked), and the email and their booking page say why they are on the waiting list."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from bookyourplace.bookings.testing import book
from bookyourplace.core.testing import booking_form_data, text_of

REASON = "Your organisation already has 2 of its 2 places on this session; you are on the waiting list."
MANAGE_LINK = re.compile(r"https?://[^/\s]+(/booking/[A-Za-z0-9_-]{32}/)")


@pytest.fixture
def capped_session(programme, make_session):
    programme.fair_share_cap = 2
    programme.save(update_fields=["fair_share_cap"])
    session = make_session(capacity=10, title="Prevent awareness")
    book(session, "ann@stmarys.sch.uk")
    book(session, "bob@stmarys.sch.uk")
    return session


def post_booking(client, session, email: str):
    url = reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})
    return client.post(url, booking_form_data(email=email, organisation="St Mary's Primary"), follow=True)


def test_the_third_from_one_school_is_told_why_they_wait_by_email_and_on_their_booking_page(
    client, capped_session, run_worker
):
    # Act
    after_booking = text_of(post_booking(client, capped_session, "cat@stmarys.sch.uk"))
    run_worker()

    # Assert: the email says why
    (email,) = [m for m in mail.outbox if m.to == ["cat@stmarys.sch.uk"]]
    assert email.subject == "You are on the waiting list: Prevent awareness"
    assert REASON in email.body
    assert "You are 1st in the queue." in email.body
    # ...and so does the booking page its link opens
    manage_page = text_of(client.get(MANAGE_LINK.search(email.body).group(1)))
    assert "On the waiting list" in manage_page
    assert REASON in manage_page
    # The page straight after booking says nothing of anyone else's bookings.
    assert "organisation" not in after_booking.lower()
    assert "Check your email" in after_booking


def test_the_page_after_booking_reads_the_same_whether_or_not_the_share_was_reached(client, capped_session):
    held_back = text_of(post_booking(client, capped_session, "cat@stmarys.sch.uk"))
    client.cookies.clear()
    booked = text_of(post_booking(client, capped_session, "dan@kingsway.sch.uk"))

    assert held_back.replace("cat@stmarys.sch.uk", "ADDRESS") == booked.replace("dan@kingsway.sch.uk", "ADDRESS")


def test_the_session_stays_open_to_other_schools(client, capped_session):
    post_booking(client, capped_session, "cat@stmarys.sch.uk")

    page = text_of(client.get(capped_session.get_absolute_url()))

    assert "Fully booked" not in page
    assert "Join the waiting list" not in page

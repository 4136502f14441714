"""The feedback request of a booking made in Welsh is in Welsh, its closing date too."""

from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.core.testing.languages import email_in, english_left_in_email
from bookyourplace.feedback.email_content import render_email
from bookyourplace.notifications.models import Email


def test_a_feedback_request_in_welsh_is_in_welsh(session):
    booking = bookings_testing.book(session, "alex.smith@coventry.gov.uk")
    email = Email(kind="feedback_request", to=booking.email)

    assert english_left_in_email(render_email, email, booking) == []
    subject, text, _html = email_in("cy", render_email, email, booking)
    assert subject == f"Eich adborth, os gwelwch yn dda: {session.title}"
    assert "Dydd " in text  # the survey's closing date

"""The no-show email of a booking made in Welsh is in Welsh."""

from bookyourplace.attendance.emails import NO_SHOW, render_no_show_email
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.core.testing.languages import email_in, english_left_in_email
from bookyourplace.notifications.models import Email


def test_a_no_show_email_in_welsh_is_in_welsh(session):
    booking = bookings_testing.book(session, "alex.smith@coventry.gov.uk")
    email = Email(kind=NO_SHOW, to=booking.email)

    assert english_left_in_email(render_no_show_email, email, booking) == []
    subject, _text, _html = email_in("cy", render_no_show_email, email, booking)
    assert subject == f"Mae’n ddrwg gennym na welsom chi: {session.title}"

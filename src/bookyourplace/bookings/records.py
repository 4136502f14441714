"""A booking as other systems see it: the JSON API's answers and the webhooks' payloads.

One description for both, so an integration reads the same fields whichever way a booking
reaches it. Access needs are left out: they are health data (UK GDPR special category),
for the organiser running the session, not for a council's other systems. The joining link
is never here either (bookings/joining.py decides who sees it; no integration does).
"""

from bookyourplace.bookings.models import Booking
from bookyourplace.core.formatting import iso_utc


def booking_record(booking: Booking) -> dict:
    """Plain JSON-ready data: strings, numbers, ISO 8601 times (UTC) or None."""
    session = booking.session
    return {
        "reference": booking.reference,
        "uid": str(booking.uid),
        "status": booking.status,
        "session": {
            "id": session.pk,
            "title": session.title,
            "starts_at": iso_utc(session.starts_at),
            "ends_at": iso_utc(session.ends_at),
            "programme": session.programme.slug,
        },
        "attendee": {
            "first_name": booking.first_name,
            "last_name": booking.last_name,
            "email": booking.email,
            "organisation": booking.organisation,
            "sector": booking.sector,
            "job_title": booking.job_title,
        },
        "created_at": iso_utc(booking.created_at),
        "confirmed_at": iso_utc(booking.confirmed_at),
        "cancelled_at": iso_utc(booking.cancelled_at),
        "anonymised": booking.anonymised_at is not None,
    }

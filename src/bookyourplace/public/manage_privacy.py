"""The manage page's "Your personal details" part (public/_manage_privacy.html reads what this
returns): "Delete my details", or when they have already asked, that it is with the organiser."""

from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.subject_access import has_asked


def context(booking: Booking, *, token: str) -> dict:
    if booking.anonymised_at is not None:  # nothing of theirs left to delete
        return {"privacy_request": None}
    asked = has_asked(email=booking.email, organiser_id=booking.session.programme.organiser_id)
    return {"privacy_request": {"asked": asked}}

"""The manage page's feedback part (public/_manage_feedback.html reads what this returns):
"Give feedback" while the survey is open, to those who attended; thanks once given."""

from django.utils import timezone

from bookyourplace.bookings.models import Booking
from bookyourplace.feedback import services
from bookyourplace.feedback.links import feedback_path


def context(booking: Booking, *, token: str) -> dict:
    session = booking.session
    now = timezone.now()
    # Most manage pages are opened before the session: nothing to ask the database then.
    if not booking.is_confirmed or session.is_cancelled or now < session.starts_at:
        return {"feedback": None}
    if not services.attended(booking):
        return {"feedback": None}
    closes_at = services.closes_at(session)
    is_open = now < closes_at
    given = services.has_given_feedback(booking)
    if not is_open and not given:
        return {"feedback": None}
    return {
        "feedback": {
            "open": is_open,
            "given": given,
            "closes_at": closes_at,
            "url": feedback_path(booking) if is_open else "",
        }
    }

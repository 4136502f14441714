"""What the manage page shows after the booking itself: the QR code for the door, the
certificate once attended, the feedback survey. Each part is one function, in its own
module, returning the context its partial template (public/_manage_*.html) reads."""

from bookyourplace.bookings.models import Booking
from bookyourplace.public import manage_certificate, manage_check_in, manage_feedback, manage_privacy


def manage_page_extras(booking: Booking, *, token: str) -> dict:
    context = {}
    context.update(manage_check_in.context(booking, token=token))
    context.update(manage_certificate.context(booking, token=token))
    context.update(manage_feedback.context(booking, token=token))
    context.update(manage_privacy.context(booking, token=token))
    return context

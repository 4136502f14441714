"""The manage page's check-in part: the QR code to show at the door, and the booking
reference to read out if the code will not scan (public/_manage_check_in.html)."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bookyourplace.bookings import check_in
from bookyourplace.bookings.models import Booking


def context(booking: Booking, *, token: str) -> dict:
    if not check_in.has_check_in_code(booking):
        return {}
    title = _("QR code to check in %(name)s to %(session)s, booking %(reference)s") % {
        "name": booking.full_name,
        "session": booking.session.title,
        "reference": booking.reference,
    }
    # segno writes the SVG and escapes the title; nothing in it comes from the request.
    return {"check_in_code_svg": mark_safe(check_in.qr_code_svg(booking, title=title))}  # noqa: S308

"""The private manage-your-booking link, rebuilt from the booking's seed when needed."""

from django.conf import settings

from bookyourplace.bookings import tokens
from bookyourplace.bookings.models import Booking


def manage_token(booking: Booking) -> str:
    return tokens.token_from_seed(booking.manage_token_seed)


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + Booking.manage_path(manage_token(booking))


def calendar_url(booking: Booking) -> str:
    return manage_url(booking) + "calendar.ics"

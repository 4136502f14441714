"""The survey link in the feedback email, and the secret in it.

Like the check-in code's (bookings/check_in.py), the token is the booking's token for its
own purpose (bookings/tokens.py), never the manage token: a forwarded feedback email lets
someone answer the survey, not cancel the booking or read the joining link.
"""

from django.conf import settings
from django.urls import reverse

from bookyourplace.bookings.links import find_booking_by_purpose_token, purpose_token
from bookyourplace.bookings.models import Booking

_PURPOSE = "feedback"


def feedback_token(booking: Booking) -> str:
    return purpose_token(booking, purpose=_PURPOSE)


def feedback_path(booking: Booking) -> str:
    return reverse("public:feedback", kwargs={"token": feedback_token(booking)})


def feedback_url(booking: Booking) -> str:
    return settings.SITE_URL + feedback_path(booking)


def find_booking_by_feedback_token(token: str) -> Booking | None:
    """The booking this survey link belongs to, or None for a wrong or made-up one."""
    return find_booking_by_purpose_token(token, purpose=_PURPOSE)

"""Helpers for tests that need a certificate: a session that has happened, an attendee
marked as having attended it, and feedback given."""

from datetime import timedelta

from django.utils import timezone

from bookyourplace.attendance.models import Method, Outcome
from bookyourplace.attendance.services import mark
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book
from bookyourplace.feedback.models import Response
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Session


def held_yesterday(session: Session, *, minutes: int = 90) -> Session:
    """Move the session (booked while it was still to come) to yesterday, lasting ``minutes``."""
    starts = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(minutes=minutes))
    session.refresh_from_db()
    return session


def mark_as(booking: Booking, outcome: str = Outcome.ATTENDED) -> Booking:
    mark(booking=booking, outcome=outcome, method=Method.BY_HAND, actor=SYSTEM)
    return booking


def attended_booking(session: Session, email: str = "alex.smith@coventry.gov.uk", **details) -> Booking:
    """A confirmed booking of ``session`` (still to come), which is then held yesterday and
    the booking marked as attended. Book any others first."""
    booking = book(session, email, **details)
    held_yesterday(session)
    mark_as(booking)
    # As a request would load it: with the session as it is now.
    return Booking.objects.select_related("session__programme__organiser").get(pk=booking.pk)


def give_feedback(booking: Booking) -> None:
    now = timezone.now()
    Response.objects.create(booking=booking, session=booking.session, submitted_at=now, changed_at=now)

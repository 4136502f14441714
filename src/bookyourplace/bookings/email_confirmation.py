"""Confirm your email address first (issue 10, point 5).

Per programme (Programme.email_confirmation; Session.confirms_email_first), a new booking
that gets a place holds it as UNCONFIRMED_EMAIL until the person opens the emailed link
and presses "Confirm my place" on their manage page (a POST: mail scanners such as Safe
Links open every link, and must not confirm). It then becomes what it would have been
(confirmed, or pending approval) and only then are the confirmation and the line
manager's copy sent. A hold not confirmed by ``hold_expires_at``
(BYP_EMAIL_CONFIRMATION_MINUTES) is released by the minute-by-minute work and the place
offered to the next person waiting.

The waiting list needs no extra step: an offer is accepted only through the emailed link,
which proves the address (a session that confirms straight from the waiting list holds
the place for confirmation instead; waiting_list.offer_free_places).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bookyourplace.bookings import locking
from bookyourplace.bookings.audit import record_booking_event
from bookyourplace.bookings.eligibility import status_for_a_place, tell_about_place
from bookyourplace.bookings.errors import EmailConfirmationNotOpen
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor


def can_confirm_email(booking: Booking, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        booking.is_unconfirmed_email
        and booking.hold_expires_at is not None
        and now < booking.hold_expires_at
        and not booking.session.is_cancelled
    )


def confirm_email(*, booking_id: int, actor: Actor | None = None, now: datetime | None = None) -> Booking:
    """The person pressed "Confirm my place" on the page the emailed link opens. A second
    press (a double click, a second tab) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        session = locking.lock_session(Booking.objects.values_list("session_id", flat=True).get(pk=booking_id))
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        booking.session = session
        if not booking.is_unconfirmed_email:
            if booking.holds_a_place:
                return booking
            raise EmailConfirmationNotOpen()
        if not can_confirm_email(booking, now=now):
            raise EmailConfirmationNotOpen()
        fields = booking.move_to(status_for_a_place(session, booking.email), now)
        booking.hold_expires_at = None
        booking.save(update_fields=[*fields, "hold_expires_at"])
        # The confirmation (with the line manager's copy) or "waiting for approval": only now.
        tell_about_place(booking)
        record_booking_event(
            booking=booking,
            session=session,
            action=AuditEvent.Action.BOOKED,
            actor=actor,
            summary=f"Email address confirmed: {booking.reference} for {booking.full_name} is now "
            f"{booking.get_status_display().lower()}",
        )
    return booking

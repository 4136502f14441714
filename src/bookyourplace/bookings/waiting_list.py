"""The waiting list: fair, first come first served, and automatic.

A freed place (a cancellation, a rejection, more capacity, an offer that ran out) goes to
the first person waiting, as an offer that holds the place for a time the organiser sets
(or, if the session says so, straight as a booking). Offers hold places like bookings do,
and a free place with people waiting is never open to newcomers, so nobody jumps the queue.
Callers hold the session's row lock (locking.lock_session) whenever they free places.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bookyourplace.bookings import emails, locking
from bookyourplace.bookings.audit import record_booking_event
from bookyourplace.bookings.availability import count_places
from bookyourplace.bookings.eligibility import (
    email_hold_expires_at,
    status_for_a_new_place,
    status_for_a_place,
    tell_about_place,
)
from bookyourplace.bookings.errors import OfferNotOpen
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM, Actor
from bookyourplace.programmes.models import Session
from bookyourplace.programmes.page_version import programme_changed


def first_waiting(session: Session) -> Booking | None:
    return (
        Booking.objects.select_for_update()
        .filter(session=session, status=Booking.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )


def offer_free_places(*, session: Session, now: datetime | None = None) -> list[Booking]:
    """Give every free place to the next person waiting. The caller holds the session lock."""
    now = now or timezone.now()
    if session.is_cancelled or now >= session.closes_at:
        return []
    taken, _waiting = count_places(session)
    given = []
    for _place in range(max(session.capacity - taken, 0)):
        booking = first_waiting(session)
        if booking is None:
            break
        if session.confirm_from_waiting_list:
            # No offer to accept through the emailed link, so nothing has proven the address
            # yet: the place is held for it to be confirmed, as a new booking's would be.
            status = status_for_a_new_place(session, booking.email)
            fields = booking.move_to(status, now)
            if status == Booking.Status.UNCONFIRMED_EMAIL:
                booking.hold_expires_at = email_hold_expires_at(session, now)
                fields.append("hold_expires_at")
            booking.save(update_fields=fields)
            tell_about_place(booking)
        else:
            hold = timedelta(hours=session.programme.offer_hold_hours)
            booking.status = Booking.Status.OFFERED
            booking.offered_at = now
            booking.offer_expires_at = min(now + hold, session.closes_at)
            booking.save(update_fields=["status", "offered_at", "offer_expires_at"])
            emails.queue_place_offered(booking=booking)
        record_booking_event(
            booking=booking,
            session=session,
            action=AuditEvent.Action.OFFERED_PLACE,
            actor=SYSTEM,
            summary=f"Gave the next free place to {booking.reference} ({booking.full_name}): {booking.get_status_display()}",
        )
        given.append(booking)
    return given


def accept_offer(*, booking_id: int, actor: Actor | None = None, now: datetime | None = None) -> Booking:
    """The person offered a place takes it, before the offer runs out."""
    now = now or timezone.now()
    with transaction.atomic():
        session = locking.lock_session(Booking.objects.values_list("session_id", flat=True).get(pk=booking_id))
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if not booking.is_offered or now >= booking.offer_expires_at or session.is_cancelled:
            raise OfferNotOpen()
        booking.save(update_fields=booking.move_to(status_for_a_place(session, booking.email), now))
        booking.session = session
        tell_about_place(booking)
        record_booking_event(
            booking=booking,
            session=session,
            action=AuditEvent.Action.ACCEPTED_OFFER,
            actor=actor,
            summary=f"{booking.reference} ({booking.full_name}) accepted the offered place",
        )
        programme_changed(session.programme_id)
    return booking

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

from bookyourplace.bookings import emails, fair_shares, locking
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
    """Give every free place to the next person waiting. The caller holds the session lock.

    With a fair-share cap (fair_shares.py), people whose organisation already holds its share
    are passed over, keeping their place in the queue; if places are still free after
    everyone else, those passed over are marked as waiting for their organisation's share
    (``fair_share_waiting``), so the free places stay open to other organisations."""
    now = now or timezone.now()
    if session.is_cancelled or now >= session.closes_at:
        return []
    taken, _waiting = count_places(session)
    free = max(session.capacity - taken, 0)
    if not free:
        return []
    cap = fair_shares.cap_for(session)
    if cap is None:
        queue = (first_waiting(session) for _place in range(free))
    else:
        queue = iter(_waiting_within_their_share(session, cap))
    given = []
    for booking in queue:
        if booking is None or len(given) == free:
            break
        booking.fair_share_waiting = False  # a place now: no longer waiting for a share
        if session.confirm_from_waiting_list:
            # No offer to accept through the emailed link, so nothing has proven the address
            # yet: the place is held for it to be confirmed, as a new booking's would be.
            status = status_for_a_new_place(session, booking.email)
            fields = [*booking.move_to(status, now), "fair_share_waiting"]
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
            booking.save(update_fields=["status", "offered_at", "offer_expires_at", "fair_share_waiting"])
            emails.queue_place_offered(booking=booking)
        record_booking_event(
            booking=booking,
            session=session,
            action=AuditEvent.Action.OFFERED_PLACE,
            actor=SYSTEM,
            summary=f"Gave the next free place to {booking.reference} ({booking.full_name}): {booking.get_status_display()}",
        )
        given.append(booking)
    if cap is not None and len(given) < free:
        # Everyone still waiting was passed over for their organisation's share.
        Booking.objects.filter(session=session, status=Booking.Status.WAITING, fair_share_waiting=False).update(
            fair_share_waiting=True
        )
    return given


def _waiting_within_their_share(session: Session, cap: int):
    """The people waiting, in queue order, whose organisation holds fewer places than the
    cap, counting the places given to those before them."""
    held = fair_shares.places_held_by_organisation(session)
    for booking in (
        Booking.objects.select_for_update()
        .filter(session=session, status=Booking.Status.WAITING)
        .order_by("created_at", "pk")
    ):
        key = booking.organisation_key
        if key and held.get(key, 0) >= cap:
            continue
        held[key] = held.get(key, 0) + 1
        yield booking


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


def offer_places_the_cap_frees(*, programme_id: int, now: datetime | None = None) -> list[Booking]:
    """After a programme's fair-share cap is raised or removed: people waiting only for
    their organisation's share may now have the free places, offered session by session
    under each one's lock, as any freed place is."""
    now = now or timezone.now()
    given = []
    session_ids = (
        Booking.objects.filter(
            session__programme_id=programme_id, status=Booking.Status.WAITING, fair_share_waiting=True
        )
        .order_by("session_id")
        .values_list("session_id", flat=True)
        .distinct()
    )
    for session_id in list(session_ids):
        with transaction.atomic():
            session = locking.lock_session(session_id)
            offered = offer_free_places(session=session, now=now)
            if offered:
                programme_changed(session.programme_id)
            given += offered
    return given

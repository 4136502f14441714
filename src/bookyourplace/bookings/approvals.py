"""Approving and rejecting bookings that wait for an organiser (see eligibility.py for who
waits). A pending booking holds its place, so approving it can never overbook."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings import emails, locking, waiting_list
from bookyourplace.bookings.audit import record_booking_event
from bookyourplace.bookings.errors import BookingError, SessionCancelled
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.records import booking_record
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.webhooks import events as webhook_events
from bookyourplace.webhooks.services import announce


class NotAwaitingApproval(BookingError):
    message = _("This booking is not waiting for approval.")


def _lock(booking_id: int) -> tuple[Session, Booking]:
    session = locking.lock_session(Booking.objects.values_list("session_id", flat=True).get(pk=booking_id))
    return session, Booking.objects.select_for_update().get(pk=booking_id)


def approve_booking(*, booking_id: int, actor: Actor, now: datetime | None = None) -> Booking:
    """Confirm a pending booking; refused if the session has been cancelled meanwhile."""
    now = now or timezone.now()
    with transaction.atomic():
        session, booking = _lock(booking_id)
        if not booking.is_pending:
            raise NotAwaitingApproval()
        if session.is_cancelled:
            raise SessionCancelled()
        booking.decided_at = now
        booking.save(update_fields=[*booking.move_to(Booking.Status.CONFIRMED, now), "decided_at"])
        emails.queue_booking_approved(booking=booking)
        record_booking_event(
            booking=booking,
            session=session,
            action=AuditEvent.Action.APPROVED_BOOKING,
            actor=actor,
            summary=f"Approved {booking.reference} ({booking.full_name})",
        )
        booking.session = session
        announce(
            organiser_id=session.programme.organiser_id,
            event=webhook_events.BOOKING_APPROVED,
            data=lambda: booking_record(booking),
        )
        programme_changed(session.programme_id)
    return booking


def reject_booking(*, booking_id: int, reason: str, actor: Actor, now: datetime | None = None) -> Booking:
    """Turn down a pending booking with a reason the person is told; the place goes to the
    waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        session, booking = _lock(booking_id)
        if not booking.is_pending:
            raise NotAwaitingApproval()
        booking.status = Booking.Status.REJECTED
        booking.decided_at = now
        booking.decision_reason = reason.strip()
        booking.save(update_fields=["status", "decided_at", "decision_reason"])
        emails.queue_booking_rejected(booking=booking, note=booking.decision_reason)
        record_booking_event(
            booking=booking,
            session=session,
            action=AuditEvent.Action.REJECTED_BOOKING,
            actor=actor,
            summary=f"Did not approve {booking.reference} ({booking.full_name}). Reason: {booking.decision_reason}",
        )
        waiting_list.offer_free_places(session=session, now=now)
        programme_changed(session.programme_id)
    return booking


def approve_bookings(*, booking_ids: list[int], actor: Actor) -> tuple[int, list[str]]:
    """Approve several at once. Returns how many were approved and, for each refused, why."""
    approved, refused = 0, []
    for booking_id in booking_ids:
        try:
            approve_booking(booking_id=booking_id, actor=actor)
            approved += 1
        except BookingError as refusal:
            reference = Booking.objects.values_list("reference", flat=True).get(pk=booking_id)
            refused.append(f"{reference}: {refusal.message}")
    return approved, refused


def reject_bookings(*, booking_ids: list[int], reason: str, actor: Actor) -> int:
    rejected = 0
    for booking_id in booking_ids:
        try:
            reject_booking(booking_id=booking_id, reason=reason, actor=actor)
            rejected += 1
        except NotAwaitingApproval:
            continue  # decided meanwhile by someone else
    return rejected

"""Places whose time ran out: offers nobody accepted, email addresses nobody confirmed.

The minute-by-minute work finds the bookings due, then handles one session at a time under
its lock: it finds them again (the person, or another run at the same time, may have got
there first), lets each go, and gives the freed places to the next people waiting.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bookyourplace.bookings import emails, locking, waiting_list
from bookyourplace.bookings.audit import record_booking_event
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Session
from bookyourplace.programmes.page_version import programme_changed


def _tell_nobody(booking: Booking, session: Session) -> None:
    pass


def release_places_that_ran_out(
    *,
    due: QuerySet[Booking],
    status: str,
    action: str,
    summary: Callable[[Booking], str],
    now: datetime,
    tell: Callable[[Booking, Session], None] = _tell_nobody,
) -> int:
    """Move every booking in ``due`` to ``status`` and offer the places freed; how many moved.

    ``tell`` emails the person, if they are to be told; ``summary`` is the audit log's line
    (with ``action``, by the system) for each booking let go."""
    released = 0
    for session_id in list(due.values_list("session_id", flat=True).distinct()):
        with transaction.atomic():
            session = locking.lock_session(session_id)
            for booking in due.select_for_update().filter(session=session):
                booking.status = status
                booking.save(update_fields=["status"])
                tell(booking, session)
                record_booking_event(
                    booking=booking, session=session, action=action, actor=SYSTEM, summary=summary(booking)
                )
                released += 1
            waiting_list.offer_free_places(session=session, now=now)
            programme_changed(session.programme_id)
    return released


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass every offer that has run out to the next person waiting. Run by the worker
    every minute; safe to run twice at once (each session is handled under its lock)."""
    now = now or timezone.now()
    return release_places_that_ran_out(
        due=Booking.objects.filter(status=Booking.Status.OFFERED, offer_expires_at__lte=now),
        status=Booking.Status.OFFER_EXPIRED,
        action=AuditEvent.Action.OFFER_EXPIRED,
        summary=lambda booking: f"The offer to {booking.reference} ({booking.full_name}) ran out",
        tell=_tell_offer_ran_out,
        now=now,
    )


def _tell_offer_ran_out(booking: Booking, session: Session) -> None:
    if not session.is_cancelled:  # they were told the session is cancelled; no "gone to the next person"
        emails.queue_offer_expired(booking=booking)


def release_unconfirmed_holds(*, now: datetime | None = None) -> int:
    """Release every place whose email address was not confirmed in time and offer it to
    the next person waiting. Run by the worker every minute; each session is handled under
    its lock, so two runs at once are safe. The person is not emailed: nothing showed the
    address was theirs."""
    now = now or timezone.now()
    return release_places_that_ran_out(
        due=Booking.objects.filter(status=Booking.Status.UNCONFIRMED_EMAIL, hold_expires_at__lte=now),
        status=Booking.Status.HOLD_EXPIRED,
        action=AuditEvent.Action.CANCELLED_BOOKING,
        summary=lambda booking: (
            f"Released the place held for {booking.reference} ({booking.full_name}): "
            "email address not confirmed in time"
        ),
        now=now,
    )

"""The audit log's entry for something that happened to a booking."""

from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Session


def record_booking_event(
    *, booking: Booking, session: Session, action: str, summary: str, actor: Actor | None = None
) -> AuditEvent:
    """Record `action` on `booking`, in the audit log of the session's programme; by the
    person booked unless another actor is given."""
    return record(
        actor=actor or Actor(label=booking.full_name),
        action=action,
        summary=summary,
        subject=booking,
        programme_id=session.programme_id,
    )

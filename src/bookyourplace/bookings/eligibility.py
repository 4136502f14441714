"""Who is confirmed at once and who waits for an organiser's approval.

Per programme, overridable per session: open (everyone confirmed), trusted domains (listed
domains confirmed, others wait) or approval for all.
"""

from datetime import datetime, timedelta

from django.conf import settings

from bookyourplace.bookings import emails
from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import ApprovalMode, Session


def domain_is_trusted(email: str, patterns: list[str]) -> bool:
    """'coventry.gov.uk' trusts that domain and its subdomains; '*.sch.uk' any subdomain."""
    domain = email.rsplit("@", 1)[-1].lower()
    for pattern in patterns:
        if pattern.startswith("*."):
            if domain.endswith(pattern[1:]):
                return True
        elif domain == pattern or domain.endswith("." + pattern):
            return True
    return False


def needs_approval(session: Session, email: str) -> bool:
    mode = session.effective_approval_mode
    if mode == ApprovalMode.APPROVAL:
        return True
    if mode == ApprovalMode.TRUSTED_DOMAINS:
        return not domain_is_trusted(email, session.effective_trusted_domains)
    return False


def status_for_a_place(session: Session, email: str) -> str:
    """What someone given a place becomes: confirmed, or pending an organiser's approval."""
    return Booking.Status.PENDING if needs_approval(session, email) else Booking.Status.CONFIRMED


def status_for_a_new_place(session: Session, email: str, *, address_proven: bool = False) -> str:
    """What a place given without an emailed link being used first becomes (a new booking,
    or one confirmed straight from the waiting list): held until the address is confirmed
    when the session asks for that (Session.confirms_email_first), otherwise as
    status_for_a_place says. ``address_proven``: an organiser vouches for it."""
    if session.confirms_email_first and not address_proven:
        return Booking.Status.UNCONFIRMED_EMAIL
    return status_for_a_place(session, email)


def email_hold_expires_at(session: Session, now: datetime) -> datetime:
    """When a place held for its email address to be confirmed is released
    (BYP_EMAIL_CONFIRMATION_MINUTES from now, and never after the session starts)."""
    return min(now + timedelta(minutes=settings.BYP_EMAIL_CONFIRMATION_MINUTES), session.starts_at)


def tell_about_place(booking: Booking) -> None:
    """Email the person just given a place: a confirmation (and the line manager's copy),
    that approval is pending, or that they must confirm their address to keep it."""
    if booking.is_confirmed:
        emails.queue_booking_confirmation(booking=booking)
    elif booking.is_unconfirmed_email:
        emails.queue_email_confirmation(booking=booking)
    else:
        emails.queue_booking_pending(booking=booking)

"""Who is confirmed at once and who waits for an organiser's approval.

Per programme, overridable per session: open (everyone confirmed), trusted domains (listed
domains confirmed, others wait) or approval for all.
"""

from bookyourplace.bookings.models import Booking
from bookyourplace.notifications import services as notifications
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


def tell_about_place(booking: Booking) -> None:
    """Email the person just given a place: a confirmation, or that approval is pending."""
    if booking.is_confirmed:
        notifications.queue_booking_confirmation(booking=booking)
    else:
        notifications.queue_booking_pending(booking=booking)

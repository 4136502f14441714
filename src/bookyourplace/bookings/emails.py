"""What the booking side tells people, and when: each email queued with the change it
reports, in the same transaction. Delivery (notifications) sends them; how each one reads
is in email_content.py, written when it is sent.
"""

import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings.invites import CANCEL, REQUEST
from bookyourplace.bookings.models import Booking
from bookyourplace.core import rate_limits
from bookyourplace.notifications.models import Email
from bookyourplace.notifications.queueing import queue_email

logger = logging.getLogger(__name__)


class EmailKind(models.TextChoices):
    """Every email about a booking; each has its templates in templates/bookings/email/."""

    CONFIRMATION = "confirmation", _("Booking confirmation")
    MANAGE_LINK = "manage_link", _("Link to manage a booking")
    CANCELLATION = "cancellation", _("Booking cancelled")
    CANCELLED_BY_ORGANISER = "cancelled_by_organiser", _("Booking cancelled by the organiser")
    SESSION_CHANGED = "session_changed", _("Session changed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    PENDING = "pending", _("Booking waiting for approval")
    APPROVED = "approved", _("Booking approved")
    REJECTED = "rejected", _("Booking not approved")
    WAITING_LIST_JOINED = "waiting_list_joined", _("Joined the waiting list")
    PLACE_OFFERED = "place_offered", _("Place offered from the waiting list")
    OFFER_EXPIRED = "offer_expired", _("Offer ran out")
    MANAGER_COPY = "manager_copy", _("Copy to the line manager")
    REMINDER = "reminder", _("Reminder")
    MESSAGE = "message", _("Message from the organiser")
    EMAIL_CONFIRMATION = "email_confirmation", _("Confirm the email address to keep a place")


# The text message the day before (GOV.UK Notify only; an outbox row of channel "sms").
TEXT_REMINDER = "text_reminder"

# Kinds meant only for people who still hold a confirmed place when the email goes.
ONLY_WHILE_CONFIRMED = (EmailKind.REMINDER, EmailKind.MESSAGE)


def _queue(
    *,
    booking: Booking,
    kind: EmailKind,
    invite_method: str = "",
    include_joining_details: bool = False,
    note: str = "",
    to: str = "",
) -> Email:
    return queue_email(
        about=booking,
        kind=kind,
        to=to or booking.email,
        invite_method=invite_method,
        invite_sequence=booking.invite_sequence if invite_method else None,
        include_joining_details=include_joining_details,
        note=note,
    )


def queue_booking_confirmation(*, booking: Booking, kind: EmailKind = EmailKind.CONFIRMATION) -> Email:
    """The confirmation with its calendar invite; a copy for the line manager if one was given."""
    email = _queue(booking=booking, kind=kind, invite_method=REQUEST, include_joining_details=booking.is_confirmed)
    if booking.line_manager_email and line_manager_copy_allowed(booking):
        # A separate email without the private manage and joining links.
        _queue(booking=booking, kind=EmailKind.MANAGER_COPY, to=booking.line_manager_email)
    return email


def line_manager_copy_allowed(booking: Booking) -> bool:
    """Whether this booking's line manager copy may go: anyone can type any address there,
    so one address gets only so many copies (settings.BYP_RATE_LIMITS["manager_copy"]),
    whoever books. Over that the booking stands and only the copy is dropped: refusing the
    booking would let a stranger stop a real manager's staff from booking."""
    if rate_limits.allows("manager_copy", booking.line_manager_email):
        return True
    logger.warning("Line manager's copy of booking %s not sent: its address has had too many copies", booking.pk)
    return False


def queue_booking_approved(*, booking: Booking) -> Email:
    return queue_booking_confirmation(booking=booking, kind=EmailKind.APPROVED)


def queue_email_confirmation(*, booking: Booking) -> Email:
    """ "Confirm your email address to keep your place": the manage link, whose page has the
    button that confirms (a POST, so a mail scanner opening the link confirms nothing)."""
    return _queue(booking=booking, kind=EmailKind.EMAIL_CONFIRMATION)


def queue_booking_pending(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=EmailKind.PENDING)


def queue_booking_rejected(*, booking: Booking, note: str = "") -> Email:
    return _queue(booking=booking, kind=EmailKind.REJECTED, note=note)


def queue_waiting_list_joined(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=EmailKind.WAITING_LIST_JOINED)


def queue_place_offered(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=EmailKind.PLACE_OFFERED)


def queue_offer_expired(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=EmailKind.OFFER_EXPIRED)


def queue_manage_link(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=EmailKind.MANAGE_LINK)


def queue_booking_cancellation(*, booking: Booking, withdraw_invite: bool = True) -> Email:
    """Confirms a cancellation; withdraws the calendar event if the attendee had been sent one."""
    return _queue(booking=booking, kind=EmailKind.CANCELLATION, invite_method=CANCEL if withdraw_invite else "")


def queue_cancelled_by_organiser(*, booking: Booking, note: str = "") -> Email:
    return _queue(booking=booking, kind=EmailKind.CANCELLED_BY_ORGANISER, invite_method=CANCEL, note=note)


def queue_session_changed(*, booking: Booking) -> Email:
    """The new details with an updated invite: same UID, the booking's raised SEQUENCE."""
    return _queue(booking=booking, kind=EmailKind.SESSION_CHANGED, invite_method=REQUEST, include_joining_details=True)


def queue_session_cancelled(*, booking: Booking, note: str = "") -> Email:
    # Only a confirmed attendee was sent an invite; people waiting or pending just hear the news.
    invite_method = CANCEL if booking.is_confirmed else ""
    return _queue(booking=booking, kind=EmailKind.SESSION_CANCELLED, invite_method=invite_method, note=note)

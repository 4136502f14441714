"""Queueing and delivering email.

Queueing writes an outbox row and a task in the caller's transaction; nothing is sent
inside a web request. The worker delivers each row once, retrying with back-off while the
mail server is unreachable.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookyourplace.bookings.models import Booking
from bookyourplace.notifications import invites
from bookyourplace.notifications.models import Email
from bookyourplace.notifications.rendering import render_email
from bookyourplace.notifications.tasks import send_account_email, send_email

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 60 * 60


def _queue(
    *,
    booking: Booking,
    kind: str,
    invite_method: str = "",
    include_joining_details: bool = False,
    note: str = "",
    to: str = "",
    dedupe_key: str | None = None,
) -> Email:
    email = Email.objects.create(
        booking=booking,
        kind=kind,
        to=to or booking.email,
        invite_method=invite_method,
        invite_sequence=booking.invite_sequence if invite_method else None,
        include_joining_details=include_joining_details,
        note=note,
        dedupe_key=dedupe_key,
    )
    send_email.enqueue(email_id=email.pk)
    return email


def queue_booking_confirmation(*, booking: Booking, kind: str = Email.Kind.CONFIRMATION) -> Email:
    """The confirmation with its calendar invite; a copy for the line manager if one was given."""
    email = _queue(
        booking=booking,
        kind=kind,
        invite_method=invites.REQUEST,
        include_joining_details=booking.is_confirmed,
    )
    if booking.line_manager_email:
        # A separate email without the private manage and joining links.
        _queue(booking=booking, kind=Email.Kind.MANAGER_COPY, to=booking.line_manager_email)
    return email


def queue_booking_approved(*, booking: Booking) -> Email:
    return queue_booking_confirmation(booking=booking, kind=Email.Kind.APPROVED)


def queue_booking_pending(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=Email.Kind.PENDING)


def queue_booking_rejected(*, booking: Booking, note: str = "") -> Email:
    return _queue(booking=booking, kind=Email.Kind.REJECTED, note=note)


def queue_waiting_list_joined(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=Email.Kind.WAITING_LIST_JOINED)


def queue_place_offered(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=Email.Kind.PLACE_OFFERED)


def queue_offer_expired(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=Email.Kind.OFFER_EXPIRED)


def queue_reminder(*, booking: Booking, dedupe_key: str, include_joining_details: bool, note: str) -> Email:
    return _queue(
        booking=booking,
        kind=Email.Kind.REMINDER,
        include_joining_details=include_joining_details,
        note=note,
        dedupe_key=dedupe_key,
    )


def queue_manage_link(*, booking: Booking) -> Email:
    return _queue(booking=booking, kind=Email.Kind.MANAGE_LINK)


def queue_booking_cancellation(*, booking: Booking, withdraw_invite: bool = True) -> Email:
    """Confirms a cancellation; withdraws the calendar event if the attendee had been sent one."""
    return _queue(booking=booking, kind=Email.Kind.CANCELLATION, invite_method=invites.CANCEL if withdraw_invite else "")


def queue_cancelled_by_organiser(*, booking: Booking, note: str = "") -> Email:
    return _queue(booking=booking, kind=Email.Kind.CANCELLED_BY_ORGANISER, invite_method=invites.CANCEL, note=note)


def queue_session_changed(*, booking: Booking) -> Email:
    """The new details with an updated invite: same UID, the booking's raised SEQUENCE."""
    return _queue(
        booking=booking, kind=Email.Kind.SESSION_CHANGED, invite_method=invites.REQUEST, include_joining_details=True
    )


def queue_session_cancelled(*, booking: Booking, note: str = "") -> Email:
    # Only a confirmed attendee was sent an invite; people waiting or pending just hear the news.
    invite_method = invites.CANCEL if booking.is_confirmed else ""
    return _queue(booking=booking, kind=Email.Kind.SESSION_CANCELLED, invite_method=invite_method, note=note)


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS))


def deliver(*, email_id: int) -> str:
    """Send one queued email. Returns its status afterwards.

    The row is claimed with a conditional UPDATE, so a second worker (or a repeated task)
    finds nothing to do. No database lock is held while talking to the mail server.
    """
    now = timezone.now()
    claimed = Email.objects.filter(pk=email_id, status=Email.Status.QUEUED).update(
        status=Email.Status.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return Email.objects.filter(pk=email_id).values_list("status", flat=True).first() or "missing"
    email = Email.objects.select_related("booking__session__programme__organiser").get(pk=email_id)
    try:
        render_email(email).send()
    except (smtplib.SMTPException, OSError) as exc:
        if email.attempts >= MAX_ATTEMPTS:
            logger.error("Giving up on email %s to %s after %s attempts: %s", email.pk, email.to, email.attempts, exc)
            Email.objects.filter(pk=email.pk).update(status=Email.Status.FAILED, last_error=str(exc)[:2000])
            return Email.Status.FAILED
        next_attempt = now + retry_delay(email.attempts)
        logger.warning("Email %s not sent (%s); trying again at %s", email.pk, exc, next_attempt.isoformat())
        with transaction.atomic():
            Email.objects.filter(pk=email.pk).update(
                status=Email.Status.QUEUED, last_error=str(exc)[:2000], next_attempt_at=next_attempt
            )
            send_email.using(run_after=next_attempt).enqueue(email_id=email.pk)
        return Email.Status.QUEUED
    Email.objects.filter(pk=email.pk).update(status=Email.Status.SENT, sent_at=timezone.now(), last_error="")
    return Email.Status.SENT


def queue_account_email(*, to: str, subject: str, body: str) -> None:
    send_account_email.enqueue(to=to, subject=subject, body=body)


def deliver_account_email(*, to: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send()

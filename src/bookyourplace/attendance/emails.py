"""The email to people who booked a place and did not come: sorry we missed you, and how to
book another session.

An organiser sends it from the attendance page once the session has ended. Each booking gets
it at most once, ever (the outbox's dedupe key), however often the button is pressed. It is
written when the worker sends it (registered with delivery in AttendanceConfig.ready), so a
person marked as attended since it was queued is not told they were missed.
"""

from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bookyourplace.attendance.errors import AttendanceError
from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.email_content import session_email
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.composing import Composer
from bookyourplace.notifications.delivery import request_delivery
from bookyourplace.notifications.models import Email
from bookyourplace.notifications.queueing import outbox_email, queue_emails_once
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Session

NO_SHOW = "no_show"


class SessionNotEnded(AttendanceError):
    message = gettext_lazy("You can email the no-shows once the session has ended.")


def dedupe_key(booking: Booking) -> str:
    return f"no_show:{booking.pk}"


def _no_show_q() -> Q:
    # A confirmed booking nobody marked (after the end, that is a no-show) or marked as one.
    return Q(attendance__isnull=True) | Q(attendance__outcome=Outcome.NO_SHOW)


def no_shows_not_yet_emailed(session: Session) -> QuerySet[Booking]:
    already = Email.objects.filter(booking=OuterRef("pk"), kind=NO_SHOW)
    return (
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
        .filter(_no_show_q())
        .exclude(Exists(already))
    )


def no_show_emails_queued(session: Session) -> int:
    """How many of this session's bookings have been sent (or are being sent) the email."""
    return Email.objects.filter(booking__session=session, kind=NO_SHOW).count()


def queue_no_show_emails(*, session: Session, actor: Actor, now: datetime | None = None) -> int:
    """Queue the email to each no-show of this ended session who has not had it; how many
    were queued (0 when everyone has had it already)."""
    now = now or timezone.now()
    if session.ends_at > now:
        raise SessionNotEnded()
    due = list(no_shows_not_yet_emailed(session).order_by("pk").only("pk", "email", "session_id"))
    if not due:
        return 0
    queued = queue_emails_once(
        [outbox_email(about=booking, kind=NO_SHOW, to=booking.email, dedupe_key=dedupe_key(booking)) for booking in due]
    )
    if queued:
        record(
            actor=actor,
            action="attendance.no_show_emails",
            summary=f"Emailed {queued} no-show(s) of '{session.title}'",
            subject=session,
            programme_id=session.programme_id,
        )
        request_delivery()
    return queued


def compose_no_show_email(email: Email, booking: Booking) -> EmailMultiAlternatives | None:
    """The email as it goes now; None if the person is no longer a no-show (marked as
    attended since, or the booking was cancelled)."""
    still_missed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).filter(_no_show_q()).exists()
    if not still_missed:
        return None
    return render_no_show_email(email, booking)


def render_no_show_email(email: Email, booking: Booking) -> EmailMultiAlternatives:
    return session_email(
        email, booking, subject=gettext_lazy("Sorry we missed you: %(title)s"), template="attendance/email/no_show"
    )


def _load_bookings(ids: list[int]) -> dict[int, Booking]:
    # Delivery loads a batch with the owner's (the bookings app's) loader; this one is here
    # for completeness of the Composer and answers the same.
    return Booking.objects.select_related("session__programme__organiser").in_bulk(ids)


NO_SHOW_EMAILS = Composer(load=_load_bookings, compose=compose_no_show_email)

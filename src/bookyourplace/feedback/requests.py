"""The email asking for feedback: once per booking whose attendee came, after the session.

The worker's minute-by-minute work (bookings/periodic.py) runs ``queue_feedback_requests``.
It reads only sessions that ended in the last ``MAX_OPEN_DAYS`` days and have attendance
marks it has not yet looked at: each session's ``SessionRound`` remembers the newest mark
seen, so a quiet session costs one aggregate row a minute, and a mark added later (a Teams
report imported the next day) brings the session back and gets its email too.

Each email goes at most once: the outbox row's dedupe key refuses a second copy (a second
worker, a restarted one), and the ``FeedbackRequest`` written with it in one transaction
makes the next run pass the booking by.
"""

import itertools
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone

from bookyourplace.attendance.models import Attendance
from bookyourplace.bookings.models import Booking
from bookyourplace.feedback.models import DEFAULT_OPEN_DAYS, MAX_OPEN_DAYS, FeedbackRequest, Response, SessionRound
from bookyourplace.feedback.services import CAME
from bookyourplace.notifications.delivery import request_delivery
from bookyourplace.notifications.queueing import outbox_email, queue_emails_once
from bookyourplace.programmes.models import Session

logger = logging.getLogger(__name__)

KIND = "feedback_request"
LOT_SIZE = 500  # emails queued in one transaction
# A mark is looked at again for this long after it was made: a transaction that marked
# attendance a moment before another run read the session, and committed after, is not missed.
LATE_COMMIT_MARGIN = timedelta(minutes=15)


def dedupe_key(booking_id: int) -> str:
    return f"feedback:{booking_id}"


def sessions_with_new_marks(now: datetime):
    """Sessions that ended within the longest survey window, with attended marks newer than
    the last run saw (or never looked at)."""
    return (
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            ends_at__lte=now,
            ends_at__gt=now - timedelta(days=MAX_OPEN_DAYS),
        )
        .annotate(last_mark=Max("attendances__marked_at", filter=Q(attendances__outcome__in=CAME)))
        .filter(last_mark__isnull=False)
        .filter(Q(feedback_round__isnull=True) | Q(last_mark__gt=F("feedback_round__marks_seen_until")))
        .annotate(open_days=F("programme__feedback_survey__open_days"))
        .order_by("ends_at", "pk")
    )


def queue_feedback_requests(*, now: datetime | None = None) -> int:
    """Queue the feedback email to each attendee who came and has not been asked; how many."""
    now = now or timezone.now()
    queued = 0
    # Read whole first: a cursor left open on SQLite would keep a snapshot that cannot write.
    for session in list(sessions_with_new_marks(now)):
        if now < session.ends_at + timedelta(days=session.open_days or DEFAULT_OPEN_DAYS):
            queued += _queue_for_session(session, now)
        seen_until = min(session.last_mark, now - LATE_COMMIT_MARGIN)
        SessionRound.objects.bulk_create(
            [SessionRound(session=session, requests_queued_at=now, marks_seen_until=seen_until)],
            update_conflicts=True,
            unique_fields=["session"],
            update_fields=["marks_seen_until"],
        )
    if queued:
        request_delivery()
        logger.info("Feedback requests queued: %s", queued)
    return queued


def _queue_for_session(session: Session, now: datetime) -> int:
    asked = FeedbackRequest.objects.filter(booking_id=OuterRef("pk"))
    answered = Response.objects.filter(booking_id=OuterRef("pk"))
    came = Attendance.objects.filter(booking_id=OuterRef("pk"), outcome__in=CAME)
    due = list(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
        .filter(Exists(came))
        .exclude(Exists(asked))
        .exclude(Exists(answered))  # gave feedback from the manage page before being asked
        .order_by("pk")
        .only("pk", "email", "session_id")
    )
    queued = 0
    # A lot at a time, each committed as one: a worker stopped half-way leaves whole lots
    # queued (emails and requests together), and the next run finds the rest still due.
    for lot in itertools.batched(due, LOT_SIZE):
        queued += queue_requests(bookings=lot, now=now)
    return queued


def record_as_asked(*, bookings, asked_at: datetime) -> int:
    """Count these bookings as asked for feedback at ``asked_at``, with no email: for history
    loaded afterwards (the demo's past sessions), whose people were asked at the time. The
    minute-by-minute job then passes them by, as it does anyone asked; someone marked later
    is asked as usual. How many were not already counted as asked."""
    bookings = list(bookings)
    already = set(
        FeedbackRequest.objects.filter(booking__in=[b.pk for b in bookings]).values_list("booking_id", flat=True)
    )
    FeedbackRequest.objects.bulk_create(
        [
            FeedbackRequest(booking=b, session_id=b.session_id, queued_at=asked_at)
            for b in bookings
            if b.pk not in already
        ],
        ignore_conflicts=True,
    )
    return len({b.pk for b in bookings} - already)


def queue_requests(*, bookings, now: datetime) -> int:
    """Queue the feedback email to each of these bookings not yet asked; how many were queued.
    The caller asks for a delivery run."""
    with transaction.atomic():
        FeedbackRequest.objects.bulk_create(
            [FeedbackRequest(booking=b, session_id=b.session_id, queued_at=now) for b in bookings],
            ignore_conflicts=True,
        )
        return queue_emails_once(
            [outbox_email(about=b, kind=KIND, to=b.email, dedupe_key=dedupe_key(b.pk)) for b in bookings]
        )

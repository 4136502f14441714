"""Reminders before a session, on the programme's schedule.

Each booking gets each reminder at most once: the reminder's outbox row carries a unique
key (booking and reminder), so a second worker, or a worker restarted half-way through a
run, cannot queue it again, and the outbox sends each row once. A booking confirmed after a
reminder's moment (booked late, approved late, or given a place from the waiting list late)
does not get that reminder; cancelled, pending and waiting bookings get none, and a reminder
queued before its booking was cancelled is not sent.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.bookings.emails import TEXT_REMINDER, EmailKind
from bookyourplace.bookings.joining import may_see_joining_details_q
from bookyourplace.bookings.models import Booking
from bookyourplace.core.errors import DomainError
from bookyourplace.notifications import notify
from bookyourplace.notifications.delivery import request_delivery
from bookyourplace.notifications.models import Email
from bookyourplace.notifications.queueing import outbox_email, queue_emails_once
from bookyourplace.programmes.models import Programme, Session

LOT_SIZE = 500  # reminders queued in one statement
# The text a person may ask for on the booking form ("Text me a reminder the day before").
TEXT_REMINDER_BEFORE = timedelta(days=1)


@dataclass(frozen=True)
class Reminder:
    key: str  # stable name, part of the dedupe key: "5d", "1d", "60m"
    before: timedelta
    online_only: bool = False

    @property
    def joining(self) -> bool:
        return self.online_only


def schedule(programme: Programme) -> list[Reminder]:
    """The programme's reminders: days before (e.g. "5,1"), and "starting soon" with the
    joining link for online sessions."""
    reminders = []
    for part in programme.reminder_days.replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit() and int(part) > 0:
            reminders.append(Reminder(key=f"{int(part)}d", before=timedelta(days=int(part))))
    if programme.joining_reminder_minutes:
        minutes = programme.joining_reminder_minutes
        reminders.append(Reminder(key=f"{minutes}m", before=timedelta(minutes=minutes), online_only=True))
    return reminders


class InvalidReminderDays(DomainError):
    field = "reminder_days"


def parse_reminder_days(text: str) -> str:
    """Check an organiser's "5, 1" and return it tidied; InvalidReminderDays if wrong."""
    days = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not all(day.isdigit() and 0 < int(day) <= 60 for day in days):
        raise InvalidReminderDays(_("Enter whole numbers of days between 1 and 60, separated by commas, like 5, 1"))
    return ",".join(str(n) for n in sorted({int(day) for day in days}, reverse=True))


def dedupe_key(booking: Booking, reminder: Reminder) -> str:
    return f"reminder:{booking.pk}:{reminder.key}"


def _note(reminder: Reminder) -> str:
    if reminder.online_only:
        minutes = int(reminder.before.total_seconds() // 60)
        return ngettext(
            "Your online session starts in %(count)d minute. Here is your joining link.",
            "Your online session starts in %(count)d minutes. Here is your joining link.",
            minutes,
        ) % {"count": minutes}
    days = reminder.before.days
    return ngettext("Your session is in %(count)d day.", "Your session is in %(count)d days.", days) % {"count": days}


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue every reminder whose moment has come. Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    # Only sessions still to start can be due; the longest schedule bounds how far ahead to look.
    upcoming = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + timedelta(days=61)
    ).select_related("programme")
    sends_texts: dict[int, bool] = {}  # by organisation, read once a run
    for session in upcoming:
        for reminder in schedule(session.programme):
            if reminder.online_only and not session.is_online:
                continue
            moment = session.starts_at - reminder.before
            if now < moment:
                continue
            queued += _queue_for_session(session, reminder, moment)
        queued += _queue_texts_for_session(session, now=now, sends_texts=sends_texts)
    if queued:
        request_delivery()
    return queued


def _queue_for_session(session: Session, reminder: Reminder, moment: datetime) -> int:
    already = Email.objects.filter(
        booking=OuterRef("pk"), kind=EmailKind.REMINDER, dedupe_key__endswith=f":{reminder.key}"
    )
    bookings = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED, confirmed_at__lte=moment)
    if reminder.joining:
        # The "starting soon" reminder exists to carry the joining link: only to those who may see it.
        bookings = bookings.filter(may_see_joining_details_q())
    # Read whole first (ids and addresses only): a cursor left open on SQLite would keep an
    # old snapshot that cannot then write once another worker has written.
    due = list(bookings.exclude(Exists(already)).order_by("pk").only("pk", "email", "session_id"))
    queued = 0
    # A few hundred at a time, each lot committed as one: a worker stopped half-way leaves
    # whole lots queued, and the next run finds the rest still due.
    for lot in itertools.batched(due, LOT_SIZE):
        queued += queue_reminders(
            bookings=lot, reminder=reminder, include_joining_details=reminder.joining or session.is_online
        )
    return queued


def queue_reminders(*, bookings: Sequence[Booking], reminder: Reminder, include_joining_details: bool) -> int:
    """Queue this reminder to each of these bookings that has not had it; how many were
    queued (the dedupe key makes a second worker's copy fail). The caller asks for a delivery run."""
    note = _note(reminder)
    return queue_emails_once(
        [
            outbox_email(
                about=booking,
                kind=EmailKind.REMINDER,
                to=booking.email,
                include_joining_details=include_joining_details,
                note=note,
                dedupe_key=dedupe_key(booking, reminder),
            )
            for booking in bookings
        ]
    )


def text_dedupe_key(booking: Booking) -> str:
    return f"text-reminder:{booking.pk}"


def _queue_texts_for_session(session: Session, *, now: datetime, sends_texts: dict[int, bool]) -> int:
    """The text the day before, once, to each confirmed booking that asked for one, when the
    organisation sends texts (GOV.UK Notify); a place confirmed after that moment gets none."""
    moment = session.starts_at - TEXT_REMINDER_BEFORE
    if now < moment:
        return 0
    organiser_id = session.programme.organiser_id
    if organiser_id not in sends_texts:
        sends_texts[organiser_id] = notify.sends_texts(organiser_id)
    if not sends_texts[organiser_id]:
        return 0
    already = Email.objects.filter(booking=OuterRef("pk"), kind=TEXT_REMINDER)
    due = list(
        Booking.objects.filter(
            session=session, status=Booking.Status.CONFIRMED, confirmed_at__lte=moment, text_reminder_wanted=True
        )
        .exclude(mobile_number="")
        .exclude(Exists(already))
        .order_by("pk")
        .only("pk", "mobile_number", "session_id")
    )
    queued = 0
    for lot in itertools.batched(due, LOT_SIZE):
        queued += queue_emails_once(
            [
                outbox_email(
                    about=booking,
                    kind=TEXT_REMINDER,
                    channel="sms",
                    to=booking.mobile_number,
                    dedupe_key=text_dedupe_key(booking),
                )
                for booking in lot
            ]
        )
    return queued

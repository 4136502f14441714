"""Reminders before a session: on the programme's schedule, to confirmed attendees, once each.

Time is moved by passing ``now=`` to send_due_reminders. Bookings are made now and sessions
start a month ahead, so each reminder's moment comes after the bookings were made.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bookyourplace.bookings import services
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.reminders import (
    InvalidReminderDays,
    Reminder,
    parse_reminder_days,
    schedule,
    send_due_reminders,
)
from bookyourplace.bookings.testing import book
from bookyourplace.bookings.tests.reminder_checks import reminder_keys, reminders_sent
from bookyourplace.notifications.models import Email
from bookyourplace.programmes.models import ApprovalMode, EmailConfirmation, Session

SECRET_LINK = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"
SECOND = timedelta(seconds=1)
FIVE_DAYS = timedelta(days=5)
ONE_DAY = timedelta(days=1)
ONE_HOUR = timedelta(minutes=60)
BARRIER_TIMEOUT_SECONDS = 30


# --- The schedule -----------------------------------------------------------------------------


def test_schedule_five_one_and_sixty_minutes_gives_three_reminders(programme):
    programme.reminder_days = "5,1"
    programme.joining_reminder_minutes = 60

    result = schedule(programme)

    assert result == [
        Reminder(key="5d", before=FIVE_DAYS),
        Reminder(key="1d", before=ONE_DAY),
        Reminder(key="60m", before=ONE_HOUR, online_only=True),
    ]


def test_schedule_without_a_joining_reminder_has_only_the_days(programme):
    programme.reminder_days = "3"
    programme.joining_reminder_minutes = 0

    assert schedule(programme) == [Reminder(key="3d", before=timedelta(days=3))]


def test_parse_reminder_days_tidies_spaces():
    assert parse_reminder_days("5, 1") == "5,1"
    assert parse_reminder_days("1, 5 ,5") == "5,1"


@pytest.mark.parametrize("text", ["five", "5, one", "0", "-1", "61", "1.5"])
def test_parse_reminder_days_refuses_anything_but_whole_days(text):
    with pytest.raises(InvalidReminderDays, match="Enter whole numbers of days between 1 and 60"):
        parse_reminder_days(text)


# --- When each reminder goes ------------------------------------------------------------------


def test_each_reminder_goes_at_its_moment_and_not_before(make_session, starts):
    # Arrange
    session = make_session(starts_at=starts)
    book(session, "alex@coventry.gov.uk")
    moments = [starts - FIVE_DAYS, starts - ONE_DAY, starts - ONE_HOUR]

    # Act: just before and just at each moment
    queued = []
    for moment in moments:
        queued.append(send_due_reminders(now=moment - SECOND))
        queued.append(send_due_reminders(now=moment))

    # Assert
    assert queued == [0, 1, 0, 1, 0, 1]
    assert reminder_keys() == [
        ("alex@coventry.gov.uk", "1d"),
        ("alex@coventry.gov.uk", "5d"),
        ("alex@coventry.gov.uk", "60m"),
    ]


def test_a_reminder_still_goes_just_after_its_moment(make_session, starts):
    session = make_session(starts_at=starts)
    book(session, "alex@coventry.gov.uk")

    queued = send_due_reminders(now=starts - FIVE_DAYS + timedelta(minutes=1))

    assert queued == 1
    assert reminder_keys() == [("alex@coventry.gov.uk", "5d")]


def test_no_reminder_goes_once_the_session_has_started(make_session, starts):
    session = make_session(starts_at=starts)
    book(session, "alex@coventry.gov.uk")

    assert send_due_reminders(now=starts) == 0
    assert reminder_keys() == []


def test_running_twice_sends_each_reminder_once(make_session, starts, run_worker):
    # Arrange
    session = make_session(starts_at=starts)
    for name in ("alex", "bea", "cai"):
        book(session, f"{name}@coventry.gov.uk")
    now = starts - FIVE_DAYS

    # Act
    first = send_due_reminders(now=now)
    second = send_due_reminders(now=now + SECOND)
    run_worker()

    # Assert
    assert (first, second) == (3, 0)
    assert Email.objects.filter(kind=EmailKind.REMINDER).count() == 3
    assert reminders_sent() == {"alex@coventry.gov.uk": 1, "bea@coventry.gov.uk": 1, "cai@coventry.gov.uk": 1}


def test_the_reminder_says_how_soon_the_session_is(make_session, starts, run_worker):
    # Arrange
    session = make_session(starts_at=starts)
    book(session, "alex@coventry.gov.uk")

    # Act
    send_due_reminders(now=starts - FIVE_DAYS)
    run_worker()

    # Assert
    (reminder,) = [m for m in mail.outbox if m.subject.startswith("Reminder: ")]
    assert reminder.subject.startswith(f"Reminder: {session.title}, ")
    assert "Your session is in 5 days." in reminder.body


# --- Who gets reminders -----------------------------------------------------------------------


def test_a_booking_made_after_the_reminders_moment_does_not_get_it(make_session):
    # Arrange: the session starts in 3 days, so the 5-day reminder's moment has passed
    starts = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    session = make_session(starts_at=starts)
    book(session, "late@coventry.gov.uk")

    # Act
    now_queued = send_due_reminders(now=timezone.now())
    one_day_queued = send_due_reminders(now=starts - ONE_DAY)

    # Assert
    assert now_queued == 0
    assert one_day_queued == 1
    assert reminder_keys() == [("late@coventry.gov.uk", "1d")]


def test_cancelled_pending_waiting_and_offered_bookings_get_no_reminders(programme, make_session, starts):
    # Arrange: trusted domains, two places
    programme.approval_mode = ApprovalMode.TRUSTED_DOMAINS
    programme.trusted_domains = "coventry.gov.uk"
    # Places held for email confirmation: public/tests/test_email_confirmation.py.
    programme.email_confirmation = EmailConfirmation.NEVER
    programme.save()
    session = make_session(starts_at=starts, capacity=2)
    cancelled = book(session, "cancelled@coventry.gov.uk")
    services.cancel_booking(booking_id=cancelled.pk)
    book(session, "confirmed@coventry.gov.uk")
    pending = book(session, "pending@gmail.com")
    book(session, "waiting@coventry.gov.uk", waiting=True)
    book(session, "offered@coventry.gov.uk", waiting=True)
    Booking.objects.filter(email="offered@coventry.gov.uk").update(
        status=Booking.Status.OFFERED, offer_expires_at=starts
    )

    # Act: every reminder's moment, in turn
    for moment in (starts - FIVE_DAYS, starts - ONE_DAY, starts - ONE_HOUR):
        send_due_reminders(now=moment)

    # Assert
    assert pending.status == Booking.Status.PENDING
    assert reminder_keys() == [
        ("confirmed@coventry.gov.uk", "1d"),
        ("confirmed@coventry.gov.uk", "5d"),
        ("confirmed@coventry.gov.uk", "60m"),
    ]


def test_a_cancelled_session_sends_no_reminders(make_session, starts):
    session = make_session(starts_at=starts)
    book(session, "alex@coventry.gov.uk")
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)

    assert send_due_reminders(now=starts - ONE_HOUR) == 0
    assert reminder_keys() == []


def test_the_one_hour_reminder_carries_the_joining_link_and_is_for_online_sessions_only(
    make_session, starts, run_worker
):
    # Arrange
    online = make_session(starts_at=starts)
    in_person = make_session(
        starts_at=starts,
        delivery=Session.Delivery.IN_PERSON,
        venue="Friargate",
        room="Room 1.4",
        platform="",
        joining_url="",
    )
    book(online, "online@coventry.gov.uk")
    book(in_person, "room@coventry.gov.uk")
    for moment in (starts - FIVE_DAYS, starts - ONE_DAY):
        send_due_reminders(now=moment)
    run_worker()
    mail.outbox.clear()

    # Act
    queued = send_due_reminders(now=starts - ONE_HOUR)
    run_worker()

    # Assert
    assert queued == 1
    assert ("online@coventry.gov.uk", "60m") in reminder_keys()
    assert ("room@coventry.gov.uk", "60m") not in reminder_keys()
    (starting_soon,) = mail.outbox
    assert starting_soon.to == ["online@coventry.gov.uk"]
    assert "Your online session starts in 60 minutes. Here is your joining link." in starting_soon.body
    assert SECRET_LINK in starting_soon.body
    assert "Cameras on, please." in starting_soon.body
    assert Email.objects.get(to="online@coventry.gov.uk", dedupe_key__endswith=":60m").include_joining_details


def test_a_reminder_to_someone_cancelled_before_it_is_sent_is_not_a_joining_link_leak(make_session, starts, run_worker):
    # Arrange: the reminder is queued, then the attendee cancels before the worker sends it
    session = make_session(starts_at=starts)
    booking = book(session, "alex@coventry.gov.uk")
    send_due_reminders(now=starts - ONE_HOUR)
    services.cancel_booking(booking_id=booking.pk, now=starts - ONE_HOUR)

    # Act
    run_worker()

    # Assert: the reminder is not sent at all, only the cancellation
    assert reminders_sent() == Counter()
    assert all(SECRET_LINK not in m.body for m in mail.outbox)
    assert set(Email.objects.filter(kind=EmailKind.REMINDER).values_list("status", flat=True)) == {Email.Status.SKIPPED}


def test_a_place_given_late_from_the_waiting_list_skips_the_reminders_already_past(make_session, run_worker):
    # Arrange: joined the waiting list weeks ahead, but only got a place two days before
    starts = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    session = make_session(starts_at=starts, capacity=1, confirm_from_waiting_list=True)
    first = book(session, "first@coventry.gov.uk")
    waiting = book(session, "waiting@coventry.gov.uk", waiting=True)
    Booking.objects.filter(pk=waiting.pk).update(created_at=starts - timedelta(days=20))
    services.cancel_booking(booking_id=first.pk)

    # Act: the five-day moment is long past; the one-day moment comes later
    queued_now = send_due_reminders(now=timezone.now())
    queued_at_one_day = send_due_reminders(now=starts - ONE_DAY)

    # Assert: no stale "your session is in 5 days", just the one-day reminder
    assert Booking.objects.get(pk=waiting.pk).status == Booking.Status.CONFIRMED
    assert queued_now == 0
    assert queued_at_one_day == 1
    assert reminder_keys() == [("waiting@coventry.gov.uk", "1d")]


# --- Two workers, and a worker that dies half-way ----------------------------------------------

"""Each reminder goes at most once, however many workers run and wherever one stops: the
outbox row's unique key refuses a second copy, and a lot is queued as one."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from bookyourplace.bookings import reminders
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.reminders import Reminder, send_due_reminders
from bookyourplace.bookings.testing import book
from bookyourplace.bookings.tests.reminder_checks import reminder_keys, reminders_sent
from bookyourplace.notifications.models import Email

SECOND = timedelta(seconds=1)
FIVE_DAYS = timedelta(days=5)
ONE_DAY = timedelta(days=1)
BARRIER_TIMEOUT_SECONDS = 30


def test_two_workers_at_once_queue_each_reminder_once(transactional_db, make_session, starts, monkeypatch):
    # Arrange: eight confirmed attendees; the 5-day and 1-day reminders are both due
    session = make_session(starts_at=starts)
    emails = [f"person{n}@coventry.gov.uk" for n in range(8)]
    for email in emails:
        book(session, email)
    now = starts - ONE_DAY
    # Each lot takes a moment before it is queued, so both workers have read the same due
    # bookings when the other queues them: the overlap a second worker really causes.
    monkeypatch.setattr(reminders, "LOT_SIZE", 3)
    real_queue_reminders = reminders.queue_reminders

    def slow_queue_reminders(**kwargs):
        time.sleep(0.05)
        return real_queue_reminders(**kwargs)

    monkeypatch.setattr(reminders, "queue_reminders", slow_queue_reminders)
    barrier = threading.Barrier(2)
    results: list[int | str | None] = [None, None]

    def worker(index: int) -> None:
        try:
            connection.ensure_connection()  # connect first, so both really start together
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            results[index] = send_due_reminders(now=now)
        except Exception as exc:
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]

    # Act
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Assert
    assert all(not thread.is_alive() for thread in threads)
    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 16
    assert reminder_keys() == sorted([(email, "1d") for email in emails] + [(email, "5d") for email in emails])
    keys = Email.objects.filter(kind=EmailKind.REMINDER).values_list("dedupe_key", flat=True)
    assert len(keys) == len(set(keys)) == 16


def test_a_worker_restarted_mid_run_sends_every_reminder_exactly_once(make_session, starts, monkeypatch, run_worker):
    # Arrange: five attendees, two reminders each due, queued two at a time; the worker dies
    # after two lots, and in the middle of writing the third
    session = make_session(starts_at=starts)
    emails = [f"person{n}@coventry.gov.uk" for n in range(5)]
    for email in emails:
        book(session, email)
    now = starts - ONE_DAY
    monkeypatch.setattr(reminders, "LOT_SIZE", 2)
    real_bulk_create = Email.objects.bulk_create
    lots = []

    def dies_in_the_third_lot(rows, *args, **kwargs):
        lots.append(len(rows))
        if len(lots) == 3:
            real_bulk_create(rows[:1], *args, **kwargs)  # written, then the worker dies before the commit
            raise RuntimeError("worker killed")
        return real_bulk_create(rows, *args, **kwargs)

    monkeypatch.setattr(Email.objects, "bulk_create", dies_in_the_third_lot)
    with pytest.raises(RuntimeError, match="worker killed"):
        send_due_reminders(now=now)
    queued_before_the_crash = Email.objects.filter(kind=EmailKind.REMINDER).count()
    monkeypatch.setattr(Email.objects, "bulk_create", real_bulk_create)

    # Act: the restarted worker runs again, and again a minute later
    after_restart = send_due_reminders(now=now + SECOND)
    a_minute_later = send_due_reminders(now=now + timedelta(minutes=1))
    run_worker()

    # Assert
    assert queued_before_the_crash == 4  # two whole lots; the third was rolled back
    assert (after_restart, a_minute_later) == (6, 0)
    assert reminder_keys() == sorted([(email, "1d") for email in emails] + [(email, "5d") for email in emails])
    assert reminders_sent() == dict.fromkeys(emails, 2)
    assert Email.objects.filter(kind=EmailKind.REMINDER, status=Email.Status.SENT).count() == 10


def test_dedupe_key_names_the_booking_and_the_reminder(make_session, starts):
    session = make_session(starts_at=starts)
    booking = book(session, "alex@coventry.gov.uk")

    send_due_reminders(now=starts - FIVE_DAYS)

    assert list(Email.objects.filter(kind=EmailKind.REMINDER).values_list("dedupe_key", flat=True)) == [
        f"reminder:{booking.pk}:5d"
    ]
    assert reminders.dedupe_key(booking, Reminder(key="5d", before=FIVE_DAYS)) == f"reminder:{booking.pk}:5d"


def test_a_lot_with_one_reminder_already_queued_queues_the_others_once(make_session, starts):
    # Arrange: another worker queued Bea's reminder after this one read who was due
    session = make_session(starts_at=starts)
    people = [book(session, f"{name}@coventry.gov.uk") for name in ("alex", "bea", "cai")]
    reminder = Reminder(key="1d", before=ONE_DAY)
    assert reminders.queue_reminders(bookings=people[1:2], reminder=reminder, include_joining_details=False) == 1

    # Act
    queued = reminders.queue_reminders(bookings=people, reminder=reminder, include_joining_details=False)

    # Assert: two queued here, and each of the three has exactly one
    assert queued == 2
    assert sorted(Email.objects.filter(kind=EmailKind.REMINDER).values_list("to", flat=True)) == [
        "alex@coventry.gov.uk",
        "bea@coventry.gov.uk",
        "cai@coventry.gov.uk",
    ]

"""The minute-by-minute work: one run queued at a time, and each run queues the next.

run_worker runs the queue until nothing is ready; the next periodic run is due a minute
ahead, so the worker leaves it waiting and the test ends.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bookyourplace.bookings import services
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.periodic import INTERVAL, run_periodic_work, schedule_next
from bookyourplace.bookings.testing import book
from bookyourplace.notifications.models import Email


def periodic_runs():
    return DBTaskResult.objects.filter(task_path=run_periodic_work.module_path)


def test_schedule_next_queues_one_run(db):
    before = timezone.now()

    queued = schedule_next()

    assert queued is True
    (run,) = periodic_runs()
    assert run.status == "READY"
    assert before <= run.run_after <= timezone.now()


def test_schedule_next_does_not_queue_a_second_run_while_one_is_waiting(db):
    schedule_next(after=INTERVAL)

    queued_again = schedule_next()

    assert queued_again is False
    assert periodic_runs().count() == 1


def test_schedule_next_queues_again_once_the_waiting_run_has_finished(db, run_worker):
    schedule_next()
    run_worker()  # runs it; the run queues its own successor
    DBTaskResult.objects.filter(task_path=run_periodic_work.module_path, status="READY").delete()

    queued = schedule_next()

    assert queued is True
    assert periodic_runs().filter(status="READY").count() == 1


def test_the_worker_runs_the_periodic_work_and_schedules_the_next_run(make_session, run_worker):
    # Arrange: an offer that ran out an hour ago, with someone else waiting behind it
    now = timezone.now()
    offered_at = now - timedelta(hours=25)
    full = make_session(capacity=1, title="Full session")
    confirmed = book(full, "first@coventry.gov.uk", now=offered_at)
    first_waiting = book(full, "wait1@coventry.gov.uk", now=offered_at, waiting=True)
    second_waiting = book(full, "wait2@coventry.gov.uk", now=offered_at, waiting=True)
    services.cancel_booking(booking_id=confirmed.pk, now=offered_at)
    # and a session starting in 12 hours whose attendee booked (and was confirmed) a week ago:
    # two reminders due
    soon = make_session(title="Soon", starts_at=now + timedelta(hours=12))
    attendee = book(soon, "attendee@coventry.gov.uk")
    Booking.objects.filter(pk=attendee.pk).update(
        created_at=now - timedelta(days=7), confirmed_at=now - timedelta(days=7)
    )
    schedule_next()

    # Act
    run_worker()
    after = timezone.now()

    # Assert: the offer passed on
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Booking.Status.OFFER_EXPIRED
    assert second_waiting.status == Booking.Status.OFFERED
    assert now <= second_waiting.offered_at <= after
    # the reminders were queued (and sent)
    reminders = Email.objects.filter(kind=EmailKind.REMINDER, to="attendee@coventry.gov.uk")
    assert sorted(reminders.values_list("dedupe_key", flat=True)) == [
        f"reminder:{attendee.pk}:1d",
        f"reminder:{attendee.pk}:5d",
    ]
    assert set(reminders.values_list("status", flat=True)) == {Email.Status.SENT}
    # the run succeeded, said what it did, and queued the next one a minute ahead
    (finished,) = periodic_runs().filter(status="SUCCESSFUL")
    assert finished.return_value == {"offers_expired": 1, "holds_released": 0, "reminders_queued": 2}
    (next_run,) = periodic_runs().filter(status="READY")
    assert now + INTERVAL <= next_run.run_after <= after + INTERVAL
    assert periodic_runs().count() == 2


def test_a_run_with_nothing_to_do_still_schedules_the_next(db, run_worker):
    before = timezone.now()
    schedule_next()

    run_worker()

    (finished,) = periodic_runs().filter(status="SUCCESSFUL")
    assert finished.return_value == {"offers_expired": 0, "holds_released": 0, "reminders_queued": 0}
    (next_run,) = periodic_runs().filter(status="READY")
    assert before + timedelta(seconds=55) <= next_run.run_after <= timezone.now() + timedelta(seconds=65)


def test_a_failing_run_still_schedules_the_next(db, run_worker, monkeypatch):
    # Arrange: the work itself breaks (a bug, the database briefly gone)
    from bookyourplace.bookings import periodic

    def broken(*, now):
        raise RuntimeError("something broke")

    monkeypatch.setattr(periodic, "run_once", broken)
    schedule_next()

    # Act
    run_worker()

    # Assert: the failure is recorded and the schedule carries on
    assert periodic_runs().filter(status="FAILED").count() == 1
    assert periodic_runs().filter(status="READY").count() == 1

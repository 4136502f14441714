"""The email asking for feedback: once per booking whose attendee came, sent by the worker,
however many times the job runs, in parallel or after a restart, and to late marks too."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.periodic import run_once, schedule_next
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.feedback import requests
from bookyourplace.feedback.links import feedback_token
from bookyourplace.feedback.models import FeedbackRequest, SessionRound, Survey
from bookyourplace.feedback.requests import KIND, queue_feedback_requests
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.notifications.models import Email

BARRIER_TIMEOUT_SECONDS = 30


def feedback_emails_to() -> list[str]:
    """Who was sent the feedback email, as the mail server got it, sorted."""
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Your feedback, please"))


def queued_feedback_rows() -> list[str]:
    return sorted(Email.objects.filter(kind=KIND).values_list("to", flat=True))


@pytest.fixture
def ended(session, run_worker):
    """Alex attended, Bea partly attended, Cai did not come and Dee was not marked; the
    session ended an hour ago and the confirmations have gone."""
    people = {
        name: book(session, f"{name}@coventry.gov.uk", first_name=name.title())
        for name in ("alex", "bea", "cai", "dee")
    }
    end_session(session)
    mark(people["alex"], Outcome.ATTENDED)
    mark(people["bea"], Outcome.PARTLY_ATTENDED)
    mark(people["cai"], Outcome.NO_SHOW)
    run_worker()
    mail.outbox.clear()
    return people


def test_attendees_who_came_are_emailed_a_link_to_the_survey_once(session, ended, run_worker):
    queued = queue_feedback_requests()
    run_worker()

    assert queued == 2
    assert feedback_emails_to() == ["alex@coventry.gov.uk", "bea@coventry.gov.uk"]
    alex_email = next(m for m in mail.outbox if m.to == ["alex@coventry.gov.uk"])
    assert f"/feedback/{feedback_token(ended['alex'])}/" in alex_email.body
    assert session.title in alex_email.subject
    assert "Dear Alex" in alex_email.body


def test_the_email_says_where_the_certificate_is_only_to_those_who_attended_in_full(
    session, ended, run_worker, programme
):
    queue_feedback_requests()
    run_worker()

    alex_email = next(m for m in mail.outbox if m.to == ["alex@coventry.gov.uk"])
    bea_email = next(m for m in mail.outbox if m.to == ["bea@coventry.gov.uk"])
    assert "Your certificate of attendance is on your booking page" in alex_email.body
    assert f"/booking/{manage_token(ended['alex'])}/" in alex_email.body
    # Partly attended: no certificate, so no pointer to one (and no manage link in this email).
    assert "certificate" not in bea_email.body
    assert manage_token(ended["bea"]) not in bea_email.body


def test_no_certificate_pointer_when_the_programme_offers_none(session, ended, run_worker, programme):
    programme.certificates_enabled = False
    programme.save()
    queue_feedback_requests()
    run_worker()

    alex_email = next(m for m in mail.outbox if m.to == ["alex@coventry.gov.uk"])
    assert "certificate" not in alex_email.body
    assert manage_token(ended["alex"]) not in alex_email.body


def test_the_worker_s_minute_by_minute_work_sends_the_requests(session, ended, run_worker):
    schedule_next()

    run_worker()  # runs the periodic work, which asks for a delivery run once it commits
    run_worker()  # (inside the test's transaction, that is when the worker is next called)

    assert feedback_emails_to() == ["alex@coventry.gov.uk", "bea@coventry.gov.uk"]


def test_a_failing_periodic_job_does_not_stop_the_others(session, ended, monkeypatch, caplog):
    from bookyourplace.core import periodic

    def broken(*, now):
        raise RuntimeError("broken job")

    monkeypatch.setattr(periodic, "_jobs", {"broken": broken, **periodic._jobs})

    run_once(now=timezone.now())

    assert "Periodic job broken failed" in caplog.text
    assert queued_feedback_rows() == ["alex@coventry.gov.uk", "bea@coventry.gov.uk"]


def test_running_again_and_restarting_the_worker_sends_each_email_exactly_once(session, ended, run_worker, monkeypatch):
    # Arrange: more attendees, queued two at a time; the worker dies in the second lot
    for n in range(3):
        extra = book(session, f"extra{n}@coventry.gov.uk", now=session.starts_at - timedelta(days=1))
        mark(extra, Outcome.ATTENDED)
    monkeypatch.setattr(requests, "LOT_SIZE", 2)
    real_bulk_create = Email.objects.bulk_create
    lots = []

    def dies_in_the_second_lot(rows, *args, **kwargs):
        lots.append(len(rows))
        if len(lots) == 2:
            real_bulk_create(rows[:1], *args, **kwargs)  # written, then the worker dies before the commit
            raise RuntimeError("worker killed")
        return real_bulk_create(rows, *args, **kwargs)

    monkeypatch.setattr(Email.objects, "bulk_create", dies_in_the_second_lot)
    with pytest.raises(RuntimeError, match="worker killed"):
        queue_feedback_requests()
    queued_before_the_crash = len(queued_feedback_rows())
    monkeypatch.setattr(Email.objects, "bulk_create", real_bulk_create)

    # Act: the restarted worker's periodic work runs, sends, and runs again a minute later
    now = timezone.now()
    run_once(now=now)
    after_restart = len(queued_feedback_rows()) - queued_before_the_crash
    run_worker()
    run_once(now=now + timedelta(minutes=1))
    a_minute_later = len(queued_feedback_rows()) - queued_before_the_crash - after_restart
    run_worker()

    # Assert
    assert queued_before_the_crash == 2  # the first lot; the second was rolled back whole
    assert (after_restart, a_minute_later) == (3, 0)
    came = ["alex", "bea", "extra0", "extra1", "extra2"]
    assert queued_feedback_rows() == sorted(f"{name}@coventry.gov.uk" for name in came)
    assert feedback_emails_to() == sorted(f"{name}@coventry.gov.uk" for name in came)
    assert FeedbackRequest.objects.count() == 5


def test_the_outbox_refuses_a_second_email_even_when_the_job_forgets_what_it_did(session, ended, run_worker):
    queue_feedback_requests()
    run_worker()
    # As if the job's own records were lost: only the outbox's unique key is left to say no.
    SessionRound.objects.all().delete()
    FeedbackRequest.objects.all().delete()

    queued_again = queue_feedback_requests()
    run_worker()

    assert queued_again == 0
    assert feedback_emails_to() == ["alex@coventry.gov.uk", "bea@coventry.gov.uk"]


def test_two_jobs_at_once_queue_each_email_once(transactional_db, make_session, monkeypatch):
    # Arrange: eight attendees, queued three at a time, slowly, by two workers started together
    session = make_session()
    people = [book(session, f"person{n}@coventry.gov.uk") for n in range(8)]
    end_session(session)
    for booking in people:
        mark(booking)
    monkeypatch.setattr(requests, "LOT_SIZE", 3)
    barrier = threading.Barrier(2)
    results: list[int | str | None] = [None, None]

    def worker(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            results[index] = queue_feedback_requests()
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
    assert sum(results) == 8
    assert queued_feedback_rows() == sorted(f"person{n}@coventry.gov.uk" for n in range(8))


def test_a_mark_added_the_next_day_still_gets_its_email(session, ended, run_worker):
    queue_feedback_requests()
    run_worker()
    mail.outbox.clear()

    # A Teams report imported the next day marks Dee as attended
    tomorrow = timezone.now() + timedelta(days=1)
    mark(ended["dee"], Outcome.ATTENDED, now=tomorrow)
    queued = queue_feedback_requests(now=tomorrow)
    run_worker()

    assert queued == 1
    assert feedback_emails_to() == ["dee@coventry.gov.uk"]


def test_a_no_show_corrected_to_attended_gets_its_email(session, ended, run_worker):
    queue_feedback_requests()
    later = timezone.now() + timedelta(minutes=30)
    mark(ended["cai"], Outcome.ATTENDED, now=later)

    queued = queue_feedback_requests(now=later + timedelta(minutes=1))

    assert queued == 1
    assert "cai@coventry.gov.uk" in queued_feedback_rows()


def test_a_session_with_nothing_new_is_passed_by_with_one_query(session, ended, django_assert_num_queries):
    now = timezone.now() + timedelta(hours=1)  # past the margin for late commits
    queue_feedback_requests(now=now)

    with django_assert_num_queries(1):
        queued = queue_feedback_requests(now=now + timedelta(minutes=1))

    assert queued == 0


def test_nobody_is_asked_before_the_session_ends(session, run_worker):
    alex = book(session, "alex@coventry.gov.uk")
    now = session.starts_at + timedelta(minutes=30)
    mark(alex, now=now)

    assert queue_feedback_requests(now=now) == 0
    assert queue_feedback_requests(now=session.ends_at + timedelta(minutes=1)) == 1


def test_nobody_is_asked_once_the_survey_has_closed(session, ended):
    after_closing = session.ends_at + timedelta(days=14, minutes=1)

    assert queue_feedback_requests(now=after_closing) == 0


def test_a_longer_survey_window_asks_later_marks_too(session, ended, programme):
    Survey.objects.create(programme=programme, open_days=30)

    assert queue_feedback_requests(now=session.ends_at + timedelta(days=20)) == 2


def test_cancelled_bookings_are_not_asked(session, ended):
    bookings.cancel_booking(booking_id=ended["bea"].pk, by_organiser=True, reason="Booked twice.")

    queue_feedback_requests()

    assert queued_feedback_rows() == ["alex@coventry.gov.uk"]


def test_the_email_is_not_sent_once_feedback_was_given_or_the_booking_cancelled(session, ended, run_worker):
    queue_feedback_requests()
    answer(ended["alex"], satisfaction=5)
    bookings.cancel_booking(booking_id=ended["bea"].pk, by_organiser=True, reason="Booked twice.")

    run_worker()

    assert feedback_emails_to() == []
    assert set(Email.objects.filter(kind=KIND).values_list("status", flat=True)) == {Email.Status.SKIPPED}


def test_who_answered_from_the_manage_page_first_is_not_asked(session, ended):
    answer(ended["alex"], satisfaction=5)

    queue_feedback_requests()

    assert queued_feedback_rows() == ["bea@coventry.gov.uk"]

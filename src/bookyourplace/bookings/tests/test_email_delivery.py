"""Email through a real SMTP server on loopback: what the worker sends, and what it does when it cannot."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from bookyourplace.bookings.invites import invite_uid
from bookyourplace.bookings.links import manage_url
from bookyourplace.bookings.services import book_place
from bookyourplace.core.testing.smtp import parse
from bookyourplace.notifications.delivery import deliver, deliver_outbox, retry_delay
from bookyourplace.notifications.models import Email


def parts_by_type(message) -> dict[str, list]:
    found: dict[str, list] = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


def calendar_alternative(message):
    """The text/calendar part: the one Outlook reads as the meeting request."""
    (part,) = parts_by_type(message)["text/calendar"]
    return part


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def ready_delivery_runs():
    return DBTaskResult.objects.filter(status="READY", task_path=deliver_outbox.module_path)


@pytest.mark.django_db
def test_book_place_sends_nothing_itself(smtp_server, session, attendee_details):
    # Act
    booking = book_place(session_id=session.pk, attendee=attendee_details())

    # Assert
    assert smtp_server.envelopes == []
    assert list(Email.objects.filter(booking=booking).values_list("status", flat=True)) == [Email.Status.QUEUED]


@pytest.mark.django_db
def test_booking_confirmation_arrives_once_with_text_html_and_meeting_request(
    smtp_server, session, attendee_details, run_worker
):
    # Arrange
    booking = book_place(session_id=session.pk, attendee=attendee_details())
    assert smtp_server.envelopes == []

    # Act
    run_worker()

    # Assert: one message, to the attendee
    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["alex.smith@coventry.gov.uk"]
    message = parse(envelope)
    assert message["To"] == "alex.smith@coventry.gov.uk"
    assert message["Reply-To"] == "prevent@coventry.example"
    parts = parts_by_type(message)
    assert len(parts["text/plain"]) == 1
    assert len(parts["text/html"]) == 1
    assert manage_url(booking) in parts["text/plain"][0].get_content()
    invite = calendar_alternative(message)
    assert invite.get_param("method") == "REQUEST"
    assert [p.get_filename() for p in parts["application/ics"]] == ["invite.ics"]
    assert Email.objects.get(booking=booking).status == Email.Status.SENT


@pytest.mark.django_db
def test_booking_confirmation_invite_describes_the_session_for_this_attendee(
    smtp_server, session, attendee_details, run_worker
):
    # Arrange
    booking = book_place(session_id=session.pk, attendee=attendee_details())

    # Act
    run_worker()

    # Assert
    (envelope,) = smtp_server.envelopes
    calendar = Calendar.from_ical(calendar_alternative(parse(envelope)).get_content())
    event = only_event(calendar)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert event.decoded("SEQUENCE") == 0
    assert str(event["UID"]) == invite_uid(booking)
    assert str(event["ORGANIZER"]) == "mailto:prevent@coventry.example"
    assert str(event["ATTENDEE"]) == "mailto:alex.smith@coventry.gov.uk"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert str(event["LOCATION"]) == "Microsoft Teams"
    description = str(event["DESCRIPTION"]).splitlines()
    assert f"Manage or cancel your booking: {manage_url(booking)}" in description
    assert f"Join the session: {session.joining_url}" in description


@pytest.mark.django_db
def test_deliver_smtp_server_down_keeps_email_queued_and_schedules_retry(
    stopped_smtp_server, session, attendee_details, run_worker
):
    # Arrange
    booking = book_place(session_id=session.pk, attendee=attendee_details())
    outbox_row = Email.objects.get(booking=booking)
    before = timezone.now()

    # Act
    run_worker()

    # Assert
    after = timezone.now()
    outbox_row.refresh_from_db()
    assert outbox_row.status == Email.Status.QUEUED
    assert outbox_row.attempts == 1
    assert "Connection refused" in outbox_row.last_error
    assert before + retry_delay(1) <= outbox_row.next_attempt_at <= after + retry_delay(1)
    assert outbox_row.next_attempt_at > after
    (retry,) = ready_delivery_runs()
    assert retry.run_after == outbox_row.next_attempt_at
    assert retry.args_kwargs["kwargs"] == {}  # a delivery run sends every email due by then


@pytest.mark.django_db
def test_book_place_smtp_server_down_still_books(stopped_smtp_server, session, attendee_details, run_worker):
    # Act
    booking = book_place(session_id=session.pk, attendee=attendee_details())
    run_worker()

    # Assert
    assert booking.is_confirmed
    assert session.bookings.filter(status="confirmed").count() == 1


@pytest.mark.django_db
def test_deliver_retry_after_server_returns_sends_once(stopped_smtp_server, session, attendee_details, run_worker):
    # Arrange: the first attempt fails and a retry is scheduled 30 seconds ahead
    booking = book_place(session_id=session.pk, attendee=attendee_details())
    run_worker()
    stopped_smtp_server.start()
    run_worker()  # the retry is not due yet: nothing happens
    assert stopped_smtp_server.envelopes == []

    # Act: the retry falls due
    Email.objects.update(next_attempt_at=timezone.now())
    ready_delivery_runs().update(run_after=timezone.now())
    run_worker()

    # Assert
    (envelope,) = stopped_smtp_server.envelopes
    assert envelope.rcpt_tos == ["alex.smith@coventry.gov.uk"]
    outbox_row = Email.objects.get(booking=booking)
    assert outbox_row.status == Email.Status.SENT
    assert outbox_row.attempts == 2
    assert outbox_row.last_error == ""
    assert ready_delivery_runs().count() == 0


@pytest.mark.django_db
def test_deliver_twice_for_the_same_email_sends_once(smtp_server, session, attendee_details, run_worker):
    # Arrange
    booking = book_place(session_id=session.pk, attendee=attendee_details())
    outbox_row = Email.objects.get(booking=booking)

    # Act
    first = deliver(email_id=outbox_row.pk)
    second = deliver(email_id=outbox_row.pk)
    run_worker()  # the task queued with the booking delivers a third time

    # Assert
    assert (first, second) == (Email.Status.SENT, Email.Status.SENT)
    assert len(smtp_server.envelopes) == 1
    outbox_row.refresh_from_db()
    assert outbox_row.attempts == 1
    assert outbox_row.sent_at is not None

"""One bad email never holds up the others: through a real SMTP server on loopback, an email
that cannot be built, or that the server refuses, fails alone and the run goes on."""

import pytest

from bookyourplace.bookings import email_content
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place
from bookyourplace.core.testing.smtp import delivered_to
from bookyourplace.notifications.delivery import deliver_due
from bookyourplace.notifications.models import Email


@pytest.fixture
def smtp_server(refusing_smtp_server):
    return refusing_smtp_server(address="nobody@nowhere.invalid", reply="550 No such user")


def book_three(session, attendee_details, *, middle_email="bea.jones@coventry.gov.uk", line_manager_email=""):
    first = book_place(session_id=session.pk, attendee=attendee_details("alex.smith@coventry.gov.uk"))
    middle = book_place(
        session_id=session.pk,
        attendee=attendee_details(middle_email, first_name="Bea", line_manager_email=line_manager_email),
    )
    last = book_place(session_id=session.pk, attendee=attendee_details("cai.evans@coventry.gov.uk", first_name="Cai"))
    return first, middle, last


@pytest.mark.django_db
def test_deliver_due_email_that_cannot_be_built_fails_alone_and_the_rest_arrive_in_the_same_run(
    smtp_server, session, attendee_details
):
    # Arrange: the middle booking's line manager copy carries the name in its subject, and the
    # name (put past the form, as old data or another path could) has a line break in it.
    first, middle, last = book_three(session, attendee_details, line_manager_email="manager@coventry.gov.uk")
    Booking.objects.filter(pk=middle.pk).update(first_name="Bea\nBcc: everyone@evil.example")
    copy = Email.objects.get(kind=EmailKind.MANAGER_COPY)
    queued = list(Email.objects.order_by("pk").values_list("to", flat=True))
    assert queued == [
        "alex.smith@coventry.gov.uk",
        "bea.jones@coventry.gov.uk",
        "manager@coventry.gov.uk",
        "cai.evans@coventry.gov.uk",
    ]

    # Act: one delivery run
    counts = deliver_due()

    # Assert: everyone else's email arrived in that run; the bad one failed for good, with a reason
    assert delivered_to(smtp_server) == [
        "alex.smith@coventry.gov.uk",
        "bea.jones@coventry.gov.uk",
        "cai.evans@coventry.gov.uk",
    ]
    assert counts["sent"] == 3 and counts["failed"] == 1
    copy.refresh_from_db()
    assert copy.status == Email.Status.FAILED
    assert "could not be built" in copy.last_error
    assert "line feed" in copy.last_error.replace("linefeed", "line feed")
    assert "may or may not have arrived" not in copy.last_error  # a certain failure, not "in doubt"
    assert set(Email.objects.exclude(pk=copy.pk).values_list("status", flat=True)) == {Email.Status.SENT}


@pytest.mark.django_db
def test_deliver_due_template_error_fails_that_email_alone(smtp_server, session, attendee_details, monkeypatch):
    # Arrange
    first, middle, last = book_three(session, attendee_details)
    real_render = email_content.render_email

    def render(email, booking):
        if booking.pk == middle.pk:
            raise UnicodeEncodeError("ascii", "Beá", 2, 3, "ordinal not in range(128)")
        return real_render(email, booking)

    monkeypatch.setattr(email_content, "render_email", render)

    # Act
    deliver_due()

    # Assert
    assert delivered_to(smtp_server) == ["alex.smith@coventry.gov.uk", "cai.evans@coventry.gov.uk"]
    failed = Email.objects.get(booking=middle)
    assert failed.status == Email.Status.FAILED
    assert "UnicodeEncodeError" in failed.last_error


@pytest.mark.django_db
def test_deliver_due_recipient_refused_fails_that_email_alone(refusing_smtp_server, session, attendee_details):
    # Arrange
    server = refusing_smtp_server(address="gone@coventry.gov.uk", reply="550 5.1.1 No such mailbox")
    first, middle, last = book_three(session, attendee_details, middle_email="gone@coventry.gov.uk")

    # Act
    counts = deliver_due()

    # Assert
    assert delivered_to(server) == ["alex.smith@coventry.gov.uk", "cai.evans@coventry.gov.uk"]
    assert counts["sent"] == 2 and counts["failed"] == 1
    refused = Email.objects.get(booking=middle)
    assert refused.status == Email.Status.FAILED
    assert "No such mailbox" in refused.last_error


@pytest.mark.django_db
def test_deliver_due_message_refused_at_data_fails_that_email_alone(refusing_smtp_server, session, attendee_details):
    # Arrange: the server takes the address, then refuses this one message's content
    server = refusing_smtp_server(address="bea.jones@coventry.gov.uk", reply="554 5.7.1 Message rejected", at="DATA")
    first, middle, last = book_three(session, attendee_details)

    # Act
    deliver_due()

    # Assert
    assert delivered_to(server) == ["alex.smith@coventry.gov.uk", "cai.evans@coventry.gov.uk"]
    refused = Email.objects.get(booking=middle)
    assert refused.status == Email.Status.FAILED
    assert "Message rejected" in refused.last_error
    assert set(Email.objects.exclude(pk=refused.pk).values_list("status", flat=True)) == {Email.Status.SENT}


@pytest.mark.django_db
def test_deliver_due_recipient_put_off_retries_that_email_alone_later(refusing_smtp_server, session, attendee_details):
    # Arrange: greylisting answers 4xx for one address: try that one again later, not the batch
    server = refusing_smtp_server(address="bea.jones@coventry.gov.uk", reply="451 4.7.1 Try again later", at="DATA")
    first, middle, last = book_three(session, attendee_details)

    # Act
    counts = deliver_due()

    # Assert
    assert delivered_to(server) == ["alex.smith@coventry.gov.uk", "cai.evans@coventry.gov.uk"]
    assert counts["deferred"] == 1
    later = Email.objects.get(booking=middle)
    assert later.status == Email.Status.QUEUED
    assert later.next_attempt_at is not None
    assert "Try again later" in later.last_error

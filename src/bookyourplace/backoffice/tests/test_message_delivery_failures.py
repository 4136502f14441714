"""A message email the mail server refuses fails alone, and the organiser sees why."""

import pytest
from django.urls import reverse

from bookyourplace.accounts.testing import staff
from bookyourplace.backoffice.tests.test_messages import compose_url, preview, send_form
from bookyourplace.bookings import services as bookings
from bookyourplace.core.testing import text_of
from bookyourplace.core.testing.smtp import delivered_to
from bookyourplace.notifications.models import Email, Message


@pytest.mark.django_db
def test_message_detail_shows_the_refused_email_failed_with_its_reason_and_the_others_sent(
    client,
    organiser,
    programme,
    session,
    attendee_details,
    refusing_smtp_server,
    run_worker,  # noqa: F811
):
    # Arrange: three attendees, their confirmations sent; the server now refuses Bea's address
    for email, name in (("alex@example.org", "Alex"), ("bea@example.org", "Bea"), ("cai@example.org", "Cai")):
        bookings.book_place(session_id=session.pk, attendee=attendee_details(email, first_name=name))
    Email.objects.update(status=Email.Status.SENT)
    server = refusing_smtp_server(address="bea@example.org", reply="550 5.1.1 Mailbox unavailable")
    client.force_login(staff(organiser, "organiser", programme, last_name=""))
    client.post(compose_url(session), send_form(preview(client, compose_url(session))))
    message = Message.objects.get()

    # Act
    run_worker()

    # Assert
    assert sorted(delivered_to(server)) == ["alex@example.org", "cai@example.org"]
    page = text_of(client.get(reverse("backoffice:message", args=[message.pk])))
    assert "2 of 3 sent" in page
    assert "1 failed" in page
    assert "Failed The mail server refused the address" in page
    assert "Mailbox unavailable" in page

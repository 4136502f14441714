"""An organiser writes to the attendees of a session or a programme from the back office."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from bookyourplace.accounts.testing import staff
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.links import manage_token, manage_url
from bookyourplace.core.testing import text_of
from bookyourplace.notifications.models import Email, Message
from bookyourplace.privacy.models import AuditEvent


@pytest.fixture
def coordinator(client, organiser, programme):
    user = staff(organiser, "organiser", programme, last_name="")
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client, organiser):
    user = staff(organiser, "viewer", email="victor@coventry.gov.uk", first_name="Victor", last_name="")
    client.force_login(user)
    return user


def compose_url(session):
    return reverse("backoffice:session_message", args=[session.pk])


def preview(client, url, subject="Reminder: {session_title}", body="Dear {first_name},\r\nManage: {manage_link}"):
    return client.post(url, {"subject": subject, "body": body, "action": "preview"})


def send_form(preview_response) -> dict:
    """The hidden fields of the preview's Send form, as the browser would post them back."""
    html = preview_response.content.decode()
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="(subject|body|idempotency_key)" value="([^"]*)"', html
        )
    }
    return {**fields, "action": "send"}


def test_the_compose_page_lists_the_placeholders(client, coordinator, session, attendees):
    page = text_of(client.get(compose_url(session)))

    assert "Message attendees" in page
    assert "3 confirmed attendees of this session" in page
    for placeholder in (
        "{name}",
        "{first_name}",
        "{session_title}",
        "{session_date}",
        "{session_time}",
        "{manage_link}",
        "{joining_details}",
    ):
        assert placeholder in page


def test_nobody_to_send_to_shows_no_form(client, coordinator, session, make_session, attendee_details):
    leaver = bookings.book_place(session_id=session.pk, attendee=attendee_details("leaver@example.org"))
    bookings.cancel_booking(booking_id=leaver.pk)

    response = client.get(compose_url(session))

    assert "There is nobody to send to" in text_of(response)
    assert b'name="body"' not in response.content
    sent = client.post(compose_url(session), {"subject": "Hi", "body": "Hi", "action": "send", "idempotency_key": "k"})
    assert sent.status_code == 200
    assert not Message.objects.exists()


def test_preview_shows_one_real_attendee_and_sends_nothing(client, coordinator, session, attendees, run_worker):
    response = preview(client, compose_url(session))

    page = text_of(response)
    assert "Alex Smith (alex@example.org)" in page
    assert f"Reminder: {session.title}" in page
    assert "Dear Alex," in page
    assert "Manage: http://testserver/booking/EXAMPLE-LINK/" in page  # never Alex's working link
    assert "Send to 3 attendees" in page
    assert len(send_form(response)["idempotency_key"]) >= 32
    assert not Message.objects.exists()
    assert not Email.objects.filter(kind=EmailKind.MESSAGE).exists()
    run_worker()
    assert mail.outbox == []


def test_preview_shows_an_example_manage_link_never_a_real_attendees_token(
    client, coordinator, session, attendees, run_worker
):
    # Arrange: each attendee's working manage token, as their emails carry it.
    tokens = [manage_token(booking) for booking in attendees]

    # Act: the link asked for in the subject and twice in the body.
    response = preview(
        client, compose_url(session), subject="Your link {manage_link}", body="{manage_link}\r\nAgain: {manage_link}"
    )

    # Assert: the page (markup, hidden fields and all) holds no attendee's token...
    html = response.content.decode()
    for token in tokens:
        assert token not in html
    page = text_of(response)
    assert "http://testserver/booking/EXAMPLE-LINK/" in page
    assert "The link to manage a booking is an example here." in page
    assert client.get("/booking/EXAMPLE-LINK/").status_code == 404  # and the example opens nothing
    # ...while the email each attendee is sent has their own working link.
    client.post(compose_url(session), send_form(response))
    run_worker()
    for booking in attendees:
        (sent,) = [m for m in mail.outbox if m.to == [booking.email]]
        assert f"Again: {manage_url(booking)}" in sent.body
        assert "EXAMPLE-LINK" not in sent.body + sent.subject


def test_preview_without_the_manage_link_says_nothing_about_an_example(client, coordinator, session, attendees):
    page = text_of(preview(client, compose_url(session), body="Dear {first_name}, see you there."))

    assert "Dear Alex, see you there." in page
    assert "is an example here" not in page


def test_an_unknown_placeholder_is_explained_to_the_organiser(client, coordinator, session, attendees):
    response = preview(client, compose_url(session), body="Dear {name.__class__},")

    page = text_of(response)
    assert "There is a problem" in page
    assert "Unknown placeholder {name.__class__}. You can use: {name}, {first_name}" in page
    assert "str" not in re.findall(r"Dear (\S+)", page)
    assert b'name="action" value="send"' not in response.content


def test_send_goes_through_the_worker_and_shows_progress(client, coordinator, session, attendees, run_worker):
    response = client.post(compose_url(session), send_form(preview(client, compose_url(session))))

    message = Message.objects.get()
    assert message.body == "Dear {first_name},\nManage: {manage_link}"
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:message", args=[message.pk])
    assert mail.outbox == []

    page = client.get(response["Location"])
    assert "0 of 3 sent" in text_of(page)
    assert b'aria-live="polite"' in page.content
    assert b'<script type="module" src="/static/js/message-progress.mjs"></script>' in page.content
    assert client.get(reverse("backoffice:message_progress", args=[message.pk])).json() == {
        "sent": 0,
        "total": 3,
        "failed": 0,
        "done": False,
        "text": "0 of 3 sent",
        "failed_text": "",
    }

    run_worker()

    page = text_of(client.get(response["Location"]))
    assert "3 of 3 sent" in page
    assert "bea@example.org" in page and "Sent" in page
    progress = client.get(reverse("backoffice:message_progress", args=[message.pk])).json()
    assert (progress["sent"], progress["total"], progress["done"], progress["text"]) == (3, 3, True, "3 of 3 sent")
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@example.org", "bea@example.org", "cai@example.org"]
    assert [m.body.split("\n")[0] for m in sorted(mail.outbox, key=lambda m: m.to)] == [
        "Dear Alex,",
        "Dear Bea,",
        "Dear Cai,",
    ]


def test_posting_the_same_send_form_twice_sends_once(client, coordinator, session, attendees, run_worker):
    form = send_form(preview(client, compose_url(session)))

    first = client.post(compose_url(session), form)
    second = client.post(compose_url(session), form)
    run_worker()

    assert first["Location"] == second["Location"]
    assert Message.objects.count() == 1
    assert Email.objects.filter(kind=EmailKind.MESSAGE).count() == 3
    assert len(mail.outbox) == 3


def test_a_second_preview_is_a_new_message(client, coordinator, session, attendees):
    client.post(compose_url(session), send_form(preview(client, compose_url(session))))
    client.post(compose_url(session), send_form(preview(client, compose_url(session), subject="Another")))

    assert Message.objects.count() == 2
    page = text_of(client.get(compose_url(session)))
    assert "Messages sent" in page
    assert "Another" in page and "Reminder: {session_title}" in page


def test_a_programme_wide_message_reaches_the_attendees_of_every_session(
    client, coordinator, programme, session, make_session, attendees, attendee_details, run_worker
):
    other = make_session(title="The COM Network")
    ed = bookings.book_place(session_id=other.pk, attendee=attendee_details("ed@example.org", first_name="Ed"))
    run_worker()
    mail.outbox.clear()
    url = reverse("backoffice:programme_message", args=[programme.pk])

    assert "4 confirmed attendees of every session" in text_of(client.get(url))
    shown = preview(client, url, subject="About {session_title}")
    assert f"booked on {session.title}" in text_of(shown)
    response = client.post(url, send_form(shown))
    run_worker()

    message = Message.objects.get()
    assert message.session is None
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@example.org", "bea@example.org", "cai@example.org", ed.email]
    assert [m.subject for m in mail.outbox if m.to == [ed.email]] == ["About The COM Network"]
    assert "4 of 4 sent" in text_of(client.get(response["Location"]))


def test_sending_is_recorded_in_the_audit_log(client, coordinator, session, attendees):
    client.post(compose_url(session), send_form(preview(client, compose_url(session), subject="Room change")))

    event = AuditEvent.objects.get(action=AuditEvent.Action.SENT_MESSAGE)
    assert event.actor == coordinator
    assert event.programme_id == session.programme_id
    assert "Room change" in event.summary


def test_a_viewer_may_not_message_attendees(client, coordinator, viewer, programme, session, attendees):
    client.force_login(coordinator)
    client.post(compose_url(session), send_form(preview(client, compose_url(session))))
    message = Message.objects.get()
    client.force_login(viewer)

    assert client.get(compose_url(session)).status_code == 403
    assert preview(client, compose_url(session)).status_code == 403
    assert client.get(reverse("backoffice:programme_message", args=[programme.pk])).status_code == 403
    assert client.get(reverse("backoffice:message", args=[message.pk])).status_code == 403
    assert client.get(reverse("backoffice:message_progress", args=[message.pk])).status_code == 403
    assert "Message attendees" not in text_of(client.get(reverse("backoffice:session", args=[session.pk])))
    assert "Message attendees" not in text_of(client.get(reverse("backoffice:programme", args=[programme.pk])))
    assert Message.objects.count() == 1


def test_an_organiser_of_another_programme_cannot_see_the_message(client, organiser, coordinator, session, attendees):
    client.post(compose_url(session), send_form(preview(client, compose_url(session))))
    message = Message.objects.get()
    client.force_login(staff(organiser, "organiser", email="olu@coventry.gov.uk", first_name="Olu", last_name=""))

    assert client.get(compose_url(session)).status_code == 404
    assert client.get(reverse("backoffice:message", args=[message.pk])).status_code == 404
    assert client.get(reverse("backoffice:message_progress", args=[message.pk])).status_code == 404


def test_editors_find_the_link_on_the_session_and_programme_pages(client, coordinator, programme, session):
    assert compose_url(session) in client.get(reverse("backoffice:session", args=[session.pk])).content.decode()
    programme_page = client.get(reverse("backoffice:programme", args=[programme.pk])).content.decode()
    assert reverse("backoffice:programme_message", args=[programme.pk]) in programme_page


def test_the_recipient_list_is_paginated_at_100(client, coordinator, session, attendees):
    client.post(compose_url(session), send_form(preview(client, compose_url(session))))
    message = Message.objects.get()
    booking = attendees[0]
    Email.objects.bulk_create(
        [Email(about=booking, kind=EmailKind.MESSAGE, to=f"copy{n}@example.org", message=message) for n in range(100)]
    )

    first = text_of(client.get(reverse("backoffice:message", args=[message.pk])))
    second = text_of(client.get(reverse("backoffice:message", args=[message.pk]) + "?page=2"))

    assert "0 of 103 sent" in first
    assert "bea@example.org" in first and "copy96@example.org" in first and "copy97@example.org" not in first
    assert "copy97@example.org" in second and "copy99@example.org" in second and "bea@example.org" not in second

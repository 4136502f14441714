"""The "Email sending" page: SMTP or GOV.UK Notify, the API key never shown back, the
template ids checked with GOV.UK error messages, and a test email sent the organisation's way."""

import re

import pytest
from django.urls import reverse

from bookyourplace.accounts.testing import staff
from bookyourplace.backoffice.tests.test_messages import compose_url, preview, send_form
from bookyourplace.bookings import services as bookings
from bookyourplace.core.testing import text_of
from bookyourplace.notifications.delivery import deliver_due
from bookyourplace.notifications.models import Email, Message, NotifySettings
from bookyourplace.notifications.testing import notify_settings
from bookyourplace.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("backoffice:email_sending")
TEST_URL = reverse("backoffice:email_sending_test")


def _summary(response) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', response.content.decode())


def _notify_form(fake, **overrides) -> dict:
    return {"sending": "notify", "api_key": fake.api_key, "default_template_id": fake.new_template(), **overrides}


def test_the_settings_page_links_to_email_sending(client, admin):
    assert URL in client.get(reverse("backoffice:organisation_settings")).content.decode()


def test_notify_is_saved_and_the_key_is_never_shown_back(client, admin, organiser, fake_notify):
    data = _notify_form(fake_notify, template_reminder=fake_notify.new_template().upper())
    response = client.post(URL, data, follow=True)

    assert "Saved how Coventry Prevent Partnership sends email." in text_of(response)
    saved = NotifySettings.objects.get(organiser=organiser)
    assert (saved.sending, saved.api_key) == ("notify", fake_notify.api_key)
    assert saved.template_ids == {"reminder": data["template_reminder"].lower()}
    html = client.get(URL).content.decode()
    assert fake_notify.secret not in html and fake_notify.service_id not in html
    assert "A key is saved. It is never shown again" in text_of(client.get(URL))
    assert AuditEvent.objects.filter(action="email_sending_changed").exists()


def test_saving_again_without_a_key_keeps_the_saved_one(client, admin, organiser, fake_notify):
    client.post(URL, _notify_form(fake_notify))
    client.post(URL, _notify_form(fake_notify, api_key=""))

    assert NotifySettings.objects.get(organiser=organiser).api_key == fake_notify.api_key


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"sending": "notify"}, [("id_api_key", "Enter the GOV.UK Notify API key")]),
        (
            {"sending": "notify", "api_key": "not-a-key"},
            [("id_api_key", "Enter the whole API key as GOV.UK Notify showed it, with its name, like mykey-0000…")],
        ),
        ({}, [("id_sending_0", "Select how emails to attendees go")]),
    ],
)
def test_wrong_settings_are_explained_the_govuk_way(client, admin, data, expected):
    response = client.post(URL, data)

    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    assert _summary(response) == expected
    assert not NotifySettings.objects.exists()


def test_a_template_id_that_is_not_one_is_explained_on_its_field(client, admin, fake_notify):
    response = client.post(URL, _notify_form(fake_notify, sms_template_id="text-template"))

    assert [anchor for anchor, _message in _summary(response)] == ["id_sms_template_id"]
    assert 'id="id_sms_template_id-error"' in response.content.decode()


def test_notify_without_a_default_template_is_refused(client, admin, fake_notify):
    response = client.post(URL, _notify_form(fake_notify, default_template_id=""))

    assert _summary(response) == [("id_default_template_id", "Enter the ID of the template for every email")]


def test_a_test_email_is_queued_and_sent_by_notify_and_its_outcome_shown(client, admin, organiser, fake_notify):
    client.post(URL, _notify_form(fake_notify))

    response = client.post(TEST_URL, {"test_to": "hana.ali@coventry.gov.uk"}, follow=True)
    assert "A test email to hana.ali@coventry.gov.uk is on its way." in text_of(response)
    assert "Waiting to be sent" in text_of(response)

    deliver_due()

    (request,) = fake_notify.accepted("email")
    assert request.body["email_address"] == "hana.ali@coventry.gov.uk"
    assert "Sent" in text_of(client.get(URL))


def test_a_test_email_notify_refuses_shows_why(client, admin, organiser, fake_notify):
    client.post(URL, _notify_form(fake_notify))
    fake_notify.fail_next(400)
    client.post(TEST_URL, {"test_to": "hana.ali@coventry.gov.uk"})
    deliver_due()

    page = text_of(client.get(URL))
    assert "Failed" in page
    assert "GOV.UK Notify refused this message: GOV.UK Notify answered 400" in page


def test_a_test_email_needs_an_address(client, admin, fake_notify):
    client.post(URL, _notify_form(fake_notify))

    response = client.post(TEST_URL, {"test_to": ""})

    assert _summary(response) == [("id_test_to", "Enter the email address to send the test to")]


def test_a_message_notify_refuses_shows_failed_with_notifys_reason_on_the_message_page(
    client, organiser, programme, session, attendee_details, fake_notify, run_worker
):
    for email, name in (("alex@example.org", "Alex"), ("bea@example.org", "Bea")):
        bookings.book_place(session_id=session.pk, attendee=attendee_details(email, first_name=name))
    Email.objects.update(status=Email.Status.SENT)
    notify_settings(organiser, fake_notify)
    client.force_login(staff(organiser, "organiser", programme, last_name=""))
    client.post(compose_url(session), send_form(preview(client, compose_url(session))))
    fake_notify.fail_next(400)

    run_worker()

    page = text_of(client.get(reverse("backoffice:message", args=[Message.objects.get().pk])))
    assert "1 of 2 sent" in page
    assert "Failed GOV.UK Notify refused this message: GOV.UK Notify answered 400" in page
    assert len(fake_notify.accepted("email")) == 1

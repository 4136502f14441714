"""The booking form's text reminder: offered only when the organisation sends texts by
GOV.UK Notify; the mobile number checked (UK mobiles), written +44 and kept with the booking."""

import re

import pytest

from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import NotifySettings
from bookyourplace.notifications.sending_settings import save_sending
from bookyourplace.notifications.testing import notify_settings
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.public.tests.pages import book_url

pytestmark = pytest.mark.django_db


def _offer_texts(session, fake_notify):
    """As the "Email sending" page does: through the rule, which makes the cached pages stale."""
    save_sending(
        organiser=session.programme.organiser,
        sending=NotifySettings.Sending.NOTIFY,
        api_key=fake_notify.api_key,
        default_template_id=fake_notify.new_template(),
        sms_template_id=fake_notify.new_template(),
        actor=SYSTEM,
    )


def test_the_form_offers_no_text_reminder_by_smtp_or_without_a_text_template(client, session, fake_notify):
    assert "Text me a reminder" not in text_of(client.get(book_url(session)))
    notify_settings(session.programme.organiser, fake_notify, sms_template_id="")
    assert "Text me a reminder" not in text_of(client.get(book_url(session)))


def test_the_form_offers_a_text_reminder_once_the_organisation_sends_texts(client, session, fake_notify):
    client.get(book_url(session))  # the page without it, kept in the cache
    _offer_texts(session, fake_notify)

    page = text_of(client.get(book_url(session)))

    assert "Mobile number (optional)" in page
    assert "Text me a reminder the day before" in page


def test_a_booking_keeps_the_mobile_number_written_plus_44(client, session, fake_notify):
    _offer_texts(session, fake_notify)

    client.post(book_url(session), booking_form_data(mobile_number="07700 900 982", text_reminder="on"))

    booking = Booking.objects.get()
    assert (booking.mobile_number, booking.text_reminder_wanted) == ("+447700900982", True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mobile_number": "024 7683 1234", "text_reminder": "on"}, "Enter a UK mobile number, like 07700 900 982"),
        ({"mobile_number": "07700 900 982 1"}, "Enter a UK mobile number, like 07700 900 982"),
        ({"text_reminder": "on"}, "Enter your mobile number to get a text reminder"),
    ],
)
def test_a_wrong_or_missing_mobile_number_is_explained(client, session, fake_notify, data, message):
    _offer_texts(session, fake_notify)

    html = client.post(book_url(session), booking_form_data(**data)).content.decode()

    summary = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert len(summary) == 1
    assert summary[0][0] == "id_mobile_number"
    assert summary[0][1].startswith(message)
    assert Booking.objects.count() == 0

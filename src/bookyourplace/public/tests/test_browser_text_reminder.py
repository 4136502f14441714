"""The text reminder on the booking form, in a real Chromium with the keyboard alone: asked
for without a number (explained, checked with axe-core on a phone and a desktop), then with
one, and the booking keeps it written +44."""

import pytest

from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    fill_in_booking_form,
    submit_booking_form,
    tab_to,
    type_into,
)
from bookyourplace.notifications.testing import notify_settings
from bookyourplace.programmes.page_version import programme_changed

pytestmark = pytest.mark.browser


def check_both_sizes(page) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_no_axe_violations(page)


def test_an_attendee_asks_for_a_text_reminder_by_keyboard(page, live_server, session, fake_notify):
    notify_settings(session.programme.organiser, fake_notify)
    programme_changed(session.programme_id)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + session.get_absolute_url() + "book/")
    check_both_sizes(page)

    fill_in_booking_form(page)
    tab_to(page, "id_text_reminder")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    submit_booking_form(page)
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter your mobile number to get a text reminder" in page.locator(".govuk-error-summary").inner_text()
    check_both_sizes(page)

    # The summary's link takes the focus to the field; the tick is kept.
    tab_to(page, "Enter your mobile number to get a text reminder")
    page.keyboard.press("Enter")
    type_into(page, "id_mobile_number", "07700 900 982")
    assert page.evaluate("document.getElementById('id_text_reminder').checked")
    tab_to(page, "id_consent")
    if not page.evaluate("document.activeElement.checked"):
        page.keyboard.press("Space")
    submit_booking_form(page)
    page.wait_for_url("**/book/confirmed/")

    booking = Booking.objects.get()
    assert (booking.mobile_number, booking.text_reminder_wanted) == ("+447700900982", True)

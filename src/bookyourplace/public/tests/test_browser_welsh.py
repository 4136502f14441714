"""Booking in Welsh, in a real Chromium with the keyboard alone: the switch in the header,
the booking form (its errors too), "check your email", the Welsh confirmation email and the
manage page, every page checked with axe-core on a phone and on a desktop."""

import pytest
from django.core import mail

from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing.browser import (
    choose_radio,
    press_enter_and_wait_for,
    tab_to,
    type_into,
    wait_for_focus,
)
from bookyourplace.public.tests.test_browser_public_flows import ALEX, MANAGE_LINK, MANAGE_PAGE, check_both_sizes

pytestmark = pytest.mark.browser


def lang_of(page) -> str:
    return page.evaluate("document.documentElement.lang")


def test_switch_to_welsh_and_book_by_keyboard(transactional_db, live_server, page, programme, session, run_worker):
    page.goto(live_server.url + programme.get_absolute_url())
    assert lang_of(page) == "en-gb"

    # The switch, in the header, keeps the page.
    switch = tab_to(page, "Cymraeg")
    assert switch["tag"] == "a"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + programme.get_absolute_url()
    assert lang_of(page) == "cy"
    assert page.locator("[aria-current=true]").inner_text() == "Cymraeg"
    check_both_sizes(page)

    tab_to(page, session.title)
    press_enter_and_wait_for(page, f"**{session.get_absolute_url()}")
    check_both_sizes(page)
    tab_to(page, "Archebwch eich lle")
    press_enter_and_wait_for(page, "**/book/")
    assert lang_of(page) == "cy"
    check_both_sizes(page)

    # Sent empty: a Welsh error summary takes the focus.
    tab_to(page, lambda e: e["tag"] == "button" and "Archebu fy lle" in e["name"])
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    wait_for_focus(page, ".govuk-error-summary")
    assert "Mae problem" in page.locator(".govuk-error-summary").inner_text()
    assert "Rhowch eich enw cyntaf" in page.locator(".govuk-error-summary").inner_text()
    check_both_sizes(page)

    type_into(page, "id_first_name", "Alex")
    type_into(page, "id_last_name", "Smith")
    type_into(page, "id_email", ALEX)
    type_into(page, "id_organisation", "Coventry City Council")
    choose_radio(page, "id_sector", "Gwasanaethau plant yr awdurdod lleol")
    type_into(page, "id_job_title", "Social worker")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["tag"] == "button" and "Archebu fy lle" in e["name"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/book/confirmed/")
    assert page.locator("h1").inner_text() == "Gwiriwch eich e-bost"
    check_both_sizes(page)

    # The confirmation comes in Welsh, and its link opens the manage page in Welsh.
    run_worker()
    (confirmation,) = [m for m in mail.outbox if m.to == [ALEX]]
    assert confirmation.subject == f"Archeb wedi’i chadarnhau: {session.title}"
    assert "Mae eich lle wedi’i archebu." in confirmation.body
    assert Booking.objects.get(email=ALEX).language == "cy"
    page.goto(live_server.url + MANAGE_LINK.search(confirmation.body).group(1))
    assert lang_of(page) == "cy"
    check_both_sizes(page)

    tab_to(page, "Canslo fy archeb")
    press_enter_and_wait_for(page, "**/cancel/")
    check_both_sizes(page)
    tab_to(page, "Ydw, canslo fy archeb")
    press_enter_and_wait_for(page, MANAGE_PAGE)
    assert "Mae eich archeb wedi’i chanslo" in page.locator(".govuk-notification-banner").inner_text()
    check_both_sizes(page)

    # And back to English, on the same page.
    tab_to(page, "English")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert lang_of(page) == "en-gb"
    assert MANAGE_PAGE.search(page.url)

""" "See all my bookings" in a real Chromium with the keyboard only, checked with axe-core on a
phone and on a desktop: ask for a link, open it, continue, see the bookings, act on one, sign
out; and the page for a link that has been used."""

import re

import pytest
from django.core import mail

from bookyourplace.bookings.testing import book
from bookyourplace.core.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, tab_to, type_into

pytestmark = pytest.mark.browser

ALEX = "alex@coventry.gov.uk"
LINK = re.compile(r"https?://[^/\s]+(/my-bookings/sign-in/[A-Za-z0-9_-]{32}/)")


def check_both_sizes(page) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)


def press_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_attendee_sees_all_their_bookings_by_keyboard(transactional_db, live_server, page, session, run_worker):
    book(session, ALEX, first_name="Alex")
    run_worker()
    mail.outbox.clear()

    page.goto(live_server.url + "/")
    tab_to(page, "See all my bookings")  # the footer's link
    press_enter(page)
    assert page.locator("h1").inner_text() == "See all your bookings"
    check_both_sizes(page)

    # A mistake first: the error summary and the field's message.
    type_into(page, "id_email", "not an address")
    tab_to(page, "Send me a link")
    press_enter(page)
    assert "Enter an email address in the correct format" in page.locator(".govuk-error-summary").inner_text()
    check_both_sizes(page)

    page.locator("#id_email").fill("")
    type_into(page, "id_email", ALEX)
    tab_to(page, "Send me a link")
    press_enter(page)
    assert page.locator("h1").inner_text() == "Check your email"
    check_both_sizes(page)

    run_worker()
    path = LINK.search(mail.outbox[-1].body).group(1)
    page.goto(live_server.url + path)
    assert page.locator("h1").inner_text() == "Sign in to see all your bookings"
    check_both_sizes(page)
    tab_to(page, "Continue")
    press_enter(page)

    assert page.locator("h1").inner_text() == "All your bookings"
    assert "Self-Initiated Terrorism" in page.locator("main").inner_text()
    assert "Coventry Prevent Partnership" in page.locator("main").inner_text()
    check_both_sizes(page)

    tab_to(page, lambda el: el["name"].startswith("View"))
    press_enter(page)
    assert page.locator("h1").inner_text() == "Self-Initiated Terrorism"  # the manage page
    page.go_back()

    tab_to(page, "Sign out")
    press_enter(page)
    assert "You have signed out." in page.locator("main").inner_text()

    # The link was used: opening it again says so, and offers a new one.
    page.goto(live_server.url + path)
    assert page.locator("h1").inner_text() == "This link has run out or has been used"
    check_both_sizes(page)
    tab_to(page, "id_email")
    tab_to(page, "Send me a link")

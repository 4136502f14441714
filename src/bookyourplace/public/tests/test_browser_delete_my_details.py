""" "Delete my details" in a real Chromium, from the manage page, with the keyboard only,
checked with axe-core on a phone and on a desktop."""

import pytest

from bookyourplace.bookings.testing import book
from bookyourplace.core.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, tab_to
from bookyourplace.privacy.models import ErasureRequest
from bookyourplace.public.tests.pages import manage_url_for

pytestmark = pytest.mark.browser


def check_both_sizes(page) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)


def test_an_attendee_asks_for_their_details_to_be_deleted_by_keyboard(transactional_db, live_server, page, session):
    alex = book(session, "alex@coventry.gov.uk", first_name="Alex")
    page.goto(live_server.url + manage_url_for(alex))

    tab_to(page, "Delete my details")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Ask for your details to be deleted"
    check_both_sizes(page)

    tab_to(page, "Ask for my details to be deleted")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "They will reply within one month." in page.locator(".govuk-notification-banner").inner_text()
    assert "You asked on" in page.locator("main").inner_text()
    check_both_sizes(page)
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.OPEN

"""The API documentation page in a real Chromium: no WCAG 2.2 AA problem found by axe-core, on a
phone and on a desktop, and usable with the keyboard alone."""

import pytest

from bookyourplace.core.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, focused_element, tab_to

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_documentation_has_no_axe_violations(page, viewport, live_server):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/api/docs")
    assert page.locator("h1").inner_text() == "Book Your Place API"
    assert_no_axe_violations(page)


def test_the_documentation_is_read_with_the_keyboard(page, live_server):
    page.goto(live_server.url + "/api/docs")
    tab_to(page, "Book a place")
    page.keyboard.press("Enter")
    page.wait_for_url("**/api/docs#create_booking")
    assert page.locator("#create_booking").is_visible()
    # The curl example scrolls sideways on a phone: it takes the focus, so the arrows scroll it.
    example = tab_to(page, lambda element: element["tag"] == "pre" and "sessions/12/bookings" in element["name"])
    assert "curl -X POST" in example["name"]
    assert page.evaluate("() => document.activeElement.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    assert focused_element(page)["tag"] == "pre"

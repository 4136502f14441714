"""The programme's "Share and embed" page in a real browser, by keyboard: reached from the
programme, each box reached with Tab and its whole content selected to copy, the embed's
preview opened; axe-core on a phone and a desktop."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import follow, link, sign_in
from bookyourplace.core.testing.browser import press_enter_for_new_tab, tab_to
from bookyourplace.programmes.models import Programme

pytestmark = pytest.mark.browser

VIEWER_EMAIL = "vic.reed@coventry.gov.uk"

_SELECTED = (
    "() => { const box = document.activeElement; return box.value.substring(box.selectionStart, box.selectionEnd); }"
)


def select_all_in(page, label: str) -> str:
    """Tab to the box with this label, select everything in it as a person copying it would,
    and return what is selected."""
    tab_to(page, lambda element: element["tag"] == "textarea" and element["name"] == label)
    page.keyboard.press("Control+A")
    return page.evaluate(_SELECTED)


def test_a_viewer_copies_the_feed_and_the_iframe_code_by_keyboard(
    page, live_server, settings, transactional_db, organiser, programme, make_session
):
    settings.SITE_URL = live_server.url
    site = live_server.url
    make_session(title="Online Harms")
    make_person(organiser, Role.VIEWER, email=VIEWER_EMAIL)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, VIEWER_EMAIL)
    sweep = AxeSweep()

    page.goto(f"{live_server.url}/backoffice/programmes/{programme.pk}/")
    follow(page, link("Share and embed the programme"), "**/share/")
    sweep.check(page, "Share and embed")

    feed = select_all_in(page, "Web address of the calendar feed")
    code = select_all_in(page, "Code to paste into your web page")
    assert feed == f"{site}/programmes/coventry-prevent-week/calendar.ics"
    assert code.startswith(f'<iframe src="{site}/programmes/coventry-prevent-week/embed/"')
    assert 'title="Coventry Prevent Week: sessions and booking"' in code
    # Read-only: typing changes nothing.
    page.keyboard.type("x")
    assert select_all_in(page, "Web address of the HTML snippet").endswith("/embed.html")
    assert page.evaluate("document.getElementById('iframe-code').value") == code

    # The preview opens in a new tab: the embed as a website will show it.
    tab_to(page, lambda element: element["tag"] == "a" and element["name"].startswith("See what the embed looks like"))
    preview = press_enter_for_new_tab(page)
    assert preview.url == f"{site}/programmes/coventry-prevent-week/embed/"
    assert "Online Harms" in preview.locator("main").inner_text()

    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.DRAFT)
    page.reload()
    sweep.check(page, "Share and embed, draft")
    sweep.assert_clean()

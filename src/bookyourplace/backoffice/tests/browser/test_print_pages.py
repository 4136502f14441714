"""Print the programme in a real browser, by keyboard: from the programme page to the plain
text for emails (select it all in its box, which cannot be typed over, and download it),
then the public programme page's download of the PDF; axe-core on each page."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import follow, link, sign_in
from bookyourplace.core.testing.browser import focused_element, tab_to

pytestmark = pytest.mark.browser

EMAIL = "sam.jones@coventry.gov.uk"

_SELECTION = (
    "(() => { const box = document.activeElement; return [box.selectionStart, box.selectionEnd, box.value]; })()"
)


def test_an_organiser_copies_the_plain_text_and_a_visitor_downloads_the_pdf_by_keyboard(
    page, live_server, transactional_db, organiser, programme, make_session
):
    make_person(organiser, Role.ORGANISER, email=EMAIL, programmes=(programme,))
    make_session(title="School Massacre Phenomenon")
    make_session(title="The COM Network")
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, EMAIL)
    sweep = AxeSweep(live_server.url)

    sweep.visit(page, f"/backoffice/programmes/{programme.pk}/", "Programme, with Print the programme")
    follow(page, link("Plain text for emails"), "**/print/plain-text/")
    sweep.check(page, "Plain text for emails")

    # Into the box, select everything as the hint says; typing changes nothing.
    box = tab_to(page, "programme-text")
    assert box["tag"] == "textarea"
    page.keyboard.press("Control+A")
    start, end, text = page.evaluate(_SELECTION)
    assert (start, end) == (0, len(text))
    assert text.startswith("Coventry Prevent Week\n")
    assert "School Massacre Phenomenon" in text and "The COM Network" in text
    page.keyboard.type("x")
    assert page.evaluate(_SELECTION)[2] == text

    tab_to(page, link("Download the text (TXT)"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "coventry-prevent-week.txt"
    assert Path(download.value.path()).read_text() == text

    # The public page: its download link says what the file is, and gives the PDF.
    sweep.visit(page, programme.get_absolute_url(), "Public programme, with its downloads")
    found = tab_to(page, link("Download the programme (PDF, A4)"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "coventry-prevent-week.pdf"
    pdf_text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "School Massacre Phenomenon" in pdf_text and "The COM Network" in pdf_text
    assert focused_element(page)["name"] == found["name"]  # still on the page, on the link

    sweep.assert_clean()

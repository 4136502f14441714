"""The personal data pages in Chromium, through axe-core on a desktop and on a phone, with the
forms' errors showing; and an administrator who looks someone up, downloads what is held and
erases it with the keyboard only."""

import json

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import banner_text, button, errors_showing, sign_in, submit
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing.browser import DESKTOP, tab_to
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.privacy.subject_access import ask_for_erasure

pytestmark = pytest.mark.browser

ALEX = "alex.a.very-long-address-indeed.smith@children-and-families.coventry.gov.uk"


@pytest.fixture
def administrator(transactional_db, page, live_server, organiser, session):
    """An administrator signed in; Alex attended and answered; Bea asked to be deleted."""
    make_person(organiser, Role.ADMINISTRATOR, email="hana@coventry.gov.uk", first_name="Hana", last_name="Ali")
    alex = book(session, ALEX, first_name="Alex", last_name="Smith", access_needs="Step-free access")
    bea = book(session, "bea@coventry.gov.uk", first_name="Bea", last_name="Jones")
    end_session(session)
    mark(alex)
    answer(Booking.objects.get(pk=alex.pk), useful="The case studies.")
    ask_for_erasure(email=bea.email, organiser_id=organiser.pk, programme_id=session.programme_id, actor=SYSTEM)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, "hana@coventry.gov.uk")
    return page, AxeSweep(live_server.url)


def _look_up(page, email: str) -> None:
    tab_to(page, "id_email")
    page.keyboard.press("Control+A")
    page.keyboard.type(email)
    submit(page, button("Look up"))


def test_personal_data_pages_have_no_axe_violations(administrator):
    page, sweep = administrator

    sweep.visit(page, "/backoffice/privacy/people/", "Personal data, with a request waiting")
    submit(page, button("Look up"))
    errors_showing(page)
    sweep.check(page, "Personal data, with errors")
    _look_up(page, ALEX)
    sweep.check(page, "What is held about a person")
    submit(page, button("Erase this person's details"))
    sweep.check(page, "Erase this person's details?")
    submit(page, button("Yes, erase their details"))
    errors_showing(page)
    sweep.check(page, "Erase this person's details?, with errors")
    page.goto(sweep.site + "/backoffice/privacy/people/")
    _look_up(page, ALEX)
    submit(page, button("Keep, with a reason"))
    sweep.check(page, "Keep this person's details")
    submit(page, button("Keep their details"))
    errors_showing(page)
    sweep.check(page, "Keep this person's details, with errors")

    sweep.assert_clean()


def test_an_administrator_answers_a_request_by_keyboard(administrator):
    page, sweep = administrator
    page.goto(sweep.site + "/backoffice/privacy/people/")
    assert "Personal data (1 request)" in page.locator("#navigation").inner_text()

    _look_up(page, ALEX.upper())
    tab_to(page, button("Download as JSON"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    document = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert {kind["kind"] for kind in document["kinds"]} >= {"Booking", "Attendance", "Feedback"}

    submit(page, button("Erase this person's details"))
    tab_to(page, "id_reason")
    page.keyboard.type("They asked; nothing to keep.")
    submit(page, button("Yes, erase their details"))

    assert "Their details are erased" in banner_text(page)
    assert not Booking.objects.filter(email=ALEX).exists()
    sweep.check(page, "Personal data, after an erasure")
    sweep.assert_clean()

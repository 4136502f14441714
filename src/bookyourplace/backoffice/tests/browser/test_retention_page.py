"""The retention page in a real browser, by keyboard: the dry run, then "Anonymise what is
due now"; axe-core on each."""

from datetime import timedelta

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import banner_text, button, sign_in, submit
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.privacy.models import RetentionRun

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "hana.ali@coventry.gov.uk"


def test_an_administrator_reads_the_dry_run_and_runs_it_now(page, live_server, transactional_db, organiser, session):
    make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL)
    book(session, "alex@example.org", access_needs="A hearing loop")
    end_session(session, ago=timedelta(days=40))
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ADMIN_EMAIL)
    sweep = AxeSweep()

    page.goto(f"{live_server.url}/backoffice/privacy/retention/")
    assert "Access needs removed" in page.locator("main").inner_text()
    page.get_by_text("By programme").first.click()
    sweep.check(page, "Retention, the dry run")

    submit(page, button("Anonymise what is due now"))

    assert "The retention run has started" in banner_text(page)
    assert "Waiting for the worker to start it" in page.locator("main").inner_text()
    assert RetentionRun.objects.count() == 1
    sweep.check(page, "Retention, a run asked for")
    sweep.assert_clean()

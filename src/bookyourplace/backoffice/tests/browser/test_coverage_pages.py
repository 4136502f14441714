"""Coverage in a real browser: an organiser imports the schools list by keyboard (its error,
the upload's progress, the preview, saving), then filters to the schools with nobody trained;
axe-core on every page met."""

import datetime as dt

import pytest
from django.conf import settings

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import banner_text, button, errors_showing, sign_in, submit
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing.browser import tab_to
from bookyourplace.feedback.testing import mark
from bookyourplace.reports.models import AreaOrganisation

pytestmark = pytest.mark.browser

ORGANISER_EMAIL = "priya.shah@coventry.gov.uk"
SCHOOLS = settings.BASE_DIR / "demo" / "coventry-schools-sample.csv"

WATCH_PROGRESS = """() => {
  window.heard = [];
  const status = document.querySelector('[data-upload-status]');
  new MutationObserver(() => window.heard.push(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
def organiser_at_import(page, live_server, transactional_db, organiser, programme, make_session):
    make_person(organiser, Role.ORGANISER, email=ORGANISER_EMAIL, programmes=(programme,))
    session = end_session(make_session(capacity=30), ago=dt.timedelta(days=30))
    # Two from Radford Fields (by its website's domain), one from Holbrooks Lane (by name).
    week_before = session.starts_at - dt.timedelta(days=7)
    mark(book(session, "ann@radfordfields.coventry.sch.uk", organisation="Radford Fields", now=week_before))
    mark(book(session, "raj@radfordfields.coventry.sch.uk", organisation="Radford Fields", now=week_before))
    mark(book(session, "lou@gmail.com", organisation="Holbrooks Lane Primary School", now=week_before))
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ORGANISER_EMAIL)
    page.goto(f"{live_server.url}/backoffice/coverage/")
    return page


def test_an_organiser_imports_the_schools_and_sees_which_had_nobody_trained(organiser_at_import, live_server):
    page = organiser_at_import
    sweep = AxeSweep()
    sweep.check(page, "Coverage, nothing imported yet")

    tab_to(page, lambda element: element["tag"] == "a" and element["name"] == "Import a list of organisations")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    sweep.check(page, "Import a list of organisations")

    submit(page, button("Upload and preview"))
    errors_showing(page)
    assert page.locator(".govuk-error-summary").inner_text().endswith("Choose the file to import")
    sweep.check(page, "Import a list of organisations, with errors")

    page.set_input_files("#id_file", str(SCHOOLS))
    page.evaluate(WATCH_PROGRESS)
    tab_to(page, button("Upload and preview"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Check the list before saving").wait_for()

    heard = page.evaluate("window.heard")
    assert heard[0] == "Uploading: 0%" and "Reading the list…" in heard
    assert page.locator("[data-count=new]").inner_text() == "38"
    assert page.locator("[data-count=closed]").inner_text() == "2"
    sweep.check(page, "Check the list before saving")

    submit(page, button("Save the organisations"))

    assert page.url == f"{live_server.url}/backoffice/coverage/"
    assert "Saved: 38 new" in banner_text(page)
    assert AreaOrganisation.objects.count() == 38
    assert "33 of 35 schools had nobody trained" in page.locator("main").inner_text()
    sweep.check(page, "Coverage, with the schools")

    page.check("#id_nobody_trained")
    page.select_option("#id_kind", "school")
    submit(page, button("Filter"))

    rows = page.get_by_role("region", name="Organisations of the area").locator("tbody th").all_inner_texts()
    assert len(rows) == 33
    assert not any(row.startswith(("Radford Fields Academy", "Holbrooks Lane Primary School")) for row in rows)
    sweep.check(page, "Coverage, only the schools with nobody trained")
    sweep.assert_clean()

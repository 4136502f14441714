"""Importing a Teams attendance report in a real browser: the upload form (with its errors),
the upload's progress shown while it goes, the preview, and saving by keyboard; axe-core on
every page met."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.attendance.models import Attendance
from bookyourplace.attendance.testing import book_people, write_demo_report
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import banner_text, button, errors_showing, sign_in, submit
from bookyourplace.core.testing.browser import tab_to

pytestmark = pytest.mark.browser

ORGANISER_EMAIL = "priya.shah@coventry.gov.uk"

# Every word the progress area says, kept on the window (which outlives the page the answer
# replaces), to show the upload went by XMLHttpRequest and said how it was doing.
WATCH_PROGRESS = """() => {
  window.heard = [];
  const status = document.querySelector('[data-upload-status]');
  new MutationObserver(() => window.heard.push(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
def organiser_at_upload(page, live_server, transactional_db, organiser, programme, session, tmp_path):
    make_person(organiser, Role.ORGANISER, email=ORGANISER_EMAIL, programmes=(programme,))
    book_people(session, [("Alex", "Smith"), ("Bea", "Jones"), ("Cai", "Evans"), ("Dee", "Evans")])
    report = tmp_path / "AttendanceReport.csv"
    report.write_bytes(write_demo_report(session))
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ORGANISER_EMAIL)
    page.goto(f"{live_server.url}/backoffice/sessions/{session.pk}/teams-report/")
    return page, report


def test_an_organiser_uploads_sees_the_preview_and_saves_by_keyboard(organiser_at_upload, session):
    page, report = organiser_at_upload
    sweep = AxeSweep()
    sweep.check(page, "Import the Teams attendance report")

    submit(page, button("Upload and preview"))
    errors_showing(page)
    assert page.locator(".govuk-error-summary").inner_text().endswith("Choose the attendance report file")
    sweep.check(page, "Import the Teams attendance report, with errors")

    page.set_input_files("#id_report", str(report))
    page.evaluate(WATCH_PROGRESS)
    tab_to(page, button("Upload and preview"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Check the attendance before saving").wait_for()

    heard = page.evaluate("window.heard")
    assert heard[0] == "Uploading: 0%" and "Reading the report…" in heard
    assert page.get_by_role("heading", name="Attended: 2 people").is_visible()
    assert page.get_by_role("heading", name="Booked but not in the report: 1 person").is_visible()
    sweep.check(page, "Check the attendance before saving")

    submit(page, button("Save attendance"))

    assert page.url.endswith(f"/backoffice/sessions/{session.pk}/attendance/")
    assert "2 attended, 1 below the threshold" in banner_text(page)
    assert Attendance.objects.filter(session=session).count() == 3
    sweep.check(page, "Attendance, after the import")
    sweep.assert_clean()

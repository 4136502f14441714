"""The report pages through axe-core, on a desktop and on a phone (the reports, filtered and with
a form error, a programme's report and the Prevent evaluation summary); and the filter and a
chart's "Show data" used with the keyboard alone."""

from datetime import date

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.attendance.models import Outcome
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import button, errors_showing, sign_in, submit, type_date
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing.browser import DESKTOP, focused_element, tab_to
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import answer, mark

pytestmark = pytest.mark.browser


@pytest.fixture
def organiser_tab(transactional_db, page, live_server, organiser, programme, make_session):
    """An organiser of the programme, signed in; a past session where eight came from a school
    and a hospital, six answered the survey."""
    make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk", programmes=(programme,))
    session = make_session(title="Understanding Prevent")
    people = [
        book(
            session,
            f"p{n}@example.org",
            sector="schools" if n < 5 else "health",
            organisation="Whitley Academy" if n < 5 else "UHCW NHS Trust",
            access_needs="Step-free access" if n == 7 else "",
        )
        for n in range(8)
    ]
    end_session(session)
    for n, booking in enumerate(people):
        mark(booking, Outcome.NO_SHOW if n == 6 else Outcome.ATTENDED)
    queue_feedback_requests()
    for n, booking in enumerate(people[:6]):
        answer(Booking.objects.get(pk=booking.pk), satisfaction=3 + n % 3, before=2, after=4, useful="Too short")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, "sam@coventry.gov.uk")
    return page, AxeSweep(live_server.url)


def test_report_pages_have_no_axe_violations(organiser_tab, programme):
    page, sweep = organiser_tab

    sweep.visit(page, "/backoffice/reports/", "Reports")
    sweep.visit(page, "/backoffice/reports/?sector=schools&delivery=online", "Reports filtered to schools")
    sweep.visit(page, f"/backoffice/reports/?programme={programme.pk}", "Reports of one programme, sessions to pick")
    sweep.visit(page, "/backoffice/reports/?date_from=2026-03-01&date_to=2026-01-01", "Reports, dates the wrong way")
    errors_showing(page)
    sweep.visit(page, f"/backoffice/programmes/{programme.pk}/report/", "Programme report")
    sweep.visit(page, "/backoffice/reports/evaluation/", "Prevent evaluation summary")
    sweep.visit(page, "/backoffice/reports/?sector=police", "Reports with nothing to show")

    sweep.assert_clean()


def test_an_organiser_filters_to_schools_and_opens_a_charts_data_by_keyboard(organiser_tab):
    page, sweep = organiser_tab
    page.goto(sweep.site + "/backoffice/reports/")

    tab_to(page, "id_sector")
    page.keyboard.type("Schools")
    submit(page, button("Filter"))

    assert "sector=schools" in page.url
    assert "Showing: Sector: Schools." in page.locator("main").inner_text()
    summary = tab_to(page, lambda e: e["tag"] == "summary" and e["name"].startswith("Show data"), max_presses=120)
    page.keyboard.press("Enter")
    details = page.locator("details.govuk-details").first
    assert details.get_attribute("open") is not None
    assert summary["name"].endswith("Places and confirmed bookings by session")
    assert "Places" in details.locator("table").inner_text()
    assert focused_element(page)["tag"] == "summary"


def test_dates_typed_into_the_filter(organiser_tab):
    page, sweep = organiser_tab
    page.goto(sweep.site + "/backoffice/reports/evaluation/")
    type_date(page, "id_date_from", date(2026, 3, 1))
    type_date(page, "id_date_to", date(2026, 1, 1))
    submit(page, button("Filter"))

    errors_showing(page)
    assert (
        "The last day must be the same as or after the first day" in page.locator(".govuk-error-summary").inner_text()
    )

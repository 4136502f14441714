"""The feedback pages of the back office through axe-core, on a desktop and on a phone: a
session's and a programme's results, and the survey's questions, with a form's errors showing;
and a question reworded by keyboard."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.attendance.models import Outcome
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import button, errors_showing, follow, sign_in, submit
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing.browser import DESKTOP, tab_to
from bookyourplace.feedback import services
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import answer, mark

pytestmark = pytest.mark.browser


@pytest.fixture
def organiser_tab(transactional_db, page, live_server, organiser, programme, session):
    """An organiser of the programme, signed in, with a session three people answered on."""
    make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk", programmes=(programme,))
    people = [book(session, f"p{n}@coventry.gov.uk", first_name=f"P{n}") for n in range(4)]
    end_session(session)
    for n, booking in enumerate(people):
        mark(booking, Outcome.PARTLY_ATTENDED if n == 3 else Outcome.ATTENDED)
    queue_feedback_requests()
    for n, booking in enumerate(people[:3]):
        booking = Booking.objects.get(pk=booking.pk)
        answer(booking, satisfaction=3 + n, before=2, after=4, useful=f"Useful {n}", better="=1+1")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, "sam@coventry.gov.uk")
    return page, AxeSweep(live_server.url)


def test_feedback_pages_have_no_axe_violations(organiser_tab, programme, session):
    page, sweep = organiser_tab

    sweep.visit(page, f"/backoffice/sessions/{session.pk}/feedback/", "Session feedback")
    sweep.visit(page, f"/backoffice/programmes/{programme.pk}/feedback/", "Programme feedback")
    sweep.visit(page, f"/backoffice/programmes/{programme.pk}/feedback/questions/", "Survey questions")
    submit(page, button("Add the question"))
    errors_showing(page)
    sweep.check(page, "Survey questions, with errors")
    sweep.visit(page, f"/backoffice/programmes/{programme.pk}/feedback/questions/?change=0", "Survey questions")

    sweep.assert_clean()


def test_an_organiser_rewords_a_question_by_keyboard(organiser_tab, programme):
    page, sweep = organiser_tab
    page.goto(sweep.site + f"/backoffice/programmes/{programme.pk}/feedback/questions/")

    follow(page, "Reword question 4", "**/questions/?change=*")
    sweep.check(page, "Reword a question")
    tab_to(page, "id_text")
    page.keyboard.press("Control+A")
    page.keyboard.type("What helped you most?")
    submit(page, button("Save question"))

    assert "Question saved." in page.locator(".govuk-notification-banner").inner_text()
    assert [q.text for q in services.questions_of(services.survey_for(programme))][3] == "What helped you most?"
    sweep.assert_clean()

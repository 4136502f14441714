"""The booking questions editor with the keyboard alone, every page checked with axe-core on a
desktop and a phone: add a question (after a mistake), move it, remove one, and give a session
its own questions."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import banner_text, button, errors_showing, follow, sign_in, submit
from bookyourplace.core.testing.browser import DESKTOP, choose_radio, tab_to, type_into
from bookyourplace.programmes import questions
from bookyourplace.programmes.models import Question
from bookyourplace.programmes.testing import add_question

pytestmark = pytest.mark.browser

Kind = Question.Kind


@pytest.fixture
def organiser_tab(transactional_db, page, live_server, organiser, programme, session):
    """An organiser of the programme, signed in; the programme asks one question already."""
    make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk", programmes=(programme,))
    add_question(programme, Kind.SHORT_TEXT, "Your dietary requirements", hint="For example, vegan")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, "sam@coventry.gov.uk")
    return page, AxeSweep(live_server.url)


def labels(programme) -> list[str]:
    return [question.label for question in questions.list_of(programme=programme)]


def test_an_organiser_edits_the_booking_questions_by_keyboard(organiser_tab, programme, session):
    page, sweep = organiser_tab
    page.goto(sweep.site + f"/backoffice/programmes/{programme.pk}/")

    follow(page, "Booking questions", "**/questions/")
    sweep.check(page, "Booking questions")
    follow(page, button("Add a question"), "**/questions/add/")
    sweep.check(page, "Add a booking question")

    # A choice question with one choice: explained, with what was typed kept
    type_into(page, "id_label", "Which area you work in")
    choose_radio(page, "id_kind", "One choice from a list")
    type_into(page, "id_choices", "North")
    submit(page, button("Add question"))
    errors_showing(page)
    assert "Enter at least two choices, one on each line" in page.locator(".govuk-error-summary").inner_text()
    sweep.check(page, "Add a booking question, with errors")
    tab_to(page, "id_choices")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("South")
    choose_radio(page, "id_required", "Yes")
    submit(page, button("Add question"))

    assert "Question added at the end of the booking form." in banner_text(page)
    assert labels(programme) == ["Your dietary requirements", "Which area you work in"]
    submit(page, button("Move up question 2"))
    assert labels(programme) == ["Which area you work in", "Your dietary requirements"]

    follow(page, "Remove question 2", "**/remove/")
    sweep.check(page, "Remove a booking question")
    submit(page, button("Remove question"))
    assert "Answers already given are kept" in banner_text(page)
    assert labels(programme) == ["Which area you work in"]

    # A session of its own
    page.goto(sweep.site + f"/backoffice/sessions/{session.pk}/")
    follow(page, "Booking questions", "**/questions/")
    sweep.check(page, "A session's booking questions")
    choose_radio(page, "id_asks", "Ask this session’s own questions")
    submit(page, button("Save"))
    assert "This session now asks its own questions." in banner_text(page)
    sweep.check(page, "A session's own booking questions")
    session.refresh_from_db()
    assert [q.label for q in questions.questions_for(session)] == ["Which area you work in"]

    sweep.assert_clean()

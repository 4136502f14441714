"""The feedback survey in a real Chromium, from the email's link, with the keyboard only,
checked with axe-core on a phone and on a desktop."""

import re

import pytest
from django.core import mail

from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    choose_radio,
    tab_to,
    wait_for_focus,
)
from bookyourplace.feedback import services
from bookyourplace.feedback.links import feedback_path
from bookyourplace.feedback.models import Answer, Role
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import mark

pytestmark = pytest.mark.browser

SURVEY_LINK = re.compile(r"https?://[^/\s]+(/feedback/[^/\s]+/)")


def check_both_sizes(page) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)


def test_an_attendee_answers_the_survey_from_the_email_by_keyboard(
    transactional_db, live_server, page, session, run_worker
):
    # Arrange: Alex attended; the feedback email has gone
    alex = book(session, "alex@coventry.gov.uk", first_name="Alex")
    end_session(session)
    mark(alex)
    queue_feedback_requests()
    run_worker()
    (email,) = [m for m in mail.outbox if m.subject.startswith("Your feedback, please")]
    path = SURVEY_LINK.search(email.body).group(1)
    fields = {q.role or q.text: f"id_q{q.pk}" for q in services.questions_of(services.survey_for(session.programme))}

    # Act and assert: the survey, sent empty, says what is missing and moves the focus there
    page.goto(live_server.url + path)
    check_both_sizes(page)
    tab_to(page, "Send my feedback")
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    wait_for_focus(page, ".govuk-error-summary")
    check_both_sizes(page)

    # answered with arrow keys and typing, and sent with Enter
    choose_radio(page, fields[Role.SATISFACTION], "Very satisfied")
    choose_radio(page, fields[Role.CONFIDENCE_BEFORE], "Slightly confident")
    choose_radio(page, fields[Role.CONFIDENCE_AFTER], "Very confident")
    tab_to(page, fields["What was most useful?"])
    page.keyboard.type("The case studies")
    page.locator(".govuk-character-count__status:not(.govuk-visually-hidden)").first.wait_for()
    tab_to(page, "Send my feedback")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thank-you/")

    assert "Thank you for your feedback" in page.locator("h1").inner_text()
    check_both_sizes(page)
    booking = Booking.objects.get(pk=alex.pk)
    assert sorted(
        Answer.objects.filter(response__booking=booking, rating__isnull=False).values_list("rating", flat=True)
    ) == [2, 5, 5]
    assert Answer.objects.get(response__booking=booking, rating=None).text == "The case studies"


def test_the_closed_and_not_attended_pages_have_no_axe_violations(transactional_db, live_server, page, session):
    bea = book(session, "bea@coventry.gov.uk", first_name="Bea")
    end_session(session)

    page.goto(live_server.url + feedback_path(bea))
    assert "You cannot give feedback on this session" in page.locator("h1").inner_text()
    check_both_sizes(page)
    page.goto(live_server.url + "/feedback/BYP-NOPE0.wrong/")
    assert "This link does not work" in page.locator("h1").inner_text()
    check_both_sizes(page)

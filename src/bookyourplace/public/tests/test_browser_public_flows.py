"""Every public flow, walked in a real Chromium with the keyboard alone (Tab, Shift+Tab,
Enter, Space, arrow keys: never a mouse click), every page checked with axe-core on a phone
and on a desktop (issue 15, point 5; PSBAR 2018 and WCAG 2.2 AA).

The flows, as an attendee meets them:
  1. book a place, reading the privacy notice from the consent box first; cancel it
  2. join the waiting list of a full session; accept the place offered from the email; cancel
  3. after the session: answer the feedback survey from its email, download the certificate,
     check a certificate's code
  4. find the organiser's accessibility statement and privacy notice in any page's footer

Other modules test each flow's details (test_browser.py, test_browser_lifecycle.py,
test_browser_feedback.py, test_browser_certificates.py); this one shows that a person can go
from start to end of each with a keyboard.
"""

import re

import pytest
from django.core import mail

from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.certificates.models import Certificate
from bookyourplace.core.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    choose_radio,
    fill_in_booking_form,
    focused_element,
    press_enter_and_wait_for,
    submit_booking_form,
    tab_to,
    type_into,
    wait_for_focus,
)
from bookyourplace.feedback import services as feedback
from bookyourplace.feedback.models import Role
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import mark

pytestmark = pytest.mark.browser

ALEX = "alex.smith@coventry.gov.uk"
MANAGE_LINK = re.compile(r"https?://[^/\s]+(/booking/[A-Za-z0-9_-]{32}/)")
SURVEY_LINK = re.compile(r"https?://[^/\s]+(/feedback/[^/\s]+/)")
MANAGE_PAGE = re.compile(r"/booking/[A-Za-z0-9_-]{32}/$")


def check_both_sizes(page) -> None:
    """No axe-core problem on a phone, nor on a desktop; left at phone size."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)


def link_in_latest_email(run_worker, pattern, *, to: str = ALEX, subject: str = "") -> str:
    """Let the worker send what is queued; the link in the newest email to ``to``."""
    run_worker()
    bodies = [m.body for m in mail.outbox if m.to == [to] and m.subject.startswith(subject)]
    assert bodies, f"No email {subject!r} to {to}; sent: {[m.subject for m in mail.outbox]}"
    return pattern.search(bodies[-1]).group(1)


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def cancel_by_keyboard(page, button: str = "Cancel my booking") -> None:
    tab_to(page, button)
    press_enter_and_wait_for(page, "**/cancel/")
    check_both_sizes(page)
    tab_to(page, "Yes, cancel")
    press_enter_and_wait_for(page, MANAGE_PAGE)
    check_both_sizes(page)


# --- 1. Book, reading the privacy notice first; cancel -----------------------------------------


def test_book_and_cancel_by_keyboard_reading_the_privacy_notice_from_the_form(
    transactional_db, live_server, page, programme, session, run_worker
):
    page.goto(live_server.url + programme.get_absolute_url())
    check_both_sizes(page)
    tab_to(page, session.title)
    press_enter_and_wait_for(page, f"**{session.get_absolute_url()}")
    check_both_sizes(page)
    tab_to(page, "Book your place")
    press_enter_and_wait_for(page, "**/book/")
    check_both_sizes(page)

    # The consent box's hint links to the organiser's notice: read it, and come back.
    notice = tab_to(page, "privacy notice")
    assert notice["tag"] == "a"
    press_enter_and_wait_for(page, "**/organisers/coventry/privacy/")
    assert page.locator("h1").inner_text() == "Privacy notice"
    assert "public task" in page.locator("main").inner_text()
    check_both_sizes(page)
    page.go_back()
    page.wait_for_url("**/book/")

    fill_in_booking_form(page, ALEX)
    submit_booking_form(page)
    page.wait_for_url("**/book/confirmed/")
    assert page.locator("h1").inner_text() == "Check your email"
    check_both_sizes(page)

    page.goto(live_server.url + link_in_latest_email(run_worker, MANAGE_LINK, subject="Booking confirmed"))
    assert page.locator("h1").inner_text() == session.title
    check_both_sizes(page)
    cancel_by_keyboard(page)

    assert "Your booking has been cancelled" in banner(page)
    assert Booking.objects.get(email=ALEX).status == Booking.Status.CANCELLED


# --- 2. Join the waiting list; accept the offered place; cancel --------------------------------


def test_join_the_waiting_list_and_accept_the_offered_place_by_keyboard(
    transactional_db, live_server, page, make_session, run_worker
):
    full = make_session(title="Fully booked", capacity=1)
    first = book(full, "first@coventry.gov.uk")

    page.goto(live_server.url + full.get_absolute_url())
    tab_to(page, "Join the waiting list")
    press_enter_and_wait_for(page, "**/book/")
    assert page.locator("h1").inner_text().startswith("Join the waiting list")
    check_both_sizes(page)

    # Sent empty: the error summary takes the focus and links to each field.
    tab_to(page, lambda e: e["tag"] == "button" and "Join the waiting list" in e["name"])
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    wait_for_focus(page, ".govuk-error-summary")
    check_both_sizes(page)

    fill_in_booking_form(page, ALEX)
    tab_to(page, lambda e: e["tag"] == "button" and "Join the waiting list" in e["name"])
    press_enter_and_wait_for(page, "**/book/confirmed/")
    check_both_sizes(page)

    page.goto(live_server.url + link_in_latest_email(run_worker, MANAGE_LINK, subject="You are on the waiting list"))
    assert "You are 1st on the waiting list" in page.locator("main").inner_text()
    check_both_sizes(page)

    # The person booked cancels: the place is offered to Alex by email.
    cancel_booking(booking_id=first.pk)
    page.goto(live_server.url + link_in_latest_email(run_worker, MANAGE_LINK, subject="A place is free for you"))
    check_both_sizes(page)
    tab_to(page, "Accept the place")
    press_enter_and_wait_for(page, MANAGE_PAGE)

    assert "Your place is confirmed" in banner(page)
    assert Booking.objects.get(email=ALEX, session=full).status == Booking.Status.CONFIRMED
    check_both_sizes(page)
    cancel_by_keyboard(page)
    assert Booking.objects.get(email=ALEX, session=full).status == Booking.Status.CANCELLED


# --- 3. After the session: feedback, the certificate, checking a certificate ------------------


def test_give_feedback_then_get_and_check_the_certificate_by_keyboard(
    transactional_db, live_server, page, session, run_worker
):
    alex = book(session, ALEX, first_name="Alex", last_name="Smith")
    end_session(session)
    mark(alex)
    queue_feedback_requests()
    fields = {q.role or q.text: f"id_q{q.pk}" for q in feedback.questions_of(feedback.survey_for(session.programme))}

    page.goto(live_server.url + link_in_latest_email(run_worker, SURVEY_LINK, subject="Your feedback, please"))
    check_both_sizes(page)
    choose_radio(page, fields[Role.SATISFACTION], "Very satisfied")
    choose_radio(page, fields[Role.CONFIDENCE_BEFORE], "Slightly confident")
    choose_radio(page, fields[Role.CONFIDENCE_AFTER], "Very confident")
    tab_to(page, "Send my feedback")
    press_enter_and_wait_for(page, "**/thank-you/")
    assert "Thank you for your feedback" in page.locator("h1").inner_text()
    check_both_sizes(page)

    # The certificate, from the manage page.
    page.goto(live_server.url + MANAGE_LINK.search(mail.outbox[0].body).group(1))
    page.get_by_role("heading", name="Your certificate").wait_for()
    check_both_sizes(page)
    tab_to(page, "Download your certificate of attendance")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    code = Certificate.objects.get(booking=alex).grouped_code
    assert download.value.suggested_filename.endswith(f"{code}.pdf")

    # Anyone can check the code printed on it.
    page.goto(live_server.url + "/certificates/")
    check_both_sizes(page)
    type_into(page, "id_code", code)
    press_enter_and_wait_for(page, re.compile(rf"/certificates/{code}/$"))
    page.get_by_text("Valid certificate").first.wait_for()
    check_both_sizes(page)


# --- 4. The accessibility statement and privacy notice, from any page's footer ----------------


@pytest.mark.parametrize("link", ["Accessibility statement", "Privacy notice"])
def test_the_organisers_statement_and_notice_are_reached_from_the_footer_by_keyboard(
    transactional_db, live_server, page, programme, session, link
):
    page.goto(live_server.url + session.get_absolute_url())

    footer_link = tab_to(page, link, max_presses=40)

    assert page.evaluate("document.activeElement.closest('footer') !== null"), focused_element(page)
    press_enter_and_wait_for(page, f"**/organisers/{programme.organiser.slug}/**")
    assert page.locator("h1").inner_text() == link
    assert footer_link["name"] == link
    check_both_sizes(page)
    # Back up the page with Shift+Tab to the skip link, as a keyboard user would.
    tab_to(page, "Skip to main content", max_presses=60, backwards=True)

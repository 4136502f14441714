"""The public pages in a real Chromium, used with the keyboard only and checked with axe-core.

A person books a place, finds the manage link in their email, adds the session to their
calendar and cancels, without touching a mouse. Every page they can meet is checked for
WCAG 2.2 AA problems on a phone and on a desktop.
"""

import re
import zoneinfo
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place
from bookyourplace.bookings.testing import places_taken
from bookyourplace.core.formatting import session_date
from bookyourplace.core.testing.browser import (
    DESKTOP,
    EMAIL,
    PHONE,
    assert_no_axe_violations,
    book_a_place,
    focused_element,
    press_enter_and_wait_for,
    reference_from_email,
    submit_booking_form,
    tab_to,
    wait_for_focus,
)
from bookyourplace.programmes.models import Session

pytestmark = pytest.mark.browser

LONDON = zoneinfo.ZoneInfo("Europe/London")
MANAGE_LINK = re.compile(r"https?://[^/\s]+(/booking/[A-Za-z0-9_-]{32}/)")


def a_month_away_at_ten() -> datetime:
    # Whole minutes, as a calendar invitation carries them.
    return datetime.combine(date.today() + timedelta(days=30), time(10, 0), tzinfo=LONDON)


# --- What a person does -----------------------------------------------------------------------


def submit_empty_booking_form(page) -> None:
    submit_booking_form(page)
    page.locator(".govuk-error-summary").wait_for()
    # GOV.UK Frontend moves the focus to the summary so a screen reader announces it.
    wait_for_focus(page, ".govuk-error-summary")


def open_manage_link_from_email(page, live_server, run_worker, email: str = EMAIL) -> str:
    """Let the worker send the confirmation, then follow the link in it as from a mail client."""
    run_worker()
    bodies = [message.body for message in mail.outbox if message.to == [email]]
    links = [match.group(1) for body in bodies if (match := MANAGE_LINK.search(body))]
    assert links, f"No manage link was emailed to {email}; emails sent: {[m.subject for m in mail.outbox]}"
    page.goto(live_server.url + links[0])
    return links[0]


def cancel_booking_from_manage_page(page) -> None:
    tab_to(page, "Cancel my booking")
    press_enter_and_wait_for(page, "**/cancel/")


def confirm_cancellation(page) -> None:
    tab_to(page, "Yes, cancel my booking")
    press_enter_and_wait_for(page, re.compile(r"/booking/[A-Za-z0-9_-]{32}/$"))


def fonts_of_visible_text(page) -> set[str]:
    """The font-family of every element holding visible text.

    GOV.UK Frontend sets the font on its typography classes, not on <body>, so this looks
    at the text a person reads rather than at the body element's unused default.
    """
    return set(
        page.evaluate(
            """() => {
              const fonts = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const element = node.parentElement;
                if (node.textContent.trim() && element.checkVisibility()) fonts.push(getComputedStyle(element).fontFamily);
              }
              return fonts;
            }"""
        )
    )


# --- The tests --------------------------------------------------------------------------------


def test_attendee_books_and_cancels_with_keyboard_only(page, live_server, make_session, programme, run_worker):
    starts_at = a_month_away_at_ten()
    session = make_session(starts_at=starts_at, capacity=20)

    page.goto(live_server.url + programme.get_absolute_url())
    tab_to(page, "Book your place")
    press_enter_and_wait_for(page, "**/book/")

    book_a_place(page)
    assert page.locator("h1").inner_text() == "Check your email"
    assert EMAIL in page.locator("main").inner_text()
    reference = reference_from_email(run_worker)

    open_manage_link_from_email(page, live_server, run_worker)
    assert page.locator("h1").inner_text() == session.title
    assert page.locator(f'a[href="{session.joining_url}"]').is_visible()

    tab_to(page, "Download the calendar invitation (.ics)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    invitation = Calendar.from_ical(download.value.path().read_bytes())
    event = invitation.walk("VEVENT")[0]
    assert invitation["METHOD"] == "REQUEST"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    invited_for = event.decoded("DTSTART")
    assert invited_for == starts_at
    assert (invited_for.hour, invited_for.minute) == (10, 0), "Not 10:00 London time"
    assert str(event["ATTENDEE"]).lower() == f"mailto:{EMAIL}"

    cancel_booking_from_manage_page(page)
    confirm_cancellation(page)
    assert "Your booking has been cancelled" in page.locator(".govuk-notification-banner").inner_text()
    assert Booking.objects.get(reference=reference).status == Booking.Status.CANCELLED
    assert places_taken(session) == 0


# Every page is checked on a phone and on a desktop.
on_phone_and_desktop = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
def sessions_of_every_state(make_session, attendee_details):
    """A session open to book, one with few places left, one fully booked, one already
    started (yesterday) and one called off: everything the programme page can show."""
    yesterday, ten_o_clock = timezone.now() - timedelta(days=1), a_month_away_at_ten()
    open_session = make_session(title="Open to book", starts_at=ten_o_clock, capacity=20)
    few_left = make_session(title="Few places left", starts_at=ten_o_clock + timedelta(hours=2), capacity=3)
    book_place(session_id=few_left.pk, attendee=attendee_details(email="few@example.org"))
    fully_booked = make_session(title="Fully booked", starts_at=ten_o_clock + timedelta(hours=4), capacity=1)
    book_place(session_id=fully_booked.pk, attendee=attendee_details(email="full@example.org"))
    make_session(title="Already started", starts_at=yesterday)
    make_session(title="Called off", starts_at=ten_o_clock + timedelta(hours=6), status=Session.Status.CANCELLED)
    return SimpleNamespace(open_session=open_session, yesterday=yesterday, ten_o_clock=ten_o_clock)


@on_phone_and_desktop
def test_programme_and_session_pages_have_no_axe_violations(
    page, viewport, live_server, programme, sessions_of_every_state
):
    page.set_viewport_size(viewport)
    sessions = sessions_of_every_state

    page.goto(live_server.url + "/")
    assert_no_axe_violations(page)

    page.goto(live_server.url + programme.get_absolute_url())
    for label in ["Book your place", "2 places left", "Fully booked", "Booking closed", "Cancelled"]:
        assert page.get_by_text(label).first.is_visible(), f"The programme page does not show {label!r}"
    days = page.locator(".byp-day__heading").all_inner_texts()
    expected_days = [session_date(sessions.yesterday, LONDON), session_date(sessions.ten_o_clock, LONDON)]
    assert days == expected_days, "Days out of order"
    assert_no_axe_violations(page)

    page.goto(live_server.url + sessions.open_session.get_absolute_url())
    assert_no_axe_violations(page)


@on_phone_and_desktop
def test_booking_and_cancelling_pages_have_no_axe_violations(
    page, viewport, live_server, sessions_of_every_state, run_worker
):
    page.set_viewport_size(viewport)

    page.goto(live_server.url + sessions_of_every_state.open_session.get_absolute_url() + "book/")
    assert page.locator("#id_website").is_hidden(), "The honeypot shows"
    assert_no_axe_violations(page)

    submit_empty_booking_form(page)
    assert page.locator(".govuk-error-summary").get_by_text("Enter your first name").is_visible()
    assert_no_axe_violations(page)

    book_a_place(page)
    assert_no_axe_violations(page)

    open_manage_link_from_email(page, live_server, run_worker)
    assert_no_axe_violations(page)

    cancel_booking_from_manage_page(page)
    assert_no_axe_violations(page)

    confirm_cancellation(page)
    assert page.locator(".govuk-notification-banner").is_visible()
    assert_no_axe_violations(page)


@on_phone_and_desktop
def test_information_and_error_pages_have_no_axe_violations(
    page, viewport, live_server, sessions_of_every_state, settings
):
    page.set_viewport_size(viewport)

    page.goto(live_server.url + "/privacy/")
    assert_no_axe_violations(page)

    page.goto(live_server.url + "/accessibility/")
    assert_no_axe_violations(page)

    assert page.goto(live_server.url + "/booking/" + "x" * 32 + "/").status == 404
    assert_no_axe_violations(page)

    # Too many attempts (429): a limit that allows no post at all refuses the next one.
    settings.BYP_RATE_LIMITS_ENABLED = True
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_address": "0/1h"}
    page.goto(live_server.url + sessions_of_every_state.open_session.get_absolute_url() + "book/")
    submit_booking_form(page)
    page.get_by_role("heading", name="Sorry, there have been too many attempts").wait_for()
    assert_no_axe_violations(page)


def test_error_summary_links_move_focus_to_the_field(page, live_server, session):
    page.goto(live_server.url + session.get_absolute_url() + "book/")
    submit_empty_booking_form(page)

    tab_to(page, "Enter your first name")
    page.keyboard.press("Enter")

    wait_for_focus(page, "#id_first_name")


def test_skip_link_is_first_tab_stop(page, live_server, session, programme):
    page.goto(live_server.url + programme.get_absolute_url())

    page.keyboard.press("Tab")
    assert focused_element(page)["name"] == "Skip to main content"

    page.keyboard.press("Enter")
    wait_for_focus(page, "#main-content")


def test_govuk_frontend_runs_under_the_security_policy_on_a_cached_page(page, live_server, programme, session):
    # The one inline script is allowed by its hash: were it blocked, GOV.UK Frontend would
    # not know JavaScript runs and its components would stay inert.
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    for _ in range(2):  # rendered, then served whole from the cache
        page.goto(live_server.url + programme.get_absolute_url())
        classes = page.evaluate("document.body.className")
        assert "js-enabled" in classes and "govuk-frontend-supported" in classes, classes
    assert violations == []


def test_header_uses_organiser_colour_and_arial(page, live_server, organiser, programme, session):
    organiser.brand_colour = "#00703c"
    organiser.full_clean()
    organiser.save()

    page.goto(live_server.url + programme.get_absolute_url())

    header_colour = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    assert header_colour == "rgb(0, 112, 60)"
    assert page.locator("header svg").count() == 0, "The header must not carry the GOV.UK crown"
    fonts = fonts_of_visible_text(page)
    assert fonts, "Found no visible text on the page"
    assert all("arial" in font.lower() and "gds transport" not in font.lower() for font in fonts), fonts

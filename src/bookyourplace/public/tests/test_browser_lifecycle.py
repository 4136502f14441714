"""The public pages of the booking life cycle in a real Chromium, checked with axe-core.

A full session offers its waiting list; a person joins it with the keyboard; people whose
booking waits on the list, has been offered a place, waits for approval or was not
approved each find their own page. Every one is checked for WCAG 2.2 AA problems on a phone
and on a desktop.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings import approvals, expiry
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place, cancel_booking
from bookyourplace.bookings.testing import attendee_details
from bookyourplace.core.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    fill_in_booking_form,
    press_enter_and_wait_for,
    tab_to,
    wait_for_focus,
)
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode

pytestmark = pytest.mark.browser

MANAGE_PAGE = re.compile(r"/booking/[A-Za-z0-9_-]{32}/$")


def manage_path(booking: Booking) -> str:
    return reverse("public:manage", kwargs={"token": manage_token(booking)})


def status_tag(page) -> str:
    return page.locator("main .govuk-tag").first.inner_text()


# Every page is checked on a phone and on a desktop.
on_phone_and_desktop = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def book(session, email, **options) -> Booking:
    return book_place(session_id=session.pk, attendee=attendee_details(email=email), **options)


def full_session_with_someone_waiting(make_session, starts):
    full = make_session(title="Fully booked", starts_at=starts, capacity=1)
    book(full, "first@example.org")
    book(full, "second@example.org", join_waiting_list=True)
    return full


def place_on_offer(make_session, starts) -> Booking:
    """A place freed on a full session goes to the first person waiting, as an offer."""
    offers = make_session(title="Place on offer", starts_at=starts + timedelta(hours=3), capacity=1)
    leaving = book(offers, "leaving@example.org")
    offered = book(offers, "offered@example.org", join_waiting_list=True)
    cancel_booking(booking_id=leaving.pk)
    return offered


def waiting_for_approval_and_not_approved(make_session, starts) -> tuple[Booking, Booking]:
    """Every booking of this session waits for an organiser."""
    vetted = make_session(
        title="Approval needed", starts_at=starts + timedelta(days=1), capacity=10, approval_mode=ApprovalMode.APPROVAL
    )
    pending = book(vetted, "pending@gmail.com")
    rejected = book(vetted, "rejected@gmail.com")
    approvals.reject_booking(
        booking_id=rejected.pk, reason="This briefing is for council staff only.", actor=Actor(label="Priya Shah")
    )
    return pending, rejected


@pytest.fixture
def life_cycle(transactional_db, make_session):
    """The programme's sessions: a full one with someone waiting, a place on offer, and
    bookings waiting for approval and not approved."""
    starts = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    full = full_session_with_someone_waiting(make_session, starts)
    offered = place_on_offer(make_session, starts)
    pending, rejected = waiting_for_approval_and_not_approved(make_session, starts)
    offered.refresh_from_db()
    assert (offered.status, pending.status) == (Booking.Status.OFFERED, Booking.Status.PENDING)
    return SimpleNamespace(starts=starts, full=full, offered=offered, pending=pending, rejected=rejected)


@on_phone_and_desktop
def test_joining_and_leaving_the_waiting_list_pages_have_no_axe_violations(
    page, viewport, live_server, programme, life_cycle
):
    page.set_viewport_size(viewport)
    full = life_cycle.full

    # The programme page offers the full session's waiting list.
    page.goto(live_server.url + programme.get_absolute_url())
    assert page.get_by_text("Fully booked").first.is_visible()
    assert_no_axe_violations(page)

    page.goto(live_server.url + full.get_absolute_url())
    assert page.get_by_role("link", name="Join the waiting list").is_visible()
    assert_no_axe_violations(page)

    # The waiting-list form, empty and with its errors, then sent.
    tab_to(page, "Join the waiting list")
    press_enter_and_wait_for(page, "**/book/")
    assert page.locator("h1").inner_text() == f"Join the waiting list: {full.title}"
    assert_no_axe_violations(page)

    tab_to(page, lambda e: e["tag"] == "button" and e["name"] == "Join the waiting list")
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    wait_for_focus(page, ".govuk-error-summary")
    assert_no_axe_violations(page)

    fill_in_booking_form(page, email="third@example.org")
    tab_to(page, lambda e: e["tag"] == "button" and e["name"] == "Join the waiting list")
    press_enter_and_wait_for(page, "**/book/confirmed/")
    # The same "check your email" page whatever happened (issue 10, point 7).
    assert page.locator("h1").inner_text() == "Check your email"
    assert "third@example.org" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    waiting = Booking.objects.get(email="third@example.org")
    assert waiting.status == Booking.Status.WAITING

    # Their own page, waiting, and the page to leave the list.
    page.goto(live_server.url + manage_path(waiting))
    assert status_tag(page) == "On the waiting list"
    assert "You are 2nd on the waiting list." in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    tab_to(page, "Leave the waiting list")
    press_enter_and_wait_for(page, "**/cancel/")
    assert_no_axe_violations(page)


@on_phone_and_desktop
def test_offered_place_pages_have_no_axe_violations(page, viewport, live_server, life_cycle):
    page.set_viewport_size(viewport)
    offered = life_cycle.offered

    page.goto(live_server.url + manage_path(offered))
    assert page.locator(".govuk-notification-banner").get_by_text("A place is free for you").is_visible()
    assert_no_axe_violations(page)

    tab_to(page, "Accept the place")
    with page.expect_navigation(url=MANAGE_PAGE):  # back to the same page, now confirmed
        page.keyboard.press("Enter")
    assert "Your place is confirmed" in page.locator(".govuk-notification-banner").inner_text()
    assert_no_axe_violations(page)
    offered.refresh_from_db()
    assert offered.status == Booking.Status.CONFIRMED


@on_phone_and_desktop
def test_approval_pages_have_no_axe_violations(page, viewport, live_server, life_cycle):
    page.set_viewport_size(viewport)

    page.goto(live_server.url + manage_path(life_cycle.pending))
    assert status_tag(page) == "Waiting for approval"
    assert_no_axe_violations(page)

    page.goto(live_server.url + manage_path(life_cycle.rejected))
    assert status_tag(page) == "Not approved"
    assert "This briefing is for council staff only." in page.locator("main").inner_text()
    assert_no_axe_violations(page)


@on_phone_and_desktop
def test_email_confirmation_pages_have_no_axe_violations(page, viewport, live_server, make_session, life_cycle):
    # Trusted domains: the address is confirmed first (issue 10, point 5). The form's answer,
    # the held place's page, confirming it with the keyboard, and a hold that ran out.
    page.set_viewport_size(viewport)
    trusted = make_session(
        title="Trusted domains",
        starts_at=life_cycle.starts + timedelta(days=2),
        capacity=10,
        approval_mode=ApprovalMode.TRUSTED_DOMAINS,
        trusted_domains="example.org",
    )
    page.goto(live_server.url + trusted.get_absolute_url() + "book/")
    fill_in_booking_form(page, email="held@example.org")
    tab_to(page, lambda e: e["tag"] == "button" and e["name"] == "Book my place")
    press_enter_and_wait_for(page, "**/book/confirmed/")
    assert page.locator("h1").inner_text() == "Check your email"
    assert "within 30 minutes" in page.locator(".govuk-warning-text").inner_text()
    assert_no_axe_violations(page)

    held = Booking.objects.get(email="held@example.org")
    assert held.status == Booking.Status.UNCONFIRMED_EMAIL
    page.goto(live_server.url + manage_path(held))
    assert status_tag(page) == "Waiting for email confirmation"
    assert_no_axe_violations(page)
    tab_to(page, "Confirm my place")
    with page.expect_navigation(url=MANAGE_PAGE):
        page.keyboard.press("Enter")
    assert "Your place is confirmed" in page.locator(".govuk-notification-banner").inner_text()
    assert_no_axe_violations(page)
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED

    lapsed = book(trusted, "lapsed@example.org")
    expiry.release_unconfirmed_holds(now=lapsed.hold_expires_at)
    page.goto(live_server.url + manage_path(lapsed))
    assert status_tag(page) == "Email not confirmed in time"
    assert_no_axe_violations(page)

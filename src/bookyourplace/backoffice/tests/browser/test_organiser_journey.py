"""An organiser signs in, creates a programme, adds an online session, publishes it, books it
from the public side in a second tab and finds the booking in the back office, without
touching a mouse."""

import re
import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    follow,
    link,
    press_enter_and_wait_for,
    sign_in,
    submit,
    type_date,
    type_time,
)
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing.browser import (
    DESKTOP,
    book_a_place,
    choose_radio,
    reference_from_email,
    tab_to,
    type_into,
)
from bookyourplace.programmes.models import Programme, Session

pytestmark = pytest.mark.browser

LONDON = zoneinfo.ZoneInfo("Europe/London")
ORGANISER_EMAIL = "priya.shah@coventry.gov.uk"
ATTENDEE_EMAIL = "alex.smith@coventry.gov.uk"
TITLE, SESSION_TITLE = "Safeguarding Week", "Recognising Radicalisation Online"
JOINING_LINK = "https://teams.microsoft.com/l/meetup-join/safeguarding-week"


# --- The journey's steps ----------------------------------------------------------------------


def create_a_draft_programme(page) -> Programme:
    follow(page, "Create a programme", "**/programmes/new/")
    type_into(page, "id_title", TITLE)
    type_into(page, "id_summary", "Briefings for everyone who works with children and adults at risk.")
    follow(page, button("Save"), re.compile(r"/backoffice/programmes/\d+/$"))
    assert "Programme created as a draft" in banner_text(page)
    programme = Programme.objects.get(title=TITLE)
    assert programme.status == Programme.Status.DRAFT
    return programme


def add_an_online_session(page, programme: Programme, day: date) -> Session:
    """An online session with its joining link."""
    follow(page, button("Add a session"), "**/sessions/new/")
    type_into(page, "id_title", SESSION_TITLE)
    type_date(page, "id_date", day)
    type_time(page, "id_start_time", time(10, 0))
    type_time(page, "id_end_time", time(12, 30))
    choose_radio(page, "id_delivery", "Online")
    tab_to(page, "id_platform")
    assert page.evaluate("document.activeElement.value") == "Microsoft Teams"
    type_into(page, "id_joining_url", JOINING_LINK)
    type_into(page, "id_capacity", "20")
    follow(page, button("Save session"), re.compile(r"/backoffice/sessions/\d+/$"))
    assert "Session added." in banner_text(page)
    session = Session.objects.get(programme=programme)
    assert session.title == SESSION_TITLE
    assert session.starts_at == datetime.combine(day, time(10, 0), tzinfo=LONDON)
    assert session.ends_at == datetime.combine(day, time(12, 30), tzinfo=LONDON)
    assert (session.delivery, session.joining_url, session.capacity) == (Session.Delivery.ONLINE, JOINING_LINK, 20)
    return session


def publish(page, programme: Programme) -> None:
    """Back to the programme (breadcrumbs) and publish it."""
    follow(page, link(TITLE), re.compile(rf"/backoffice/programmes/{programme.pk}/$"))
    submit(page, button("Publish"))
    assert "Programme published" in banner_text(page)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.PUBLISHED


def book_it_in_a_new_tab(page, live_server, programme: Programme, run_worker) -> str:
    """The public page, opened from its link in a new tab (Control+Enter), where an attendee
    books with the keyboard too; the booking's reference, from its email."""
    tab_to(page, lambda e: e["tag"] == "a" and e["name"].endswith(programme.get_absolute_url()))
    with page.context.expect_page() as new_tab:
        page.keyboard.press("Control+Enter")
    public = new_tab.value
    public.set_default_timeout(10_000)
    public.wait_for_load_state()
    assert public.url == live_server.url + programme.get_absolute_url()
    assert public.locator("h1").inner_text() == TITLE
    assert public.get_by_role("link", name=SESSION_TITLE, exact=True).is_visible()

    tab_to(public, "Book your place")
    press_enter_and_wait_for(public, "**/book/")
    book_a_place(public, ATTENDEE_EMAIL)
    assert public.locator("h1").inner_text() == "Check your email"
    reference = reference_from_email(run_worker, ATTENDEE_EMAIL)
    public.close()
    return reference


def find_the_booking(page, session: Session, reference: str) -> None:
    """Back in the back-office tab: the session, its bookings, a search by name, and the
    booking's own page, reached from the reference."""
    page.bring_to_front()
    follow(page, link(SESSION_TITLE), re.compile(rf"/backoffice/sessions/{session.pk}/$"))
    follow(page, button("View bookings"), re.compile(rf"/backoffice/sessions/{session.pk}/bookings/$"))
    type_into(page, "id_q", "Alex Smith")
    press_enter_and_wait_for(page, re.compile(r"/bookings/\?q=Alex\+Smith"))
    assert page.get_by_role("status").inner_text() == "1 booking found"
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[:3] == [reference, "Alex Smith", ATTENDEE_EMAIL]
    assert "Confirmed" in cells
    assert Booking.objects.get(reference=reference).status == Booking.Status.CONFIRMED

    follow(page, link(reference), re.compile(r"/backoffice/bookings/\d+/$"))
    assert page.locator("h1").inner_text().startswith("Alex Smith")


# --- The journey ------------------------------------------------------------------------------


def test_organiser_creates_publishes_and_finds_a_booking(page, live_server, transactional_db, organiser, run_worker):
    make_person(organiser, Role.ORGANISER, email=ORGANISER_EMAIL)
    page.set_viewport_size(DESKTOP)

    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ORGANISER_EMAIL)
    assert page.url == live_server.url + "/backoffice/"

    programme = create_a_draft_programme(page)
    session = add_an_online_session(page, programme, date.today() + timedelta(days=30))
    publish(page, programme)
    reference = book_it_in_a_new_tab(page, live_server, programme, run_worker)
    find_the_booking(page, session, reference)

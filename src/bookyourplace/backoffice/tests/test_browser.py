"""The back office in a real Chromium, used with the keyboard only and checked with axe-core.

An organiser signs in, creates a programme, adds an online session, publishes it, books it
from the public side in a second tab and finds the booking in the back office, without
touching a mouse. Every back-office page, and every form with its errors showing, is
checked for WCAG 2.2 AA problems on a desktop and on a phone.
"""

import re
import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import PASSWORD, make_person
from bookyourplace.bookings import approvals
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place, cancel_booking
from bookyourplace.core.testing.browser import (
    AXE_TAGS,
    DESKTOP,
    PHONE,
    axe_source,
    book_a_place,
    choose_radio,
    describe_violations,
    focused_element,
    reference_from_email,
    tab_to,
    type_into,
)
from bookyourplace.notifications import messaging
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode, Programme, Session

pytestmark = pytest.mark.browser

LONDON = zoneinfo.ZoneInfo("Europe/London")
ORGANISER_EMAIL = "priya.shah@coventry.gov.uk"
ATTENDEE_EMAIL = "alex.smith@coventry.gov.uk"
REFERENCE = re.compile(r"BYP-[0-9A-Z]{5}")


# --- What a person does -----------------------------------------------------------------------


def button(text: str):
    """A tab_to target: the button (or link styled as one) whose text is exactly ``text``."""
    return lambda element: element["tag"] in ("button", "a") and element["name"] == text


def link(text: str):
    return lambda element: element["tag"] == "a" and element["name"] == text


def press_enter_and_wait_for(page, url_pattern) -> None:
    page.keyboard.press("Enter")
    page.wait_for_url(url_pattern)
    page.wait_for_load_state()


def follow(page, target, url_pattern) -> None:
    """Tab to a link or button and press Enter, ending on the page it leads to."""
    tab_to(page, target)
    press_enter_and_wait_for(page, url_pattern)


def submit(page, target) -> None:
    """Tab to a form's button and press Enter, waiting for the answer (often the same URL)."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def clear_field(page, field_id: str) -> None:
    """Tab to a text field and delete what is in it, as a person would."""
    tab_to(page, field_id)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")


_DATE_ORDER = """() => new Intl.DateTimeFormat(navigator.language, {day: '2-digit', month: '2-digit', year: 'numeric'})
  .formatToParts(new Date(2000, 0, 2)).filter(p => p.type !== 'literal').map(p => p.type)"""


def type_date(page, field_id: str, day: date) -> None:
    """Tab to an <input type=date> and type the day into its segments.

    Chromium's date input is a row of segments (day, month, year) in the order of the
    browser's locale, each moving on to the next when full. Typing "2026-03-15" does not
    work; typing the digits segment by segment in the locale's order does.
    """
    tab_to(page, field_id)
    digits = {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": f"{day.year:04d}"}
    page.keyboard.type("".join(digits[part] for part in page.evaluate(_DATE_ORDER)))
    value = page.evaluate("document.activeElement.value")
    assert value == day.isoformat(), f"Typed {day} into #{field_id} but it holds {value!r}"


def type_time(page, field_id: str, at: time) -> None:
    """Tab to an <input type=time> and type hours and minutes (and AM/PM on a 12-hour clock)."""
    tab_to(page, field_id)
    page.keyboard.type(f"{at.hour:02d}{at.minute:02d}")
    wanted = at.strftime("%H:%M")
    if page.evaluate("document.activeElement.value") != wanted:
        # A 12-hour locale has a third segment; typing the hour does not always settle it.
        page.keyboard.type("A" if at.hour < 12 else "P")
    value = page.evaluate("document.activeElement.value")
    assert value == wanted, f"Typed {wanted} into #{field_id} but it holds {value!r}"


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    type_into(page, "id_username", email)
    type_into(page, "id_password", password)
    submit(page, button("Sign in"))


def banner_text(page) -> str:
    return " ".join(page.locator(".govuk-notification-banner").all_inner_texts())


# --- The keyboard journey ---------------------------------------------------------------------


def test_organiser_creates_publishes_and_finds_a_booking(page, live_server, transactional_db, organiser, run_worker):
    make_person(organiser, Role.ORGANISER, email=ORGANISER_EMAIL)
    page.set_viewport_size(DESKTOP)
    day = date.today() + timedelta(days=30)
    title, session_title = "Safeguarding Week", "Recognising Radicalisation Online"
    joining_link = "https://teams.microsoft.com/l/meetup-join/safeguarding-week"

    # Signing in.
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ORGANISER_EMAIL)
    assert page.url == live_server.url + "/backoffice/"

    # A new programme, as a draft.
    follow(page, "Create a programme", "**/programmes/new/")
    type_into(page, "id_title", title)
    type_into(page, "id_summary", "Briefings for everyone who works with children and adults at risk.")
    follow(page, button("Save"), re.compile(r"/backoffice/programmes/\d+/$"))
    assert "Programme created as a draft" in banner_text(page)
    programme = Programme.objects.get(title=title)
    assert programme.status == Programme.Status.DRAFT

    # An online session with its joining link.
    follow(page, button("Add a session"), "**/sessions/new/")
    type_into(page, "id_title", session_title)
    type_date(page, "id_date", day)
    type_time(page, "id_start_time", time(10, 0))
    type_time(page, "id_end_time", time(12, 30))
    choose_radio(page, "id_delivery", "Online")
    tab_to(page, "id_platform")
    assert page.evaluate("document.activeElement.value") == "Microsoft Teams"
    type_into(page, "id_joining_url", joining_link)
    type_into(page, "id_capacity", "20")
    follow(page, button("Save session"), re.compile(r"/backoffice/sessions/\d+/$"))
    assert "Session added." in banner_text(page)
    session = Session.objects.get(programme=programme)
    assert session.title == session_title
    assert session.starts_at == datetime.combine(day, time(10, 0), tzinfo=LONDON)
    assert session.ends_at == datetime.combine(day, time(12, 30), tzinfo=LONDON)
    assert (session.delivery, session.joining_url, session.capacity) == (Session.Delivery.ONLINE, joining_link, 20)

    # Back to the programme (breadcrumbs) and publish it.
    follow(page, link(title), re.compile(rf"/backoffice/programmes/{programme.pk}/$"))
    submit(page, button("Publish"))
    assert "Programme published" in banner_text(page)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.PUBLISHED

    # The public page, opened from its link in a new tab (Control+Enter).
    tab_to(page, lambda e: e["tag"] == "a" and e["name"].endswith(programme.get_absolute_url()))
    with page.context.expect_page() as new_tab:
        page.keyboard.press("Control+Enter")
    public = new_tab.value
    public.set_default_timeout(10_000)
    public.wait_for_load_state()
    assert public.url == live_server.url + programme.get_absolute_url()
    assert public.locator("h1").inner_text() == title
    assert public.get_by_role("link", name=session_title, exact=True).is_visible()

    # An attendee books it, with the keyboard too.
    tab_to(public, "Book your place")
    press_enter_and_wait_for(public, "**/book/")
    book_a_place(public, ATTENDEE_EMAIL)
    assert public.locator("h1").inner_text() == "Check your email"
    reference = reference_from_email(run_worker, ATTENDEE_EMAIL)
    public.close()

    # Back in the back-office tab: the session, its bookings, a search by name.
    page.bring_to_front()
    follow(page, link(session_title), re.compile(rf"/backoffice/sessions/{session.pk}/$"))
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

    # And opens it: the booking's own page, reached from the reference with the keyboard.
    follow(page, link(reference), re.compile(r"/backoffice/bookings/\d+/$"))
    assert page.locator("h1").inner_text().startswith("Alex Smith")


# --- Every back-office page through axe-core --------------------------------------------------

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def is_govuk_conditional_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's radios and checkboxes that reveal more questions carry aria-expanded.

    axe reports it (ARIA allows aria-expanded on a radio group, not on one radio), and the
    design system keeps it on purpose: its research found screen readers announce it and
    that it helps (alphagov/govuk-frontend#979, listed as a known axe issue in #1280). Only
    that one complaint about that one attribute is let through; anything else still fails.
    """
    if violation["id"] != "aria-allowed-attr" or not node.get("controlsGovukReveal"):
        return False
    messages = [check["message"] for check in node["all"] + node["any"] + node["none"]]
    return bool(messages) and all(
        re.fullmatch(r'ARIA attribute is not allowed: aria-expanded="(true|false)"', m) for m in messages
    )


_RUN_AXE = """async tags => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  // Mark the controls of GOV.UK conditional reveals (see is_govuk_conditional_reveal).
  for (const violation of results.violations) {
    for (const node of violation.nodes) {
      const control = typeof node.target[0] === 'string' ? document.querySelector(node.target[0]) : null;
      const revealed = control && document.getElementById(control.getAttribute('aria-controls') || '');
      node.controlsGovukReveal = !!revealed && /govuk-(radios|checkboxes)__conditional/.test(revealed.className);
    }
  }
  // Only the violations cross back to Python: the passes of a long table are slow to send.
  return results.violations;
}"""


def axe_violations(page) -> list[dict]:
    """What axe-core finds on the page as it is now, as assert_no_axe_violations checks it."""
    violations = []
    for violation in page.evaluate(_RUN_AXE, AXE_TAGS):
        nodes = [node for node in violation["nodes"] if not is_govuk_conditional_reveal(violation, node)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


_WIDER_THAN_SCREEN = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  return Array.from(document.querySelectorAll('main *'))
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1 && !el.closest('.byp-table-wrapper'))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : ''));
}"""


class AxeSweep:
    """Runs axe on each page at both sizes and keeps every problem, to fail once at the end.

    On the phone it also checks the page does not scroll sideways (WCAG 1.4.10 Reflow): a
    wide table belongs in a .byp-table-wrapper that scrolls on its own.
    """

    def __init__(self):
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, page, label: str) -> None:
        page.evaluate(axe_source())
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            found = describe_violations(axe_violations(page))
            if name == "phone" and (too_wide := page.evaluate(_WIDER_THAN_SCREEN)):
                found += f"\n- page wider than the screen (WCAG 1.4.10 Reflow)\n    at {', '.join(too_wide)}"
            if found.strip():
                self.problems.append(f"## {label} ({name}) {page.url}\n{found.strip()}")
        page.set_viewport_size(DESKTOP)
        self.checked.append(label)

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"axe found problems on {len(self.problems)} of {len(self.checked) * len(VIEWPORTS)} page views:\n\n"
            + "\n\n".join(self.problems)
        )


def errors_showing(page) -> None:
    page.locator(".govuk-error-summary").wait_for()


@pytest.fixture
def lifecycle_world(organiser, programme, make_session, attendee_details, run_worker):
    """A programme with sessions and bookings in every status, a sent message, colleagues and
    plenty in the audit log (enough for its pagination and for the bookings list's)."""
    administrator = make_person(
        organiser, Role.ADMINISTRATOR, email="admin@coventry.gov.uk", first_name="Ade", last_name="Okafor"
    )
    colleague = make_person(
        organiser,
        Role.ORGANISER,
        email="sam.jones@coventry.gov.uk",
        first_name="Sam",
        last_name="Jones",
        programmes=(programme,),
    )
    make_person(organiser, Role.VIEWER, email="viewer@coventry.gov.uk", first_name="Vic", last_name="Reed")
    switched_off = make_person(organiser, Role.VIEWER, email="left@coventry.gov.uk", first_name="Lee", last_name="Gone")
    switched_off.user.is_active = False
    switched_off.user.save()
    with_two_factor = make_person(
        organiser, Role.ORGANISER, email="totp@coventry.gov.uk", first_name="Tara", last_name="Otp"
    )
    TOTPDevice.objects.create(user=with_two_factor.user, name="Authenticator app", confirmed=True)
    Programme.objects.create(organiser=organiser, title="Autumn Week", slug="autumn-week")
    Programme.objects.create(organiser=organiser, title="Last Year", slug="last-year", status=Programme.Status.ARCHIVED)

    ten = datetime.combine(date.today() + timedelta(days=30), time(10, 0), tzinfo=LONDON)
    admin = Actor(user=administrator.user, label="Ade Okafor")

    # One session with the whole life cycle: confirmed, pending, rejected, cancelled, offered, waiting.
    life = make_session(
        title="Understanding Prevent",
        starts_at=ten,
        capacity=4,
        approval_mode=ApprovalMode.TRUSTED_DOMAINS,
        trusted_domains="coventry.gov.uk",
    )

    def book(session, email, first_name, **options):
        # As an organiser adds them: confirmed or pending at once, no email confirmation first.
        return book_place(
            session_id=session.pk,
            attendee=attendee_details(email, first_name=first_name),
            address_proven=True,
            **options,
        )

    confirmed = book(life, "alex.smith@coventry.gov.uk", "Alex")
    leaving = book(life, "bea.smith@coventry.gov.uk", "Bea")
    pending = book(life, "pat.smith@gmail.com", "Pat")
    rejected = book(life, "rob.smith@gmail.com", "Rob")
    for first_name in ("Wes", "Wyn", "Wil"):
        book(life, f"{first_name.lower()}.smith@example.org", first_name, join_waiting_list=True)
    approvals.reject_booking(booking_id=rejected.pk, reason="This briefing is for council staff.", actor=admin)
    cancel_booking(booking_id=leaving.pk, actor=admin, by_organiser=True, reason="Booked twice.")
    statuses = sorted(Booking.objects.filter(session=life).values_list("status", flat=True))
    assert statuses == sorted(["confirmed", "pending", "rejected", "cancelled", "offered", "offered", "waiting"]), (
        statuses
    )

    # A popular session: more bookings than fit on one page of the list.
    big = make_session(title="Online Harms Briefing", starts_at=ten + timedelta(hours=3), capacity=80)
    for n in range(55):
        book(big, f"person{n}@coventry.gov.uk", f"Person{n}")
    # A session nobody has booked, and one that was cancelled.
    quiet = make_session(title="Quiet Session", starts_at=ten + timedelta(days=1))
    called_off = make_session(title="Called Off", starts_at=ten + timedelta(days=2), status=Session.Status.CANCELLED)

    message = messaging.send_message(
        programme=life.programme,
        session=None,
        subject="Room change",
        body="Hello {first_name}, the session is now in Room 2.",
        idempotency_key="sweep-message",
        actor=admin,
    )
    run_worker()
    # One of its emails failed, with the reason the progress page shows.
    message.emails.filter(pk=message.emails.order_by("pk").values("pk")[:1]).update(
        status=Email.Status.FAILED, last_error="The mail server refused the address: SMTPRecipientsRefused: 550 5.1.1"
    )
    return {
        "administrator": administrator,
        "colleague": colleague,
        "with_two_factor": with_two_factor,
        "life": life,
        "big": big,
        "quiet": quiet,
        "called_off": called_off,
        "confirmed": confirmed,
        "cancelled": leaving,
        "pending": pending,
        "message": message,
    }


def test_back_office_pages_have_no_axe_violations(
    browser, page, live_server, transactional_db, programme, lifecycle_world
):
    world = lifecycle_world
    sweep = AxeSweep()
    site = live_server.url

    def visit(path: str, label: str) -> None:
        response = page.goto(site + path)
        assert response.status == 200, f"{label}: GET {path} gave {response.status}"
        sweep.check(page, label)

    # --- Signed out, in a browser of its own ---
    context = browser.new_context(viewport=DESKTOP)
    signed_out = context.new_page()
    signed_out.set_default_timeout(10_000)

    signed_out.goto(site + "/backoffice/sign-in/")
    sweep.check(signed_out, "Sign in")
    submit(signed_out, button("Sign in"))
    errors_showing(signed_out)
    sweep.check(signed_out, "Sign in, with errors (nothing entered)")
    sign_in(signed_out, "admin@coventry.gov.uk", "not-the-password")
    errors_showing(signed_out)
    sweep.check(signed_out, "Sign in, with errors (wrong password)")
    for _attempt in range(6):  # django-axes locks the account out after 5 failures
        if signed_out.locator("h1").inner_text() == "Too many attempts to sign in":
            break
        sign_in(signed_out, "viewer@coventry.gov.uk", "not-the-password")
    assert signed_out.locator("h1").inner_text() == "Too many attempts to sign in"
    sweep.check(signed_out, "Locked out after too many attempts")

    signed_out.goto(site + "/backoffice/password-reset/")
    sweep.check(signed_out, "Reset your password")
    submit(signed_out, button("Send the link"))
    errors_showing(signed_out)
    sweep.check(signed_out, "Reset your password, with errors")
    type_into(signed_out, "id_email", "sam.jones@coventry.gov.uk")
    follow(signed_out, button("Send the link"), "**/password-reset/sent/")
    sweep.check(signed_out, "Password reset link sent")

    user = world["colleague"].user
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    signed_out.goto(site + f"/backoffice/password-reset/{uid}/{token}/")
    assert "/set-password/" in signed_out.url
    sweep.check(signed_out, "Choose a new password")
    submit(signed_out, button("Save the new password"))
    errors_showing(signed_out)
    sweep.check(signed_out, "Choose a new password, with errors")
    signed_out.goto(site + f"/backoffice/password-reset/{uid}/not-a-valid-token/")
    assert signed_out.locator("h1").inner_text() == "This link has expired"
    sweep.check(signed_out, "Password reset link expired")

    signed_out.goto(site + "/backoffice/sign-in/")
    sign_in(signed_out, "totp@coventry.gov.uk")
    assert "/sign-in/code/" in signed_out.url
    sweep.check(signed_out, "Enter your code (two-factor)")
    submit(signed_out, button("Continue"))
    errors_showing(signed_out)
    sweep.check(signed_out, "Enter your code, with errors (nothing entered)")
    type_into(signed_out, "id_code", "000000")
    submit(signed_out, button("Continue"))
    errors_showing(signed_out)
    sweep.check(signed_out, "Enter your code, with errors (wrong code)")
    context.close()

    # --- Signed in as an administrator, through the form once ---
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/backoffice/sign-in/")
    sign_in(page, "admin@coventry.gov.uk")
    assert page.url == site + "/backoffice/"

    life, big, quiet = world["life"], world["big"], world["quiet"]
    p = programme.pk
    visit("/backoffice/", "Dashboard")
    visit("/backoffice/?archived=1", "Dashboard with archived programmes")
    visit("/backoffice/account/", "Your account")
    visit("/backoffice/account/two-factor/", "Set up two-factor sign-in")
    submit(page, button("Turn on two-factor sign-in"))
    errors_showing(page)
    sweep.check(page, "Set up two-factor sign-in, with errors")

    # Programmes.
    visit(f"/backoffice/programmes/{p}/", "Programme")
    visit("/backoffice/programmes/new/", "Create a programme")
    submit(page, button("Save"))
    errors_showing(page)
    sweep.check(page, "Create a programme, with errors")
    visit(f"/backoffice/programmes/{p}/edit/", "Edit programme")
    clear_field(page, "id_title")
    submit(page, button("Save"))
    errors_showing(page)
    sweep.check(page, "Edit programme, with errors")
    visit(f"/backoffice/programmes/{p}/copy/", "Copy to new dates")
    clear_field(page, "id_title")
    type_date(page, "id_first_day", date.today() - timedelta(days=7))
    submit(page, button("Copy the programme"))
    errors_showing(page)
    sweep.check(page, "Copy to new dates, with errors")
    visit(f"/backoffice/programmes/{p}/rules/", "Booking rules")
    clear_field(page, "id_offer_hold_hours")
    clear_field(page, "id_reminder_days")
    page.keyboard.type("five, one")
    submit(page, button("Save booking rules"))
    errors_showing(page)
    sweep.check(page, "Booking rules, with errors")
    visit(f"/backoffice/programmes/{p}/message/", "Message attendees of a programme")

    # Sessions.
    visit(f"/backoffice/sessions/{life.pk}/", "Session with the whole life cycle")
    visit(f"/backoffice/sessions/{world['called_off'].pk}/", "Cancelled session")
    visit(f"/backoffice/programmes/{p}/sessions/new/", "Add a session")
    submit(page, button("Save session"))
    errors_showing(page)
    sweep.check(page, "Add a session, with errors")
    visit(f"/backoffice/sessions/{life.pk}/edit/", "Edit session")
    clear_field(page, "id_title")
    clear_field(page, "id_capacity")
    page.keyboard.type("0")
    submit(page, button("Save session"))
    errors_showing(page)
    sweep.check(page, "Edit session, with errors")
    visit(f"/backoffice/sessions/{quiet.pk}/cancel/", "Cancel a session")
    # Its only field (the reason) is optional and limited in length by the browser: it has no errors to show.

    # Bookings.
    visit(f"/backoffice/sessions/{life.pk}/bookings/", "Bookings")
    type_into(page, "id_q", "Smith")
    press_enter_and_wait_for(page, re.compile(r"/bookings/\?q=Smith"))
    assert "bookings found" in page.get_by_role("status").inner_text()
    sweep.check(page, "Bookings, search results")
    type_into(page, "id_q", "Nobody-by-this-name")
    press_enter_and_wait_for(page, re.compile(r"/bookings/\?q=Nobody"))
    assert page.get_by_role("status").inner_text() == "0 bookings found"
    sweep.check(page, "Bookings, no search results")
    visit(f"/backoffice/sessions/{big.pk}/bookings/?sort=name", "Bookings, sorted, with pages")
    visit(f"/backoffice/sessions/{big.pk}/bookings/?sort=name&page=2", "Bookings, page 2")
    visit(f"/backoffice/sessions/{quiet.pk}/bookings/", "Bookings, none yet")
    visit(f"/backoffice/bookings/{world['confirmed'].pk}/", "Booking")
    visit(f"/backoffice/bookings/{world['cancelled'].pk}/", "Cancelled booking")
    visit(f"/backoffice/bookings/{world['pending'].pk}/", "Booking waiting for approval")
    visit(f"/backoffice/bookings/{world['confirmed'].pk}/cancel/", "Cancel a booking")
    submit(page, button("Yes, cancel the booking"))
    errors_showing(page)
    sweep.check(page, "Cancel a booking, with errors")
    visit(f"/backoffice/sessions/{life.pk}/bookings/new/", "Add a booking")
    submit(page, button("Add booking"))
    errors_showing(page)
    sweep.check(page, "Add a booking, with errors")

    # Approvals and the waiting list.
    visit(f"/backoffice/sessions/{life.pk}/approvals/", "Approvals")
    submit(page, button("Approve selected"))
    assert "Select at least one booking" in banner_text(page)
    sweep.check(page, "Approvals, with an error (nothing selected)")
    tab_to(page, "Do not approve the selected bookings")
    page.keyboard.press("Enter")
    sweep.check(page, "Approvals, reason for not approving open")
    visit(f"/backoffice/sessions/{quiet.pk}/approvals/", "Approvals, none waiting")
    visit(f"/backoffice/sessions/{life.pk}/waiting-list/", "Waiting list")
    visit(f"/backoffice/sessions/{quiet.pk}/waiting-list/", "Waiting list, nobody waiting")

    # Messages: write, preview, send, watch the progress.
    visit(f"/backoffice/sessions/{quiet.pk}/message/", "Message attendees, nobody to send to")
    visit(f"/backoffice/sessions/{life.pk}/message/", "Message attendees")
    submit(page, button("Preview"))
    errors_showing(page)
    sweep.check(page, "Message attendees, with errors")
    type_into(page, "id_subject", "Bring your ID")
    type_into(
        page, "id_body", "Hello {first_name}, please bring photo ID to {session_title}.\nYour booking: {manage_link}"
    )
    submit(page, button("Preview"))
    assert page.locator("h1").inner_text() == "Check your message"
    assert "is an example here" in page.locator("main").inner_text()
    sweep.check(page, "Message preview (with the example manage link)")
    follow(page, button("Send to 1 attendee"), re.compile(r"/backoffice/messages/\d+/$"))
    sweep.check(page, "Message progress (just sent)")
    visit(f"/backoffice/messages/{world['message'].pk}/", "Message progress (sent to a programme, one failed)")

    # People and the audit log.
    visit("/backoffice/people/", "People")
    visit("/backoffice/people/new/", "Add a person")
    submit(page, button("Add person"))
    errors_showing(page)
    sweep.check(page, "Add a person, with errors")
    visit(f"/backoffice/people/{world['colleague'].pk}/", "Change a person's role")
    visit(f"/backoffice/people/{world['administrator'].pk}/", "Change your own role")
    tab_to(page, lambda e: e["tag"] == "input" and e["type"] == "radio")
    for _ in range(5):
        if focused_element(page)["name"] == "Viewer":
            break
        page.keyboard.press("ArrowDown")
    submit(page, button("Save"))
    errors_showing(page)
    sweep.check(page, "Change your own role, with errors")
    visit(f"/backoffice/people/{world['colleague'].pk}/switch-off/", "Switch off an account")
    visit(f"/backoffice/people/{world['administrator'].pk}/switch-off/", "Switch off your own account (refused)")
    tara = world["with_two_factor"].pk
    visit(f"/backoffice/people/{tara}/two-factor/reset/", "Reset two-factor, by an administrator without it (refused)")
    visit("/backoffice/audit-log/", "Audit log")
    visit("/backoffice/audit-log/?page=2", "Audit log, page 2")
    page.goto(site + "/backoffice/audit-log/")
    type_date(page, "id_date_from", date.today())
    type_date(page, "id_date_to", date.today() - timedelta(days=1))
    submit(page, button("Filter"))
    errors_showing(page)
    sweep.check(page, "Audit log, with errors (last day before first)")
    visit("/backoffice/audit-log/?person=Nobody-by-this-name", "Audit log, nothing matches")

    # The administrator turns on two-factor, and so may reset a colleague's.
    page.goto(site + "/backoffice/account/two-factor/")
    pending = TOTPDevice.objects.get(user=world["administrator"].user, confirmed=False)
    type_into(page, "id_code", f"{totp(pending.bin_key):06d}")
    follow(page, button("Turn on two-factor sign-in"), "**/backoffice/account/recovery-codes/")
    sweep.check(page, "Recovery codes, shown once after turning on two-factor")
    visit("/backoffice/account/recovery-codes/", "Recovery codes, already shown")
    visit("/backoffice/account/", "Your account, with two-factor on")
    visit(f"/backoffice/people/{tara}/two-factor/reset/", "Reset a colleague's two-factor")
    follow(page, button("Reset two-factor sign-in"), "**/backoffice/people/")
    sweep.check(page, "People, a colleague's two-factor reset")
    visit(f"/backoffice/people/{tara}/two-factor/reset/", "Reset two-factor, already off")
    visit(f"/backoffice/people/{world['administrator'].pk}/two-factor/reset/", "Reset your own two-factor (refused)")

    sweep.assert_clean()

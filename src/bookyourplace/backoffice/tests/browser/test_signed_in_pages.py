"""Every back-office page an administrator meets, through axe-core on a desktop and on a
phone, and every form with its errors showing. Each test signs in through the form once and
sweeps the pages of one part of the back office (conftest.py builds what they show)."""

import re
from datetime import date, timedelta

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    clear_field,
    errors_showing,
    follow,
    press_enter_and_wait_for,
    sign_in,
    submit,
    type_date,
)
from bookyourplace.core.testing.browser import DESKTOP, focused_element, tab_to, type_into

pytestmark = pytest.mark.browser


@pytest.fixture
def administrator(page, live_server, transactional_db, lifecycle_world):
    """The administrator's tab, signed in through the form, and a sweep of the pages it opens."""
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, "admin@coventry.gov.uk")
    assert page.url == live_server.url + "/backoffice/"
    return page, AxeSweep(live_server.url)


def test_dashboard_account_and_programme_pages_have_no_axe_violations(administrator, programme):
    page, sweep = administrator
    p = programme.pk
    sweep.visit(page, "/backoffice/", "Dashboard")
    sweep.visit(page, "/backoffice/?archived=1", "Dashboard with archived programmes")
    sweep.visit(page, "/backoffice/account/", "Your account")
    sweep.visit(page, "/backoffice/account/two-factor/", "Set up two-factor sign-in")
    submit(page, button("Turn on two-factor sign-in"))
    errors_showing(page)
    sweep.check(page, "Set up two-factor sign-in, with errors")

    sweep.visit(page, f"/backoffice/programmes/{p}/", "Programme")
    sweep.visit(page, "/backoffice/programmes/new/", "Create a programme")
    submit(page, button("Save"))
    errors_showing(page)
    sweep.check(page, "Create a programme, with errors")
    sweep.visit(page, f"/backoffice/programmes/{p}/edit/", "Edit programme")
    clear_field(page, "id_title")
    submit(page, button("Save"))
    errors_showing(page)
    sweep.check(page, "Edit programme, with errors")
    sweep.visit(page, f"/backoffice/programmes/{p}/copy/", "Copy to new dates")
    clear_field(page, "id_title")
    type_date(page, "id_first_day", date.today() - timedelta(days=7))
    submit(page, button("Copy the programme"))
    errors_showing(page)
    sweep.check(page, "Copy to new dates, with errors")
    sweep.visit(page, f"/backoffice/programmes/{p}/rules/", "Booking rules")
    clear_field(page, "id_offer_hold_hours")
    clear_field(page, "id_fair_share_cap")
    page.keyboard.type("0")
    clear_field(page, "id_reminder_days")
    page.keyboard.type("five, one")
    submit(page, button("Save booking rules"))
    assert "Allow at least 1 place per organisation" in page.locator(".govuk-error-summary").inner_text()
    errors_showing(page)
    sweep.check(page, "Booking rules, with errors")
    sweep.visit(page, f"/backoffice/programmes/{p}/message/", "Message attendees of a programme")

    sweep.assert_clean()


def test_session_pages_have_no_axe_violations(administrator, programme, lifecycle_world):
    page, sweep = administrator
    life, quiet = lifecycle_world["life"], lifecycle_world["quiet"]
    sweep.visit(page, f"/backoffice/sessions/{life.pk}/", "Session with the whole life cycle")
    sweep.visit(page, f"/backoffice/sessions/{lifecycle_world['called_off'].pk}/", "Cancelled session")
    sweep.visit(page, f"/backoffice/programmes/{programme.pk}/sessions/new/", "Add a session")
    submit(page, button("Save session"))
    errors_showing(page)
    sweep.check(page, "Add a session, with errors")
    sweep.visit(page, f"/backoffice/sessions/{life.pk}/edit/", "Edit session")
    # The browser's date box shows the session's date (a date in the site's own format
    # would show an empty box, and saving would then ask for the date again).
    assert page.input_value("#id_date") == life.starts_at.astimezone(life.programme.tz).date().isoformat()
    clear_field(page, "id_title")
    clear_field(page, "id_capacity")
    page.keyboard.type("0")
    submit(page, button("Save session"))
    errors_showing(page)
    sweep.check(page, "Edit session, with errors")
    sweep.visit(page, f"/backoffice/sessions/{quiet.pk}/cancel/", "Cancel a session")
    # Its only field (the reason) is optional and limited in length by the browser: it has no errors to show.

    sweep.assert_clean()


def test_booking_pages_have_no_axe_violations(administrator, lifecycle_world):
    page, sweep = administrator
    world = lifecycle_world
    life, big, quiet = world["life"], world["big"], world["quiet"]
    sweep.visit(page, f"/backoffice/sessions/{life.pk}/bookings/", "Bookings")
    type_into(page, "id_q", "Smith")
    press_enter_and_wait_for(page, re.compile(r"/bookings/\?q=Smith"))
    assert "bookings found" in page.get_by_role("status").inner_text()
    sweep.check(page, "Bookings, search results")
    type_into(page, "id_q", "Nobody-by-this-name")
    press_enter_and_wait_for(page, re.compile(r"/bookings/\?q=Nobody"))
    assert page.get_by_role("status").inner_text() == "0 bookings found"
    sweep.check(page, "Bookings, no search results")
    sweep.visit(page, f"/backoffice/sessions/{big.pk}/bookings/?sort=name", "Bookings, sorted, with pages")
    sweep.visit(page, f"/backoffice/sessions/{big.pk}/bookings/?sort=name&page=2", "Bookings, page 2")
    sweep.visit(page, f"/backoffice/sessions/{quiet.pk}/bookings/", "Bookings, none yet")
    sweep.visit(page, f"/backoffice/bookings/{world['confirmed'].pk}/", "Booking")
    sweep.visit(page, f"/backoffice/bookings/{world['cancelled'].pk}/", "Cancelled booking")
    sweep.visit(page, f"/backoffice/bookings/{world['pending'].pk}/", "Booking waiting for approval")
    sweep.visit(page, f"/backoffice/bookings/{world['confirmed'].pk}/cancel/", "Cancel a booking")
    submit(page, button("Yes, cancel the booking"))
    errors_showing(page)
    sweep.check(page, "Cancel a booking, with errors")
    sweep.visit(page, f"/backoffice/sessions/{life.pk}/bookings/new/", "Add a booking")
    submit(page, button("Add booking"))
    errors_showing(page)
    sweep.check(page, "Add a booking, with errors")

    sweep.assert_clean()


def test_approval_waiting_list_and_message_pages_have_no_axe_violations(administrator, lifecycle_world):
    page, sweep = administrator
    life, quiet = lifecycle_world["life"], lifecycle_world["quiet"]
    sweep.visit(page, f"/backoffice/sessions/{life.pk}/approvals/", "Approvals")
    submit(page, button("Approve selected"))
    assert "Select at least one booking" in banner_text(page)
    sweep.check(page, "Approvals, with an error (nothing selected)")
    tab_to(page, "Do not approve the selected bookings")
    page.keyboard.press("Enter")
    sweep.check(page, "Approvals, reason for not approving open")
    sweep.visit(page, f"/backoffice/sessions/{quiet.pk}/approvals/", "Approvals, none waiting")
    sweep.visit(page, f"/backoffice/sessions/{life.pk}/waiting-list/", "Waiting list")
    sweep.visit(page, f"/backoffice/sessions/{quiet.pk}/waiting-list/", "Waiting list, nobody waiting")

    # Messages: write, preview, send, watch the progress.
    sweep.visit(page, f"/backoffice/sessions/{quiet.pk}/message/", "Message attendees, nobody to send to")
    sweep.visit(page, f"/backoffice/sessions/{life.pk}/message/", "Message attendees")
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
    message = lifecycle_world["message"]
    sweep.visit(page, f"/backoffice/messages/{message.pk}/", "Message progress (sent to a programme, one failed)")

    sweep.assert_clean()


def test_people_and_audit_log_pages_have_no_axe_violations(administrator, lifecycle_world):
    page, sweep = administrator
    colleague, me = lifecycle_world["colleague"].pk, lifecycle_world["administrator"].pk
    sweep.visit(page, "/backoffice/people/", "People")
    sweep.visit(page, "/backoffice/people/new/", "Add a person")
    submit(page, button("Add person"))
    errors_showing(page)
    sweep.check(page, "Add a person, with errors")
    sweep.visit(page, f"/backoffice/people/{colleague}/", "Change a person's role")
    sweep.visit(page, f"/backoffice/people/{me}/", "Change your own role")
    tab_to(page, lambda e: e["tag"] == "input" and e["type"] == "radio")
    for _ in range(5):
        if focused_element(page)["name"] == "Viewer":
            break
        page.keyboard.press("ArrowDown")
    submit(page, button("Save"))
    errors_showing(page)
    sweep.check(page, "Change your own role, with errors")
    sweep.visit(page, f"/backoffice/people/{colleague}/switch-off/", "Switch off an account")
    sweep.visit(page, f"/backoffice/people/{me}/switch-off/", "Switch off your own account (refused)")
    tara = lifecycle_world["with_two_factor"].pk
    label = "Reset two-factor, by an administrator without it (refused)"
    sweep.visit(page, f"/backoffice/people/{tara}/two-factor/reset/", label)
    sweep.visit(page, "/backoffice/audit-log/", "Audit log")
    sweep.visit(page, "/backoffice/audit-log/?page=2", "Audit log, page 2")
    page.goto(sweep.site + "/backoffice/audit-log/")
    type_date(page, "id_date_from", date.today())
    type_date(page, "id_date_to", date.today() - timedelta(days=1))
    submit(page, button("Filter"))
    errors_showing(page)
    sweep.check(page, "Audit log, with errors (last day before first)")
    sweep.visit(page, "/backoffice/audit-log/?person=Nobody-by-this-name", "Audit log, nothing matches")

    sweep.assert_clean()


def test_two_factor_pages_of_an_administrator_with_it_have_no_axe_violations(administrator, lifecycle_world):
    """The administrator turns on two-factor, and so may reset a colleague's."""
    page, sweep = administrator
    tara, me = lifecycle_world["with_two_factor"].pk, lifecycle_world["administrator"]
    page.goto(sweep.site + "/backoffice/account/two-factor/")
    pending = TOTPDevice.objects.get(user=me.user, confirmed=False)
    type_into(page, "id_code", f"{totp(pending.bin_key):06d}")
    follow(page, button("Turn on two-factor sign-in"), "**/backoffice/account/recovery-codes/")
    sweep.check(page, "Recovery codes, shown once after turning on two-factor")
    sweep.visit(page, "/backoffice/account/recovery-codes/", "Recovery codes, already shown")
    sweep.visit(page, "/backoffice/account/", "Your account, with two-factor on")
    sweep.visit(page, f"/backoffice/people/{tara}/two-factor/reset/", "Reset a colleague's two-factor")
    follow(page, button("Reset two-factor sign-in"), "**/backoffice/people/")
    sweep.check(page, "People, a colleague's two-factor reset")
    sweep.visit(page, f"/backoffice/people/{tara}/two-factor/reset/", "Reset two-factor, already off")
    sweep.visit(page, f"/backoffice/people/{me.pk}/two-factor/reset/", "Reset your own two-factor (refused)")

    sweep.assert_clean()

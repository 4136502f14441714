"""The "Email sending" page in a real browser, by keyboard alone, checked with axe-core on a
desktop and a phone: choose GOV.UK Notify (after a mistake), save the key and template,
open the templates of particular emails, and send a test that the fake Notify receives."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    choose_with_arrow_keys,
    errors_showing,
    follow,
    link,
    sign_in,
    submit,
)
from bookyourplace.core.testing.browser import DESKTOP, tab_to, type_into
from bookyourplace.notifications.models import NotifySettings

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "hana.ali@coventry.gov.uk"


def test_an_administrator_switches_to_notify_and_sends_a_test_by_keyboard(
    page, live_server, transactional_db, organiser, fake_notify, run_worker
):
    make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ADMIN_EMAIL)
    sweep = AxeSweep(live_server.url)
    sweep.visit(page, "/backoffice/organisation/settings/", "Organisation settings")
    follow(page, link("Email sending (your email server or GOV.UK Notify)"), "**/organisation/email-sending/")
    sweep.check(page, "Email sending")

    # Notify chosen, but no key or template: both explained.
    choose_with_arrow_keys(page, "GOV.UK Notify", options=2)
    submit(page, button("Save email sending"))
    errors_showing(page)
    assert "Enter the GOV.UK Notify API key" in page.locator(".govuk-error-summary").inner_text()
    sweep.check(page, "Email sending, with an error")

    template_id = fake_notify.new_template()
    type_into(page, "id_api_key", fake_notify.api_key)
    type_into(page, "id_default_template_id", template_id)
    submit(page, button("Save email sending"))
    assert "Saved how Coventry Prevent Partnership sends email." in banner_text(page)
    saved = NotifySettings.objects.get(organiser=organiser)
    assert (saved.sending, saved.default_template_id) == ("notify", template_id)
    assert page.locator("#id_api_key").input_value() == ""  # never shown back

    # The templates of particular emails, behind a summary opened with Enter.
    tab_to(page, "Templates for particular emails (optional)")
    page.keyboard.press("Enter")
    assert page.locator("#id_template_reminder").is_visible()
    sweep.check(page, "Email sending, particular templates open")

    # A test email, queued, then sent by the worker through the fake Notify.
    type_into(page, "id_test_to", ADMIN_EMAIL)
    submit(page, button("Send a test email"))
    assert "is on its way" in banner_text(page)
    run_worker()
    page.reload()
    assert "Sent" in page.locator("#test-emails").inner_text()
    (request,) = fake_notify.accepted("email")
    assert (request.body["email_address"], request.template_id) == (ADMIN_EMAIL, template_id)
    sweep.check(page, "Email sending, a test sent")
    sweep.assert_clean()

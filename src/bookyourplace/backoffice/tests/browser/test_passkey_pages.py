"""Passkeys in a real Chromium with its virtual authenticator (DevTools' WebAuthn domain, a
platform authenticator that says yes): add one on Your account, sign out, sign in with the
password and the passkey at the code step; rename and remove one; a browser with no WebAuthn
told so. By keyboard only, with axe-core on every page and state."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    follow,
    link,
    press_enter_and_wait_for,
    sign_in,
    submit,
)
from bookyourplace.core.testing.browser import DESKTOP, tab_to, type_into

pytestmark = pytest.mark.browser

EMAIL = "priya.shah@coventry.gov.uk"


@pytest.fixture
def site(live_server, settings):
    """Passkeys belong to the live server's host (browsers refuse them on an IP address)."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:"), live_server.url
    return live_server.url


def virtual_authenticator(page) -> tuple:
    """A passkey-capable authenticator built into this tab, as a laptop's fingerprint reader is."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def keys_in(cdp, authenticator_id) -> int:
    return len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"])


def add_a_passkey(page) -> None:
    """On Your account: "Add a passkey", the authenticator agrees, and the page moves on."""
    tab_to(page, button("Add a passkey"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/backoffice/account/**")
    page.wait_for_load_state()


def test_a_passkey_added_on_your_account_signs_in_at_the_code_step(page, site, transactional_db, organiser):
    person = make_person(organiser, Role.ORGANISER, email=EMAIL, first_name="Priya", last_name="Shah").user
    page.set_viewport_size(DESKTOP)
    cdp, authenticator = virtual_authenticator(page)
    sweep = AxeSweep(site)
    page.goto(site + "/backoffice/sign-in/")
    sign_in(page, EMAIL)

    # Your account: no passkey yet, the button the library's script put in place.
    follow(page, link("Your account"), "**/backoffice/account/")
    page.locator("#passkey-register-button").wait_for()
    assert "You have no passkeys yet." in page.locator("main").inner_text()
    sweep.check(page, "Your account, no passkey")

    # Added: the first second factor comes with recovery codes, shown once.
    add_a_passkey(page)
    page.wait_for_url("**/account/recovery-codes/")
    assert "Your passkey is added" in banner_text(page)
    assert page.locator("code.byp-key").count() == 10
    assert keys_in(cdp, authenticator) == 1
    saved = WebAuthnCredential.objects.get(user=person)
    assert saved.name == "Passkey 1" and saved.confirmed
    follow(page, button("I have kept my recovery codes"), "**/backoffice/account/")
    table = page.locator("#passkey-list").inner_text()
    assert "Passkey 1" in table and "Not used yet" in table
    sweep.check(page, "Your account, one passkey")

    # Signed out, then in again: the password, then the passkey.
    submit(page, button("Sign out"))
    sign_in(page, EMAIL)
    assert "/backoffice/sign-in/code/" in page.url
    page.locator("#passkey-verification-button").wait_for()
    assert "I cannot use my passkey" in page.locator("main").inner_text()
    sweep.check(page, "The code step, a passkey only")
    tab_to(page, button("Use your passkey"))
    press_enter_and_wait_for(page, site + "/backoffice/")

    assert page.locator("h1").first.inner_text()
    saved.refresh_from_db()
    assert saved.last_used_at is not None
    follow(page, link("Your account"), "**/backoffice/account/")
    assert "Not used yet" not in page.locator("#passkey-list").inner_text()
    sweep.assert_clean()


def test_a_passkey_renamed_and_removed_by_keyboard(page, site, transactional_db, organiser):
    person = make_person(organiser, Role.ORGANISER, email=EMAIL, first_name="Priya", last_name="Shah").user
    app = TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=person, name="Recovery codes").token_set.create(token="abcd2345")
    page.set_viewport_size(DESKTOP)
    cdp, authenticator = virtual_authenticator(page)
    sweep = AxeSweep(site)
    page.goto(site + "/backoffice/sign-in/")
    sign_in(page, EMAIL)
    type_into(page, "id_code", f"{totp(app.bin_key):06d}")
    submit(page, button("Continue"))
    follow(page, link("Your account"), "**/backoffice/account/")

    # With an app and recovery codes already, no new codes: back to Your account.
    add_a_passkey(page)
    page.locator("#passkey-list").wait_for()
    assert "Your passkey is added" in banner_text(page)

    follow(page, lambda e: e["tag"] == "a" and e["name"] == "Rename Passkey 1", "**/rename/")
    sweep.check(page, "Rename a passkey")
    tab_to(page, "id_name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Work laptop")
    submit(page, button("Save the name"))
    assert "Work laptop" in page.locator("#passkey-list").inner_text()

    # The code step offers both: the passkey, or the app's code.
    submit(page, button("Sign out"))
    sign_in(page, EMAIL)
    page.locator("#passkey-verification-button").wait_for()
    assert "Or enter the code from your authenticator app" in page.locator("main").inner_text()
    sweep.check(page, "The code step, a passkey and an app")
    tab_to(page, button("Use your passkey"))
    press_enter_and_wait_for(page, site + "/backoffice/")
    follow(page, link("Your account"), "**/backoffice/account/")

    follow(page, lambda e: e["tag"] == "a" and e["name"] == "Remove Work laptop", "**/remove/")
    sweep.check(page, "Remove a passkey")
    submit(page, button("Remove the passkey"))

    assert "Passkey removed" in banner_text(page)
    assert not WebAuthnCredential.objects.filter(user=person).exists()
    # The passkey this session was verified with is gone, and its verification with it: the
    # app's code, then Your account.
    assert "/backoffice/sign-in/code/" in page.url
    TOTPDevice.objects.filter(pk=app.pk).update(last_t=-1)  # the code used at sign-in, once more
    type_into(page, "id_code", f"{totp(app.bin_key):06d}")
    submit(page, button("Continue"))
    assert "You have no passkeys yet." in page.locator("main").inner_text()
    # Signing in again: the code step asks for the app's code alone.
    submit(page, button("Sign out"))
    sign_in(page, EMAIL)
    assert "Use your passkey" not in page.locator("main").inner_text()
    assert keys_in(cdp, authenticator) == 1  # the browser still holds it: it no longer opens the account
    sweep.assert_clean()


def test_a_browser_without_webauthn_is_told_so(page, site, transactional_db, organiser):
    make_person(organiser, Role.ORGANISER, email=EMAIL)
    page.add_init_script("delete window.PublicKeyCredential;")
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/backoffice/sign-in/")
    sign_in(page, EMAIL)
    page.goto(site + "/backoffice/account/")

    notice = page.locator("#passkey-unsupported")
    notice.wait_for()

    assert "This browser cannot use passkeys: it does not support WebAuthn." in notice.inner_text()
    assert page.locator("#passkey-register-button").count() == 0
    sweep = AxeSweep(site)
    sweep.check(page, "Your account, no WebAuthn")
    sweep.assert_clean()

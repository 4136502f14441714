"""The back office's pages for someone not signed in, through axe-core on a desktop and on a
phone, with their errors showing: signing in, being locked out, resetting a password and
entering a two-factor code."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import button, errors_showing, follow, sign_in, submit
from bookyourplace.core.testing.browser import DESKTOP, type_into

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_out(page, live_server, transactional_db, lifecycle_world):
    """A tab on a desktop, signed out, and a sweep of the pages it opens."""
    page.set_viewport_size(DESKTOP)
    return page, AxeSweep(live_server.url)


def test_sign_in_pages_have_no_axe_violations(signed_out):
    page, sweep = signed_out

    page.goto(sweep.site + "/backoffice/sign-in/")
    sweep.check(page, "Sign in")
    submit(page, button("Sign in"))
    errors_showing(page)
    sweep.check(page, "Sign in, with errors (nothing entered)")
    sign_in(page, "admin@coventry.gov.uk", "not-the-password")
    errors_showing(page)
    sweep.check(page, "Sign in, with errors (wrong password)")
    for _attempt in range(6):  # django-axes locks the account out after 5 failures
        if page.locator("h1").inner_text() == "Too many attempts to sign in":
            break
        sign_in(page, "viewer@coventry.gov.uk", "not-the-password")
    assert page.locator("h1").inner_text() == "Too many attempts to sign in"
    sweep.check(page, "Locked out after too many attempts")

    sweep.assert_clean()


def test_password_reset_pages_have_no_axe_violations(signed_out, lifecycle_world):
    page, sweep = signed_out

    page.goto(sweep.site + "/backoffice/password-reset/")
    sweep.check(page, "Reset your password")
    submit(page, button("Send the link"))
    errors_showing(page)
    sweep.check(page, "Reset your password, with errors")
    type_into(page, "id_email", "sam.jones@coventry.gov.uk")
    follow(page, button("Send the link"), "**/password-reset/sent/")
    sweep.check(page, "Password reset link sent")

    user = lifecycle_world["colleague"].user
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    page.goto(sweep.site + f"/backoffice/password-reset/{uid}/{token}/")
    assert "/set-password/" in page.url
    sweep.check(page, "Choose a new password")
    submit(page, button("Save the new password"))
    errors_showing(page)
    sweep.check(page, "Choose a new password, with errors")
    page.goto(sweep.site + f"/backoffice/password-reset/{uid}/not-a-valid-token/")
    assert page.locator("h1").inner_text() == "This link has expired"
    sweep.check(page, "Password reset link expired")

    sweep.assert_clean()


def test_two_factor_code_pages_have_no_axe_violations(signed_out):
    page, sweep = signed_out

    page.goto(sweep.site + "/backoffice/sign-in/")
    sign_in(page, "totp@coventry.gov.uk")
    assert "/sign-in/code/" in page.url
    sweep.check(page, "Enter your code (two-factor)")
    submit(page, button("Continue"))
    errors_showing(page)
    sweep.check(page, "Enter your code, with errors (nothing entered)")
    type_into(page, "id_code", "000000")
    submit(page, button("Continue"))
    errors_showing(page)
    sweep.check(page, "Enter your code, with errors (wrong code)")

    sweep.assert_clean()

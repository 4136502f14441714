"""The API token pages in a real browser, by keyboard only: from the menu to "API and
webhooks", the form refused with an error summary, a token created, copied with the button
and revoked; axe-core on every page and state, on a phone and on a desktop."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.accounts import api_tokens
from bookyourplace.accounts.models import ApiToken, Role
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
from bookyourplace.privacy.services import Actor, record

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "hana.ali@coventry.gov.uk"


def tick(page, box_id: str) -> None:
    tab_to(page, box_id)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), f"Space did not tick #{box_id}"


@pytest.fixture
def an_expired_token(organiser):
    """A token that ran out yesterday, and a use of it in the audit log."""
    token, _secret = api_tokens.create_token(
        organiser=organiser,
        name="Old dashboard",
        scopes=["read:reports"],
        expires_at=timezone.now() - timedelta(days=1),
        actor=Actor(label="Book Your Place"),
    )
    record(
        actor=Actor(label="API token Old dashboard"),
        action="api_request",
        summary="GET /api/reports 200",
        subject=token,
    )
    return token


def test_an_administrator_creates_copies_and_revokes_a_token_by_keyboard(
    page, live_server, transactional_db, organiser, session, an_expired_token
):
    make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL, first_name="Hana", last_name="Ali")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ADMIN_EMAIL)
    sweep = AxeSweep()

    # From the menu to the page, and on to the form.
    follow(page, link("API and webhooks"), "**/backoffice/integrations/")
    assert "Old dashboard" in page.locator("main").inner_text()
    sweep.check(page, "API and webhooks, an expired token")
    follow(page, button("Create an API token"), "**/integrations/api-tokens/new/")
    sweep.check(page, "Create an API token")

    # Sent empty: each problem in the summary, the focus on it.
    submit(page, button("Create the token"))
    errors_showing(page)
    assert "Enter a name for the token" in page.locator(".govuk-error-summary").inner_text()
    assert not ApiToken.objects.exclude(pk=an_expired_token.pk).exists()
    sweep.check(page, "Create an API token, with errors")

    # Filled in: a name, two things it can do, a year.
    type_into(page, "id_name", "Learning records")
    tick(page, "id_scopes")
    tick(page, "id_scopes_2")
    choose_with_arrow_keys(page, "1 year")
    submit(page, button("Create the token"))

    assert page.locator("h1").inner_text() == "Copy your new API token"
    token = ApiToken.objects.get(name="Learning records")
    assert token.scopes == ["read:bookings", "read:attendance"]
    secret = page.input_value("#api-token")
    assert api_tokens.usable_token(secret) == token
    assert f"Bearer {secret}" in page.input_value("#example-command")
    sweep.check(page, "The new token, shown once")

    # The copy button puts it on the clipboard and says so.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    tab_to(page, button("Copy the token"))
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    sweep.check(page, "The new token, copied")

    # Back to the list, where the secret is not shown again; then revoke it.
    follow(page, button("I have copied the token"), "**/backoffice/integrations/")
    listed = page.locator("main").inner_text()
    assert "Learning records" in listed and secret not in page.content()
    sweep.check(page, "API and webhooks, an active and an expired token")
    follow(page, lambda e: e["tag"] == "a" and e["name"] == "Revoke the token “Learning records”", "**/revoke/")
    sweep.check(page, "Revoke a token")
    submit(page, button("Revoke the token"))

    assert "The API token “Learning records” is revoked." in banner_text(page)
    assert api_tokens.usable_token(secret) is None
    sweep.check(page, "API and webhooks, a token revoked")

    # The other states of the revoke page, and the audit log with the tokens and their use.
    page.goto(f"{live_server.url}/backoffice/integrations/api-tokens/{token.pk}/revoke/")
    assert "This token was revoked on" in page.locator("main").inner_text()
    sweep.check(page, "Revoke a token, already revoked")
    page.goto(f"{live_server.url}/backoffice/integrations/api-tokens/{an_expired_token.pk}/revoke/")
    sweep.check(page, "Revoke a token, expired")
    page.goto(f"{live_server.url}/backoffice/audit-log/")
    log = page.locator("main").inner_text()
    assert "Revoked an API token" in log and "Read /api/reports: done (200)" in log
    sweep.check(page, "Audit log, with API tokens and their use")
    sweep.assert_clean()


def test_without_javascript_the_token_is_there_to_select_and_no_button_promises_a_copy(
    browser, live_server, transactional_db, organiser
):
    make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL)
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/backoffice/sign-in/")
        sign_in(page, ADMIN_EMAIL)
        page.goto(live_server.url + "/backoffice/integrations/api-tokens/new/")
        type_into(page, "id_name", "Learning records")
        tick(page, "id_scopes")
        submit(page, button("Create the token"))

        secret = page.input_value("#api-token")
        assert api_tokens.usable_token(secret) is not None
        assert page.get_by_role("button", name="Copy the token").is_hidden()
        assert "select all the text" in page.locator("#api-token-hint").inner_text()
    finally:
        context.close()

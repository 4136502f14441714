"""Council sign-in in a real browser, by keyboard alone, each page checked with axe-core on a
desktop and a phone: an administrator sets up their council's sign-in (after a mistake), then a
colleague presses "Sign in with ..." and, through the loopback provider, lands on the dashboard;
someone with no role is told so."""

import pytest

from bookyourplace.accounts.models import Role, SignInProvider, StaffMember
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    errors_showing,
    follow,
    link,
    sign_in,
    submit,
)
from bookyourplace.core.testing.browser import DESKTOP, choose_radio, tab_to, type_into
from bookyourplace.core.testing.oidc_provider import CLIENT_ID, CLIENT_SECRET, Person

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "hana.ali@coventry.gov.uk"
BUTTON = "Sign in with Coventry City Council account"


def test_an_administrator_sets_up_council_sign_in_and_a_colleague_uses_it(
    page, live_server, transactional_db, organiser, oidc_provider
):
    make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ADMIN_EMAIL)
    sweep = AxeSweep(live_server.url)

    # From People to Council sign-in, none yet.
    sweep.visit(page, "/backoffice/people/", "People, with the council sign-in link")
    follow(page, link("Council sign-in"), "**/council-sign-in/")
    sweep.check(page, "Council sign-in, none yet")

    # Add one: first with a plain-http issuer elsewhere, then as it should be.
    follow(page, button("Add a council sign-in"), "**/council-sign-in/new/")
    sweep.check(page, "Add a council sign-in")
    type_into(page, "id_name", "Coventry City Council account")
    type_into(page, "id_issuer", "http://login.example.org/tenant/v2.0")
    type_into(page, "id_client_id", CLIENT_ID)
    type_into(page, "id_client_secret", CLIENT_SECRET)
    type_into(page, "id_group_roles", "council-admins = administrator")
    submit(page, button("Add council sign-in"))
    errors_showing(page)
    assert "Enter an issuer URL that starts with https://" in page.locator(".govuk-error-summary").inner_text()
    sweep.check(page, "Add a council sign-in, with errors")
    tab_to(page, "id_issuer")
    page.keyboard.press("Control+A")
    page.keyboard.type(oidc_provider.issuer)
    # The secret is never sent back to the browser: it is typed again after a mistake.
    assert page.locator("#id_client_secret").input_value() == ""
    type_into(page, "id_client_secret", CLIENT_SECRET)
    choose_radio(page, "id_allow_assigned_roles", "Yes, if an administrator has given them a role")
    submit(page, button("Add council sign-in"))
    assert "Council sign-in added" in banner_text(page)
    provider = SignInProvider.objects.get()
    assert (provider.issuer, provider.client_secret) == (oidc_provider.issuer, CLIENT_SECRET)
    sweep.check(page, "A council sign-in")
    submit(page, button("Check the settings"))
    assert "The provider's settings were read" in banner_text(page)
    follow(page, button("Change settings"), "**/edit/")
    sweep.check(page, "Change council sign-in")
    page.go_back()
    follow(page, link("Remove council sign-in"), "**/remove/")
    sweep.check(page, "Remove a council sign-in")
    page.go_back()

    # A colleague new to Book Your Place, in the administrators' group, signs in with it.
    submit(page, button("Sign out"))
    oidc_provider.person = Person(email="sam.jones@coventry.gov.uk", groups=["council-admins"])
    sweep.check(page, "Sign in, with a council sign-in button")
    tab_to(page, button(BUTTON))
    page.keyboard.press("Enter")
    page.wait_for_url("**/backoffice/")
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text()
    assert StaffMember.objects.get(user__email="sam.jones@coventry.gov.uk").role == Role.ADMINISTRATOR

    # Someone with no role is told so, on a page of its own.
    submit(page, button("Sign out"))
    oidc_provider.person = Person(email="new.starter@coventry.gov.uk", groups=[])
    tab_to(page, button(BUTTON))
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in/council/callback/**")
    assert "Your account has no role in Book Your Place yet" in page.locator("h1").inner_text()
    sweep.check(page, "Council sign-in refused: no role")
    follow(page, link("Go back to the sign-in page"), "**/sign-in/")

    sweep.assert_clean()

"""The privacy notice and accessibility statement pages of the back office in a real browser,
by keyboard: reached from Your account, refused with an error summary, saved; axe-core on each,
on a phone and on a desktop."""

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
from bookyourplace.core.testing.browser import type_into
from bookyourplace.programmes.models import AccessibilityStatement, Compliance, PrivacyNotice

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "hana.ali@coventry.gov.uk"


def test_an_administrator_fills_in_the_notice_and_reviews_the_statement_by_keyboard(
    page, live_server, transactional_db, organiser
):
    make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ADMIN_EMAIL)
    sweep = AxeSweep()
    page.goto(live_server.url + "/backoffice/account/")

    # The privacy notice: sent without the data protection officer, then with.
    follow(page, link("Privacy notice"), "**/organiser/privacy-notice/")
    sweep.check(page, "Privacy notice, to fill in")
    submit(page, button("Save privacy notice"))
    errors_showing(page)
    sweep.check(page, "Privacy notice, with an error")
    type_into(page, "id_dpo_email", "dpo@coventry.example")
    submit(page, button("Save privacy notice"))
    assert "The privacy notice has been saved" in banner_text(page)
    assert PrivacyNotice.objects.get().dpo_email == "dpo@coventry.example"
    sweep.check(page, "Privacy notice, saved")

    # The accessibility statement: "fully compliant" with parts listed is refused.
    page.goto(live_server.url + "/backoffice/account/")
    follow(page, link("Accessibility statement"), "**/organiser/accessibility-statement/")
    sweep.check(page, "Accessibility statement, to review")
    choose_with_arrow_keys(page, "Fully compliant")
    submit(page, button("Save and mark as reviewed"))
    errors_showing(page)
    sweep.check(page, "Accessibility statement, with an error")
    choose_with_arrow_keys(page, "Partially compliant")
    submit(page, button("Save and mark as reviewed"))
    assert "marked as reviewed today" in banner_text(page)
    assert AccessibilityStatement.objects.get().compliance == Compliance.PARTIAL

    # The preview: the public statement as people see it.
    follow(page, link("See the accessibility statement as people see it"), "**/organisers/coventry/accessibility/")
    assert "It was last reviewed on" in page.locator("main").inner_text()
    sweep.check(page, "Accessibility statement, public")
    sweep.assert_clean()

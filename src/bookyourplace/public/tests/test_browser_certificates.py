"""Certificates in a real Chromium, with the keyboard only and checked with axe-core: the manage
page with a certificate, the download, the code typed into the lookup form and the
verification page, valid and withdrawn."""

import re

import pytest

from bookyourplace.attendance.models import Outcome
from bookyourplace.certificates.models import Certificate
from bookyourplace.certificates.testing import attended_booking, mark_as
from bookyourplace.core.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    press_enter_and_wait_for,
    tab_to,
    type_into,
    wait_for_focus,
)
from bookyourplace.public.tests.pages import manage_url_for

pytestmark = pytest.mark.browser

on_phone_and_desktop = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@on_phone_and_desktop
def test_certificate_pages_work_by_keyboard_and_have_no_axe_violations(page, viewport, live_server, session):
    page.set_viewport_size(viewport)
    booking = attended_booking(session, "priya.shah@coventry.gov.uk", first_name="Priya", last_name="Shah")

    # The manage page, with the certificate and its code.
    page.goto(live_server.url + manage_url_for(booking))
    page.get_by_role("heading", name="Your certificate").wait_for()
    assert_no_axe_violations(page)
    code = Certificate.objects.get(booking=booking).grouped_code
    assert page.get_by_text(code).is_visible()

    tab_to(page, "Download your certificate of attendance")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(f"{code}.pdf")

    # The lookup form: nothing typed, then the code as someone might type it.
    page.goto(live_server.url + "/certificates/")
    assert_no_axe_violations(page)
    tab_to(page, "Check the certificate")
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    wait_for_focus(page, ".govuk-error-summary")
    assert page.locator(".govuk-error-summary").get_by_text("Enter the certificate code").is_visible()
    assert_no_axe_violations(page)

    type_into(page, "id_code", code.lower().replace("-", " "))
    press_enter_and_wait_for(page, re.compile(rf"/certificates/{code}/$"))
    page.get_by_text("Valid certificate").wait_for()
    assert page.get_by_text("Priya Shah").is_visible()
    assert_no_axe_violations(page)

    # Withdrawn when the attendance is corrected.
    mark_as(booking, Outcome.NO_SHOW)
    page.reload()
    page.get_by_text("This certificate has been withdrawn.").wait_for()
    assert_no_axe_violations(page)

    page.goto(live_server.url + manage_url_for(booking))
    page.get_by_text("Your certificate has been withdrawn").wait_for()
    assert_no_axe_violations(page)

    # The pages that say no.
    assert (
        page.goto(live_server.url + f"/booking/{manage_url_for(booking).split('/')[2]}/certificate.pdf").status == 404
    )
    assert page.get_by_role("heading", name="Your certificate is not available").is_visible()
    assert_no_axe_violations(page)

    assert page.goto(live_server.url + "/certificates/7K3M-9QXD-2F/").status == 404
    assert page.get_by_role("heading", name="No certificate has this code").is_visible()
    assert_no_axe_violations(page)

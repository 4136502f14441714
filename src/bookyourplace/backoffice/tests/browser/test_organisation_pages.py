"""Several organisations in a real browser, by keyboard: an installation administrator adds an
organisation and its first administrator, switches to act for it and changes its settings;
axe-core on each page, on a phone and on a desktop."""

import pytest
from django.contrib.auth.models import User

from bookyourplace.accounts.models import StaffMember
from bookyourplace.accounts.testing import PASSWORD
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    choose_with_arrow_keys,
    clear_field,
    errors_showing,
    follow,
    link,
    sign_in,
    submit,
)
from bookyourplace.core.testing.browser import type_into
from bookyourplace.programmes.models import Organiser

pytestmark = pytest.mark.browser

ROOT_EMAIL = "root@partnership.example"


def test_an_installation_administrator_adds_an_organisation_and_sets_it_up_by_keyboard(
    page, live_server, transactional_db, organiser, programme
):
    User.objects.create_superuser(ROOT_EMAIL, ROOT_EMAIL, PASSWORD)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ROOT_EMAIL)
    sweep = AxeSweep()
    # One organisation so far: nothing to choose between.
    assert "Organisation:" not in page.locator("main").inner_text()

    # The list, then a new organisation: sent with mistakes, then right.
    follow(page, link("Organisations"), "**/backoffice/organisations/")
    sweep.check(page, "Organisations")
    follow(page, button("Add an organisation"), "**/organisations/new/")
    sweep.check(page, "Add an organisation")
    submit(page, button("Add organisation"))
    errors_showing(page)
    sweep.check(page, "Add an organisation, with errors")
    type_into(page, "id_name", "Solihull Prevent")
    type_into(page, "id_slug", "solihull")
    type_into(page, "id_contact_email", "prevent@solihull.example")
    type_into(page, "id_email_sender_name", "Solihull Prevent Team")
    submit(page, button("Add organisation"))
    assert "Now add its first administrator" in banner_text(page)
    solihull = Organiser.objects.get(slug="solihull")
    sweep.check(page, "Add its first administrator")

    # Its first administrator, emailed a link to set their password.
    type_into(page, "id_first_name", "Sam")
    type_into(page, "id_last_name", "Patel")
    type_into(page, "id_email", "sam.patel@solihull.example")
    submit(page, button("Add administrator"))
    assert "Sam Patel is now an administrator of Solihull Prevent" in banner_text(page)
    assert StaffMember.objects.get(user__email="sam.patel@solihull.example").organiser == solihull

    # Acting for the new organisation: the header's "Change", now there are two.
    follow(page, link("Programmes"), "**/backoffice/")
    assert "Organisation: Coventry Prevent Partnership" in page.locator("main").inner_text()
    sweep.check(page, "Programmes, acting for an organisation")
    follow(page, link("Change organisation"), "**/organisation/change/**")
    sweep.check(page, "Change organisation")
    choose_with_arrow_keys(page, "Solihull Prevent", options=2)
    submit(page, button("Continue"))
    assert "You are now working for Solihull Prevent" in banner_text(page)
    assert "Organisation: Solihull Prevent" in page.locator("main").inner_text()

    # Its settings: a colour white text cannot be read on is refused, then the sign-off saved.
    follow(page, link("Settings"), "**/organisation/settings/")
    sweep.check(page, "Organisation settings")
    clear_field(page, "id_brand_colour")
    page.keyboard.type("#ffee00")
    submit(page, button("Save settings"))
    errors_showing(page)
    sweep.check(page, "Organisation settings, with an error")
    clear_field(page, "id_brand_colour")
    page.keyboard.type("#00594f")
    type_into(page, "id_email_sign_off", "With best wishes, the Solihull Prevent team")
    submit(page, button("Save settings"))
    assert "Saved the settings of Solihull Prevent" in banner_text(page)
    solihull.refresh_from_db()
    assert (solihull.brand_colour, solihull.email_sign_off) == (
        "#00594f",
        "With best wishes, the Solihull Prevent team",
    )
    sweep.check(page, "Organisation settings, saved")
    sweep.assert_clean()

"""Importing a flyer in a real browser, by keyboard only: paste another council's flyer, see
the sessions found with what to check, correct a time (first wrongly, then rightly), create
the draft and publish it; axe-core on every page met, on a desktop and on a phone."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    errors_showing,
    follow,
    sign_in,
    submit,
    type_time,
)
from bookyourplace.core.testing.browser import type_into
from bookyourplace.programmes.models import Programme

pytestmark = pytest.mark.browser

ORGANISER_EMAIL = "priya.shah@warwickshire.gov.uk"


def in_person_flyer(first: dt.date) -> str:
    """Two in-person sessions (so publishing needs no joining links); the second has no end time."""
    second = first + dt.timedelta(days=1)
    return (
        "Warwickshire Prevent Partnership\n\n"
        f"{first:%A} {first.day} {first:%B %Y}\n"
        "Understanding Prevent\n10:00 – 12:00\n"
        "In person: Shire Hall, Room 2, Market Square, Warwick CV34 4RL\n\n"
        f"{second:%A} {second.day} {second:%B %Y}\n"
        "Online Harms Workshop\nTime: 2pm\n"
        "In person: Shire Hall, Room 3, Market Square, Warwick CV34 4RL\n"
    )


@pytest.fixture
def organiser_signed_in(page, live_server, transactional_db, organiser):
    make_person(organiser, Role.ORGANISER, email=ORGANISER_EMAIL)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ORGANISER_EMAIL)
    return page


def test_an_organiser_pastes_a_flyer_corrects_a_time_creates_the_draft_and_publishes_it(organiser_signed_in):
    page = organiser_signed_in
    sweep = AxeSweep()
    first_day = timezone.localdate() + dt.timedelta(days=40)

    follow(page, button("Import a flyer"), "**/programmes/import/")
    sweep.check(page, "Import a flyer")

    submit(page, button("Read the flyer"))
    errors_showing(page)
    assert page.locator(".govuk-error-summary").inner_text().endswith("Paste the flyer's text or choose its file")
    sweep.check(page, "Import a flyer, with errors")

    type_into(page, "id_text", in_person_flyer(first_day))
    submit(page, button("Read the flyer"))
    page.get_by_role("heading", name="Check the sessions found").wait_for()
    assert "Online Harms Workshop: No end time" in page.locator("main").inner_text()
    sweep.check(page, "Check the sessions found")

    type_time(page, "id_sessions-1-end", dt.time(13, 0))
    submit(page, button("Check again"))
    errors_showing(page)
    assert (
        page.locator(".govuk-error-summary")
        .inner_text()
        .endswith("Session 2 (Online Harms Workshop): The end time must be after the start time")
    )
    sweep.check(page, "Check the sessions found, with errors")

    type_time(page, "id_sessions-1-end", dt.time(15, 30))
    submit(page, button("Create draft programme"))

    assert re.search(r"/backoffice/programmes/\d+/$", page.url)
    assert "Draft programme created with 2 sessions." in banner_text(page)
    assert "Imported from pasted text on" in page.locator("#programme-source").inner_text()
    programme = Programme.objects.get(title="Warwickshire Prevent Partnership")
    second = programme.sessions.order_by("starts_at").last()
    assert (second.starts_at.astimezone(programme.tz).time(), second.ends_at.astimezone(programme.tz).time()) == (
        dt.time(14, 0),
        dt.time(15, 30),
    )
    sweep.check(page, "The imported programme")

    submit(page, button("Publish"))

    assert "Programme published: people can now book." in banner_text(page)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.PUBLISHED
    sweep.assert_clean()

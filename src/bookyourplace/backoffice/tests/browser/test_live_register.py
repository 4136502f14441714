"""The live register at the door, in a real browser, by keyboard only: find a name, tick them
present with Enter, see the count change without the page reloading, undo with Enter again.
Then axe-core on the register and on the attendance page."""

import re

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Attendance, Method, Outcome
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import button, errors_showing, sign_in, submit
from bookyourplace.bookings.testing import book_people, end_session
from bookyourplace.core.testing.browser import focused_element, tab_to, type_into
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Session

pytestmark = pytest.mark.browser

ORGANISER_EMAIL = "priya.shah@coventry.gov.uk"


def row_button(verb: str, name: str):
    """A tab_to target: the row's one button, "Tick present" or "Undo", for this person."""
    return lambda element: element["tag"] == "button" and element["name"] == f"{verb} {name}"


def count(page, which: str) -> str:
    return page.locator(f'[data-count="{which}"]').inner_text()


@pytest.fixture
def at_the_door(page, live_server, transactional_db, organiser, programme, make_session):
    make_person(organiser, Role.ORGANISER, email=ORGANISER_EMAIL, programmes=(programme,))
    door = make_session(
        title="Understanding Prevent",
        delivery=Session.Delivery.IN_PERSON,
        platform="",
        joining_url="",
        room="Room 1.4",
        venue="Friargate",
    )
    people = book_people(door, [("Alex", "Smith"), ("Bea", "Jones"), ("Sam", "Smithers")])
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ORGANISER_EMAIL)
    return page, door, dict(zip(("alex", "bea", "sam"), people, strict=True))


def test_an_organiser_ticks_and_undoes_by_keyboard_without_the_page_reloading(live_server, at_the_door):
    page, door, people = at_the_door
    page.goto(f"{live_server.url}/backoffice/sessions/{door.pk}/register/")
    page.evaluate("window.notReloaded = true")
    assert (count(page, "expected"), count(page, "checked_in")) == ("3", "0")

    type_into(page, "register-search", "smi")
    page.locator(f"#booking-{people['bea'].pk}").wait_for(state="hidden")
    assert page.locator(f"#booking-{people['alex'].pk}").is_visible()
    page.get_by_role("status").filter(has_text="2 people match your search").wait_for()

    tab_to(page, row_button("Tick present", "Alex Smith"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-count=\"checked_in\"]').innerText === '1'")

    assert focused_element(page)["name"] == "Undo Alex Smith"
    page.locator("[data-register-announcement]").filter(has_text="Alex Smith checked in. 1 of 3 checked in.").wait_for(
        state="attached"
    )
    assert re.fullmatch(
        r"Attended at \d\d:\d\d", page.locator(f"#booking-{people['alex'].pk} [data-register-state]").inner_text()
    )
    marked = Attendance.objects.get(booking=people["alex"])
    assert (marked.outcome, marked.method) == (Outcome.ATTENDED, Method.REGISTER)

    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-count=\"checked_in\"]').innerText === '0'")

    assert focused_element(page)["name"] == "Tick present Alex Smith"
    assert not Attendance.objects.filter(booking=people["alex"]).exists()
    assert page.evaluate("window.notReloaded") is True


def test_the_register_and_attendance_pages_have_no_axe_violations(live_server, at_the_door):
    page, door, people = at_the_door
    attendance.check_in(booking=people["alex"], session=door, actor=Actor(label="Hana Ali"))
    attendance.add_walk_in(session=door, first_name="Dee", last_name="Khan", organisation="NHS", actor=Actor())
    sweep = AxeSweep(live_server.url)

    sweep.visit(page, f"/backoffice/sessions/{door.pk}/register/", "Live register")
    sweep.visit(page, f"/backoffice/sessions/{door.pk}/register/?q=smi", "Live register, searched")
    sweep.visit(page, f"/backoffice/sessions/{door.pk}/register/?q=nobody", "Live register, nobody matches")
    submit(page, button("Add walk-in"))
    errors_showing(page)
    sweep.check(page, "Live register, walk-in with errors")
    sweep.visit(page, f"/backoffice/sessions/{door.pk}/attendance/", "Attendance, before the end")
    end_session(door)
    sweep.visit(page, f"/backoffice/sessions/{door.pk}/attendance/", "Attendance, after the end")

    sweep.assert_clean()

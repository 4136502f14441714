"""The organiser's own questions on the booking form, in a real Chromium with the keyboard
alone: one question of each type answered, a mistake explained in the error summary (checked
with axe-core on a phone and a desktop) with every answer kept, then corrected and booked."""

import pytest

from bookyourplace.bookings.models import Answer, Booking
from bookyourplace.core.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    choose_radio,
    focused_element,
    submit_booking_form,
    tab_to,
    type_into,
    wait_for_focus,
)
from bookyourplace.programmes.models import Question
from bookyourplace.programmes.testing import add_question

pytestmark = pytest.mark.browser

Kind = Question.Kind


def check_both_sizes(page) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_no_axe_violations(page)


def field_value(page, field_id: str) -> str:
    return page.evaluate("id => document.getElementById(id).value", field_id)


def is_checked(page, field_id: str) -> bool:
    return page.evaluate("id => document.getElementById(id).checked", field_id)


def test_an_attendee_answers_every_kind_of_question_by_keyboard(page, live_server, programme, session):
    def add(kind, label, **details):
        return add_question(programme, kind, label, **details)

    diet = add(Kind.SHORT_TEXT, "Your dietary requirements", hint="For example, vegetarian")
    hopes = add(Kind.LONG_TEXT, "What you hope to learn", required=False)
    area = add(Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South"))
    topics = add(Kind.SEVERAL_CHOICES, "Topics to cover", choices=("Online harms", "Referrals"))
    parking = add(Kind.YES_NO, "Do you need a parking space?")
    level3 = add(Kind.DATE, "Date you completed Level 3 training")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + session.get_absolute_url() + "book/")

    # Everything but the area, and a date that does not exist
    type_into(page, "id_first_name", "Alex")
    type_into(page, "id_last_name", "Smith")
    type_into(page, "id_email", "alex.smith@coventry.gov.uk")
    type_into(page, "id_organisation", "Coventry City Council")
    choose_radio(page, "id_sector", "Health")
    type_into(page, "id_job_title", "Social worker")
    type_into(page, f"id_question_{diet.pk}", "Vegetarian")
    type_into(page, f"id_question_{hopes.pk}", "How to make a referral")
    tab_to(page, f"id_question_{topics.pk}")
    page.keyboard.press("Space")
    tab_to(page, f"id_question_{topics.pk}_1")
    page.keyboard.press("Space")
    choose_radio(page, f"id_question_{parking.pk}", "No")
    type_into(page, f"id_question_{level3.pk}", "31")
    type_into(page, f"id_question_{level3.pk}-month", "2")
    type_into(page, f"id_question_{level3.pk}-year", "2025")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    submit_booking_form(page)

    page.locator(".govuk-error-summary").wait_for()
    wait_for_focus(page, ".govuk-error-summary")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select which area you work in" in summary
    assert "Date you completed Level 3 training must be a real date" in summary
    check_both_sizes(page)
    # Every answer is still there
    assert field_value(page, f"id_question_{diet.pk}") == "Vegetarian"
    assert field_value(page, f"id_question_{hopes.pk}") == "How to make a referral"
    assert is_checked(page, f"id_question_{topics.pk}") and is_checked(page, f"id_question_{topics.pk}_1")
    assert is_checked(page, f"id_question_{parking.pk}_1")
    assert field_value(page, f"id_question_{level3.pk}") == "31"

    # The summary's link takes the keyboard to the question
    tab_to(page, "Select which area you work in")
    page.keyboard.press("Enter")
    wait_for_focus(page, f"#id_question_{area.pk}_0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert focused_element(page)["name"] == "South" and is_checked(page, f"id_question_{area.pk}_1")
    tab_to(page, f"id_question_{level3.pk}")
    page.keyboard.press("Control+A")
    page.keyboard.type("27")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    submit_booking_form(page)
    page.wait_for_url("**/book/confirmed/")

    booking = Booking.objects.get()
    assert dict(Answer.objects.filter(booking=booking).values_list("question_label", "value")) == {
        "Your dietary requirements": "Vegetarian",
        "What you hope to learn": "How to make a referral",
        "Which area you work in": "South",
        "Topics to cover": "Online harms\nReferrals",
        "Do you need a parking space?": "No",
        "Date you completed Level 3 training": "2025-03-27",
    }

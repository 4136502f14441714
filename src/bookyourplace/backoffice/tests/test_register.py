"""The live register at the door, without JavaScript (forms that post and come back to the row)
and with it (the same forms answered in JSON), walk-ins, who may tick, and the sign-in sheet."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Attendance, Method, WalkIn
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book_people, numbered_people
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Session

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def door(make_session):
    return make_session(
        title="Understanding Prevent",
        delivery=Session.Delivery.IN_PERSON,
        platform="",
        joining_url="",
        room="Room 1.4",
        venue="Friargate",
        capacity=400,
    )


@pytest.fixture
def people(door):
    return book_people(door, [("Alex", "Smith"), ("Bea", "Jones"), ("Sam", "Smithers")])


def register_url(session, **query):
    url = reverse("backoffice:register", kwargs={"session_id": session.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def tick_url(session):
    return reverse("backoffice:register_tick", kwargs={"session_id": session.pk})


def test_the_register_shows_the_counts_and_everyone_expected_by_surname(client, coordinator, door, people):
    attendance.check_in(booking=people[0], session=door, actor=Actor(label="Hana Ali"))

    page = text_of(client.get(register_url(door)))

    assert "Expected Checked in Walk-ins 3 1 0" in page
    assert page.index("Bea Jones") < page.index("Alex Smith") < page.index("Sam Smithers")
    assert "Alex Smith Coventry City Council Attended at" in page
    assert page.count("Tick present") == 2
    assert page.count("Undo") == 1


def test_searching_by_name_without_javascript_shows_only_those_who_match(client, coordinator, door, people):
    page = text_of(client.get(register_url(door, q="smi")))

    assert "2 people match your search" in page
    assert "Alex Smith" in page and "Sam Smithers" in page
    assert "Bea Jones" not in page


def test_a_tick_without_javascript_comes_back_to_the_row_keeping_the_search(client, coordinator, door, people):
    alex = people[0]

    response = client.post(tick_url(door), {"booking": alex.pk, "action": "present", "q": "smi"})

    assert response.status_code == 302
    assert response.url == register_url(door, q="smi") + f"#booking-{alex.pk}"
    page = text_of(client.get(response.url))
    assert "Alex Smith checked in." in page
    assert "Expected Checked in Walk-ins 3 1 0" in page
    marked = Attendance.objects.get(booking=alex)
    assert (marked.outcome, marked.method, marked.marked_by_label) == ("attended", Method.REGISTER, "Priya Shah")


def test_undo_takes_the_tick_back(client, coordinator, door, people):
    alex = people[0]
    client.post(tick_url(door), {"booking": alex.pk, "action": "present"})

    client.post(tick_url(door), {"booking": alex.pk, "action": "undo"})

    assert not Attendance.objects.filter(booking=alex).exists()
    assert "Expected Checked in Walk-ins 3 0 0" in text_of(client.get(register_url(door)))


def test_a_tick_with_javascript_answers_the_row_the_counts_and_what_to_announce(client, coordinator, door, people):
    alex = people[0]

    answer = client.post(tick_url(door), {"booking": alex.pk, "action": "present"}, **JSON).json()

    assert answer["present"] is True
    assert answer["action"] == "undo"
    assert answer["button"].startswith("Undo")
    assert "Attended" in answer["state_html"]
    assert answer["counts"] == {"expected": 3, "checked_in": 1, "walk_ins": 0, "present": 1}
    assert answer["announcement"] == "Alex Smith checked in. 1 of 3 checked in."

    undone = client.post(tick_url(door), {"booking": alex.pk, "action": "undo"}, **JSON).json()

    assert (undone["present"], undone["action"], undone["counts"]["checked_in"]) == (False, "present", 0)
    assert undone["button"].startswith("Tick present")


def test_a_booking_of_another_session_is_refused(client, coordinator, door, people, make_session):
    elsewhere = book_people(make_session(title="The COM Network"), [("Eve", "Other")])[0]

    answer = client.post(tick_url(door), {"booking": elsewhere.pk, "action": "present"}, **JSON)
    plain = client.post(tick_url(door), {"booking": elsewhere.pk, "action": "present"}, follow=True)

    assert (answer.status_code, answer.json()) == (409, {"error": "This booking is for a different session."})
    assert "This booking is for a different session." in text_of(plain)
    assert not Attendance.objects.exists()


def test_a_cancelled_booking_cannot_be_ticked(client, coordinator, door, people):
    bea = people[1]
    cancel_booking(booking_id=bea.pk, actor=Actor(label="Hana Ali"), by_organiser=True, reason="Cannot come.")

    answer = client.post(tick_url(door), {"booking": bea.pk, "action": "present"}, **JSON)

    assert answer.status_code == 409
    assert answer.json()["error"] == "This booking was cancelled, so it cannot be marked as attended."
    assert not Attendance.objects.exists()


def test_a_viewer_sees_the_register_but_cannot_tick(client, viewer, door, people):
    page = text_of(client.get(register_url(door)))
    refused = client.post(tick_url(door), {"booking": people[0].pk, "action": "present"})

    assert "Alex Smith" in page
    assert "Tick present" not in page
    assert "Add a walk-in" not in page
    assert refused.status_code == 403
    assert not Attendance.objects.exists()


def test_a_walk_in_is_added_and_listed_as_such(client, coordinator, door, people):
    response = client.post(
        reverse("backoffice:register_walk_in", kwargs={"session_id": door.pk}),
        {"first_name": "Dee", "last_name": "Khan", "organisation": "West Midlands Police", "email": ""},
    )

    assert response.url == register_url(door) + "#walk-ins"
    page = text_of(client.get(response.url))
    assert "Dee Khan added as a walk-in." in page
    assert "Dee Khan West Midlands Police Walk-in" in page
    assert "Expected Checked in Walk-ins 3 0 1" in page


def test_a_walk_in_without_a_name_shows_the_error_summary(client, coordinator, door, people):
    response = client.post(
        reverse("backoffice:register_walk_in", kwargs={"session_id": door.pk}),
        {"first_name": "", "last_name": "Khan", "email": "not-an-address"},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert page.startswith("Error: Register: Understanding Prevent")
    assert "There is a problem Enter the walk-in's first name Enter an email address in the correct format" in page
    assert 'href="#id_first_name"' in response.content.decode()
    assert not WalkIn.objects.exists()


def test_a_walk_in_can_be_removed_but_not_from_another_session(client, coordinator, door, make_session):
    actor = Actor(label="Hana Ali")
    dee = attendance.add_walk_in(session=door, first_name="Dee", last_name="Khan", actor=actor)
    other = make_session(title="The COM Network")
    theirs = attendance.add_walk_in(session=other, first_name="Eve", last_name="Other", actor=actor)

    removed = client.post(reverse("backoffice:register_walk_in_remove", args=[door.pk, dee.pk]), follow=True)
    mismatched = client.post(reverse("backoffice:register_walk_in_remove", args=[door.pk, theirs.pk]))

    assert "Dee Khan removed from the walk-ins." in text_of(removed)
    assert mismatched.status_code == 404
    assert list(WalkIn.objects.values_list("first_name", flat=True)) == ["Eve"]


def _queries_for_a_tick(client, session, booking, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(tick_url(session), {"booking": booking.pk, "action": "present"}, **extra)
    assert response.status_code in (200, 302)
    return len(queries)


@pytest.mark.parametrize("extra", [JSON, {}], ids=["with JavaScript", "without"])
def test_a_tick_costs_as_many_queries_for_300_people_as_for_5(client, coordinator, make_session, extra):
    small = make_session(title="Small", capacity=400)
    big = make_session(title="Big", capacity=400)
    few = book_people(small, numbered_people(5))
    many = book_people(big, numbered_people(300))
    attendance.check_in(booking=many[10], session=big, actor=Actor(label="Hana Ali"))
    client.get(register_url(small))  # the session and the user's details cached alike for both

    assert _queries_for_a_tick(client, big, many[150], **extra) == _queries_for_a_tick(client, small, few[3], **extra)


def test_the_sign_in_sheet_downloads_as_a_pdf_and_is_audited(client, coordinator, door, people):
    plain = client.get(reverse("backoffice:sign_in_sheet", kwargs={"session_id": door.pk}))
    organiser = client.get(reverse("backoffice:sign_in_sheet_organiser", kwargs={"session_id": door.pk}))

    for response in (plain, organiser):
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert 'attachment; filename="coventry-prevent-week-' in plain["Content-Disposition"]
    assert plain["Content-Disposition"].endswith('understanding-prevent-sign-in-sheet.pdf"')
    assert list(
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).order_by("pk").values_list("summary", flat=True)
    ) == [
        "Downloaded the sign-in sheet of 'Understanding Prevent' (Coventry Prevent Week)",
        "Downloaded the organiser's copy of the sign-in sheet of 'Understanding Prevent' (Coventry Prevent Week)",
    ]


def test_a_viewer_cannot_download_either_sheet(client, viewer, door, people):
    for name in ("sign_in_sheet", "sign_in_sheet_organiser"):
        assert client.get(reverse(f"backoffice:{name}", kwargs={"session_id": door.pk})).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_the_sheet_takes_as_many_blank_rows_as_asked(client, coordinator, door, people):
    url = reverse("backoffice:sign_in_sheet", kwargs={"session_id": door.pk})

    with_rows = client.get(url)
    without = client.get(url + "?blank_rows=0")

    assert b"%PDF" in with_rows.content[:8] and b"%PDF" in without.content[:8]
    assert len(without.content) < len(with_rows.content)


def _queries_for_the_register(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(register_url(session))
    assert response.status_code == 200
    return len(queries)


def test_the_register_needs_as_many_queries_for_30_people_as_for_3(client, coordinator, make_session):
    actor = Actor(label="Hana Ali")
    small, big = make_session(title="Small", capacity=100), make_session(title="Big", capacity=100)
    for session, size in ((small, 3), (big, 30)):
        booked = book_people(session, numbered_people(size))
        for booking in booked[::2]:
            attendance.check_in(booking=booking, session=session, actor=actor)
        for n in range(size // 3):
            attendance.add_walk_in(session=session, first_name="Walk", last_name=f"In{n}", actor=actor)
    client.get(register_url(small))

    assert _queries_for_the_register(client, big) == _queries_for_the_register(client, small)

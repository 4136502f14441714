"""Who came, as the organiser reads it after the session: every confirmed booking's outcome
however it was marked, corrections by hand, and the email to the no-shows."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.emails import NO_SHOW
from bookyourplace.attendance.models import Attendance, Method, Outcome
from bookyourplace.bookings.testing import book_people, end_session, numbered_people
from bookyourplace.core.testing import text_of
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor

HANA = Actor(label="Hana Ali")


@pytest.fixture
def marked(session, run_worker):
    """Alex ticked at the door, Bea in the Teams report for 40 of 120 minutes, Cai marked a
    no-show by hand, Dee never marked; and a walk-in."""
    alex, bea, cai, dee = book_people(session, [("Alex", "Smith"), ("Bea", "Jones"), ("Cai", "Evans"), ("Dee", "Khan")])
    attendance.check_in(booking=alex, session=session, actor=HANA)
    attendance.mark(
        booking=bea, outcome=Outcome.PARTLY_ATTENDED, method=Method.TEAMS_REPORT, actor=HANA, minutes_present=40
    )
    attendance.mark(booking=cai, outcome=Outcome.NO_SHOW, method=Method.BY_HAND, actor=HANA)
    attendance.add_walk_in(session=session, first_name="Eve", last_name="Walker", organisation="NHS", actor=HANA)
    run_worker()
    mail.outbox.clear()
    return {"alex": alex, "bea": bea, "cai": cai, "dee": dee}


def page_of(client, session) -> str:
    return text_of(client.get(reverse("backoffice:attendance", kwargs={"session_id": session.pk})))


def set_url(session, booking):
    return reverse("backoffice:attendance_set", kwargs={"session_id": session.pk, "booking_id": booking.pk})


def no_show_url(session):
    return reverse("backoffice:no_show_emails", kwargs={"session_id": session.pk})


def test_before_the_end_the_unmarked_are_not_marked_yet(client, coordinator, session, marked):
    page = page_of(client, session)

    assert "Confirmed bookings 4 Attended 1 Partly attended 1 No-show 1 Not marked yet 1 Walk-ins 1" in page
    assert "Dee Khan Coventry City Council Not marked yet" in page
    assert "You can email the no-shows once the session has ended." in page


def test_each_outcome_says_how_when_and_by_whom(client, coordinator, session, marked):
    end_session(session)

    page = page_of(client, session)

    assert "Confirmed bookings 4 Attended 1 Partly attended 1 No-show 2 Walk-ins 1" in page
    assert "Alex Smith Coventry City Council Attended Live register, " in page
    assert "Bea Jones Coventry City Council Partly attended Teams attendance report 40 Hana Ali" in page
    assert "Cai Evans Coventry City Council No-show Set by an organiser Hana Ali" in page
    assert "Dee Khan Coventry City Council No-show Not marked" in page
    assert "Eve Walker, NHS Walk-in" in page


def test_an_organiser_corrects_a_mark_and_it_is_audited(client, coordinator, session, marked):
    bea = marked["bea"]

    response = client.post(set_url(session, bea), {"outcome": Outcome.ATTENDED})

    assert response.url.endswith(f"/attendance/#booking-{bea.pk}")
    assert "Bea Jones: Attended." in text_of(client.get(response.url))
    corrected = Attendance.objects.get(booking=bea)
    assert (corrected.outcome, corrected.method, corrected.minutes_present) == ("attended", "by_hand", 40)
    assert corrected.marked_by_label == "Priya Shah"
    assert AuditEvent.objects.filter(action="attendance.marked").order_by("pk").last().summary == (
        f"{bea.reference} Bea Jones: Partly attended -> Attended (Set by an organiser)"
    )


def test_an_unknown_outcome_is_refused_and_changes_nothing(client, coordinator, session, marked):
    response = client.post(set_url(session, marked["dee"]), {"outcome": "was_there_in_spirit"}, follow=True)

    assert "Select attended, partly attended or no-show" in text_of(response)
    assert not Attendance.objects.filter(booking=marked["dee"]).exists()


def test_a_booking_of_another_session_is_not_found_here(client, coordinator, session, marked, make_session):
    elsewhere = book_people(make_session(title="The COM Network"), [("Fay", "Other")])[0]

    response = client.post(set_url(session, elsewhere), {"outcome": Outcome.ATTENDED})

    assert response.status_code == 404
    assert not Attendance.objects.filter(booking=elsewhere).exists()


def test_a_viewer_reads_the_outcomes_but_cannot_change_them(client, viewer, session, marked):
    end_session(session)

    page = page_of(client, session)
    refused = client.post(set_url(session, marked["dee"]), {"outcome": Outcome.ATTENDED})

    assert "Dee Khan Coventry City Council No-show" in page
    assert "Correct it" not in page
    assert "Email the no-shows" not in page
    assert refused.status_code == 403
    assert client.post(no_show_url(session)).status_code == 403


def test_the_no_shows_are_emailed_once_even_if_the_button_is_pressed_twice(
    client, coordinator, session, marked, run_worker
):
    end_session(session)
    assert "2 people who did not come will be emailed" in page_of(client, session)

    first = client.post(no_show_url(session), follow=True)
    second = client.post(no_show_url(session), follow=True)
    run_worker()

    assert "2 people who did not come are being emailed." in text_of(first)
    assert "Nobody to email: everyone who did not come has been emailed already." in text_of(second)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([marked["cai"].email, marked["dee"].email])
    assert {m.subject for m in mail.outbox} == {f"Sorry we missed you: {session.title}"}
    assert Email.objects.filter(kind=NO_SHOW).count() == 2
    assert "2 people who did not come have been emailed." in page_of(client, session)


def test_the_no_shows_cannot_be_emailed_before_the_session_ends(client, coordinator, session, marked, run_worker):
    response = client.post(no_show_url(session), follow=True)
    run_worker()

    assert "You can email the no-shows once the session has ended." in text_of(response)
    assert mail.outbox == []


def _queries_for_the_page(client, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("backoffice:attendance", kwargs={"session_id": session.pk}))
    assert response.status_code == 200
    return len(queries)


def test_the_page_needs_as_many_queries_for_30_people_as_for_3(client, coordinator, make_session):
    small, big = make_session(title="Small", capacity=100), make_session(title="Big", capacity=100)
    for session, size in ((small, 3), (big, 30)):
        booked = book_people(session, numbered_people(size))
        for booking in booked[::2]:
            attendance.check_in(booking=booking, session=session, actor=HANA)
        attendance.add_walk_in(session=session, first_name="Walk", last_name="In", actor=HANA)
        end_session(session)
    client.get(reverse("backoffice:attendance", kwargs={"session_id": small.pk}))

    assert _queries_for_the_page(client, big) == _queries_for_the_page(client, small)

"""Cancelling through the API, a session's waiting list, and who came."""

import pytest

from bookyourplace.accounts.models import ApiScope
from bookyourplace.api.testing import ApiClient, problem_of
from bookyourplace.attendance.models import Outcome
from bookyourplace.attendance.services import add_walk_in
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.models import Booking
from bookyourplace.feedback import testing as feedback_testing
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM

pytestmark = pytest.mark.django_db


def test_cancelling_frees_the_place_for_the_first_waiting_and_tells_the_attendee(api, make_session):
    session = make_session(capacity=1)
    booked = bookings_testing.book(session, "alex@example.org")
    first = bookings_testing.book(session, "bea@example.org", waiting=True)
    response = api.post(f"/api/bookings/{booked.reference}/cancel", {"reason": "Alex has left the team."})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"] is not None
    assert bookings_testing.status_of(first) == Booking.Status.OFFERED
    assert "cancelled_by_organiser" in bookings_testing.emails_to("alex@example.org")
    entry = AuditEvent.objects.get(action=AuditEvent.Action.CANCELLED_BOOKING)
    assert entry.actor_label == "API token Learning records"
    assert "Alex has left the team." in entry.summary


def test_cancelling_needs_no_body_and_twice_changes_nothing(api, session):
    booked = bookings_testing.book(session, "alex@example.org")
    assert api.post(f"/api/bookings/{booked.reference}/cancel").json()["status"] == "cancelled"
    again = api.post(f"/api/bookings/{booked.reference}/cancel")
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CANCELLED_BOOKING).count() == 1


def test_cancelling_needs_write_bookings(make_token, session):
    booked = bookings_testing.book(session, "alex@example.org")
    reader = ApiClient(make_token([ApiScope.READ_BOOKINGS]))
    assert reader.post(f"/api/bookings/{booked.reference}/cancel").status_code == 403
    assert bookings_testing.status_of(booked) == Booking.Status.CONFIRMED


def test_the_waiting_list_is_in_queue_order(api, make_session):
    session = make_session(capacity=1)
    bookings_testing.book(session, "alex@example.org")
    waiting = [bookings_testing.book(session, f"w{n}@example.org", waiting=True) for n in range(3)]
    Booking.objects.filter(pk=waiting[1].pk).update(status=Booking.Status.CANCELLED)
    body = api.get(f"/api/sessions/{session.pk}/waiting-list").json()
    assert body["session_id"] == session.pk
    assert [(w["position"], w["booking"]["attendee"]["email"]) for w in body["waiting"]] == [
        (1, "w0@example.org"),
        (2, "w2@example.org"),
    ]


def test_attendance_gives_each_confirmed_booking_its_outcome_and_the_walk_ins(make_token, session):
    alex, bea, cai = (
        bookings_testing.book(session, f"{name}@example.org", first_name=name.title(), last_name=surname)
        for name, surname in (("alex", "Smith"), ("bea", "Jones"), ("cai", "Evans"))
    )
    bookings_testing.end_session(session)
    feedback_testing.mark(alex, Outcome.ATTENDED)
    feedback_testing.mark(bea, Outcome.PARTLY_ATTENDED)
    add_walk_in(session=session, first_name="Dee", last_name="Walker", organisation="Coventry Council", actor=SYSTEM)
    response = ApiClient(make_token([ApiScope.READ_ATTENDANCE])).get(f"/api/sessions/{session.pk}/attendance")
    body = response.json()
    assert body["ended"] is True
    outcomes = {m["booking"]: (m["outcome"], m["marked"]) for m in body["marks"]}
    assert outcomes == {
        alex.reference: ("attended", True),
        bea.reference: ("partly_attended", True),
        cai.reference: ("no_show", False),
    }
    assert [m["last_name"] for m in body["marks"]] == ["Evans", "Jones", "Smith"]
    assert [(w["first_name"], w["last_name"]) for w in body["walk_ins"]] == [("Dee", "Walker")]


def test_a_session_not_yet_ended_has_no_outcome_until_marked(api, session):
    booked = bookings_testing.book(session, "alex@example.org")
    [mark] = api.get(f"/api/sessions/{session.pk}/attendance").json()["marks"]
    assert mark["booking"] == booked.reference
    assert mark["outcome"] is None


def test_attendance_needs_read_attendance(make_token, session):
    reader = ApiClient(make_token([ApiScope.READ_BOOKINGS]))
    response = reader.get(f"/api/sessions/{session.pk}/attendance")
    assert response.status_code == 403
    assert "read:attendance" in problem_of(response)["detail"]


def test_an_unknown_session_is_not_found(api, session):
    for path in ("waiting-list", "attendance"):
        assert api.get(f"/api/sessions/{session.pk + 1000}/{path}").status_code == 404
    assert api.get("/api/sessions/0/attendance").status_code == 422

"""Listing bookings: the booking record, filters, and pages that hold still while bookings arrive."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.api.testing import problem_of
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.records import booking_record
from bookyourplace.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_a_booking_is_listed_as_its_record_without_access_needs(api, session):
    booking = bookings_testing.book(session, "alex@example.org", access_needs="A hearing loop")
    body = api.get("/api/bookings").json()
    assert body["next"] is None
    [listed] = body["results"]
    assert listed["reference"] == booking.reference
    assert listed["status"] == "confirmed"
    assert listed["attendee"]["email"] == "alex@example.org"
    assert listed["session"] == {
        "id": session.pk,
        "title": session.title,
        "starts_at": booking_record(booking)["session"]["starts_at"],
        "ends_at": booking_record(booking)["session"]["ends_at"],
        "programme": session.programme.slug,
    }
    assert "hearing loop" not in api.get("/api/bookings").content.decode()
    assert "secret-joining-link" not in api.get("/api/bookings").content.decode()
    assert api.get(f"/api/bookings/{booking.reference}").json() == listed


def test_the_api_gives_the_whole_booking_record_webhooks_send(api, session):
    """A field added to bookings/records.py must be added to api/schemas.py: BookingRecord too,
    or the API would leave it out without a word."""
    booking = bookings_testing.book(session, "alex@example.org")
    booking.refresh_from_db()
    assert api.get(f"/api/bookings/{booking.reference}").json() == booking_record(booking)


def test_filters_narrow_the_list(api, organiser, programme, make_session):
    first, second = make_session(title="First"), make_session(title="Second")
    alex = bookings_testing.book(first, "alex@example.org")
    bea = bookings_testing.book(second, "Bea@Example.org")
    cai = bookings_testing.book(second, "cai@example.org")
    Booking.objects.filter(pk=cai.pk).update(status=Booking.Status.CANCELLED)
    Booking.objects.filter(pk=alex.pk).update(created_at=timezone.now() - timedelta(days=3))
    elsewhere = Programme.objects.create(organiser=organiser, title="Archive", slug="archive", status="published")
    archived = bookings_testing.book(make_session(programme=elsewhere, title="Old"), "dee@example.org")
    Programme.objects.filter(pk=elsewhere.pk).update(status=Programme.Status.ARCHIVED)

    def references(**filters):
        return [b["reference"] for b in api.get("/api/bookings", filters).json()["results"]]

    assert references() == [alex.reference, bea.reference, cai.reference, archived.reference]
    assert references(session=second.pk) == [bea.reference, cai.reference]
    assert references(programme="archive") == [archived.reference]
    assert references(status="cancelled") == [cai.reference]
    assert references(email="BEA@example.org") == [bea.reference]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert references(created_since=since) == [bea.reference, cai.reference, archived.reference]


def test_pages_follow_next_and_hold_still_while_bookings_arrive(api, session):
    booked = [bookings_testing.book(session, f"person{n}@example.org").reference for n in range(5)]
    first = api.get("/api/bookings", {"limit": 2, "session": session.pk}).json()
    assert [b["reference"] for b in first["results"]] == booked[:2]
    assert first["next"].startswith("http://testserver/api/bookings?")
    assert f"session={session.pk}" in first["next"]
    # Someone books between two pages: the next page carries on where the first stopped.
    booked.append(bookings_testing.book(session, "latecomer@example.org").reference)
    seen = [b["reference"] for b in first["results"]]
    link = first["next"]
    while link:
        page = api.get(link.removeprefix("http://testserver")).json()
        seen += [b["reference"] for b in page["results"]]
        link = page["next"]
    assert seen == booked


def test_limit_is_at_most_200(api, session):
    response = api.get("/api/bookings", {"limit": 201})
    assert response.status_code == 422
    [error] = problem_of(response)["errors"]
    assert error["field"] == "limit"
    assert error["location"] == "query"
    assert api.get("/api/bookings", {"limit": 200}).status_code == 200


def test_a_cursor_not_given_by_the_api_is_refused(api, session):
    response = api.get("/api/bookings", {"cursor": "after-42"})
    assert response.status_code == 422
    assert problem_of(response)["errors"][0]["field"] == "cursor"


def test_a_booking_of_an_unknown_reference_is_not_found(api, session):
    response = api.get("/api/bookings/BYP-ZZZZZ")
    assert response.status_code == 404
    assert problem_of(response)["detail"] == "None of your organiser's bookings has this reference."

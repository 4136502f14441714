"""Fair shares under a rush: staff of two schools press "Book" at the same moment, each in
their own request, thread and database connection (a real HTTP server on loopback, as in
test_concurrency.py). Neither school ends up with more than its share, the session is not
overbooked, and everyone else is on the waiting list, not refused."""

import itertools
import time
from collections import Counter

import pytest
from django.db import connection

from bookyourplace.bookings import fair_shares, locking
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.tests.test_concurrency import Rush, rush_booking_form
from bookyourplace.programmes.models import Session

SCHOOLS = ("stmarys.sch.uk", "kingsway.sch.uk")


@pytest.fixture
def capped_session(programme, make_session):
    def make(*, capacity: int, cap: int) -> Session:
        programme.fair_share_cap = cap
        programme.save(update_fields=["fair_share_cap"])
        return make_session(capacity=capacity)

    return make


def rush_from_two_schools(server, session: Session, per_school: int) -> Rush:
    return rush_booking_form(
        server, session, emails=[f"staff{n:02d}@{school}" for n in range(per_school) for school in SCHOOLS]
    )


def places_by_school(session: Session) -> Counter:
    holding = Booking.objects.filter(session=session, status__in=Booking.HOLDING_STATUSES)
    return Counter(email.split("@")[1] for email in holding.values_list("email", flat=True))


def test_a_rush_from_two_schools_gives_each_exactly_its_share_and_the_rest_wait(booking_server, capped_session):
    # Arrange: 10 places, at most 4 per school, 25 staff of each school at once
    session = capped_session(capacity=10, cap=4)

    # Act
    rush = rush_from_two_schools(booking_server, session, per_school=25)

    # Assert: every post answered as a booking made ("Check your email"), none refused
    assert rush.errors == [] and rush.refused == []
    assert len(rush.booked) == 50
    assert places_by_school(session) == {"stmarys.sch.uk": 4, "kingsway.sch.uk": 4}
    waiting = Booking.objects.filter(session=session, status=Booking.Status.WAITING)
    assert waiting.count() == 42
    assert not waiting.filter(fair_share_waiting=False).exists()


def test_a_rush_on_the_last_places_neither_overbooks_nor_breaks_the_share(booking_server, capped_session):
    # Arrange: 6 places, at most 4 per school: the session fills before both have their share
    session = capped_session(capacity=6, cap=4)

    # Act
    rush = rush_from_two_schools(booking_server, session, per_school=20)

    # Assert
    assert rush.errors == []
    by_school = places_by_school(session)
    assert sum(by_school.values()) == 6
    assert max(by_school.values()) <= 4
    # Those refused asked for a place on a session that had become full (no waiting list asked for).
    assert len(rush.booked) + len(rush.refused) == 40


def slow_down_counting_the_share(monkeypatch) -> None:
    """Pause after counting an organisation's places, as test_concurrency.py does after
    counting a session's: without the lock, bookings that counted early commit late."""
    places_held = fair_shares.places_held
    arrivals = itertools.count()

    def slow_places_held(session, key):
        held = places_held(session, key)
        time.sleep(0.05 if next(arrivals) % 2 else 0.5)
        return held

    monkeypatch.setattr(fair_shares, "places_held", slow_places_held)


@pytest.mark.postgres_only
def test_without_the_session_lock_a_rush_breaks_the_share(booking_server, capped_session, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: on SQLite the IMMEDIATE transaction serialises bookings; no row lock to remove.")
    # Arrange
    monkeypatch.setattr(
        locking,
        "lock_session",
        lambda session_id, *, programme=None: Session.objects.select_related("programme").get(pk=session_id),
    )
    slow_down_counting_the_share(monkeypatch)
    session = capped_session(capacity=40, cap=2)

    # Act
    rush = rush_from_two_schools(booking_server, session, per_school=15)

    # Assert: the lock is what keeps the share, so the tests above would notice it gone
    assert rush.errors == []
    assert max(places_by_school(session).values()) > 2

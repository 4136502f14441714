"""Capacity under a rush: many people press "Book" at the same moment and no session is overbooked.

These tests use real threads and a real HTTP server on loopback, so every booking runs in its
own request, thread and database connection, as it does in production. They need committed
data (transactional_db) because the server's threads cannot see a test's open transaction.
"""

import http.client
import itertools
import threading
import time
from dataclasses import dataclass

import pytest
from django.db import connection

from bookyourplace.bookings import locking, services
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing.live_server import (
    REQUEST_TIMEOUT_SECONDS,
    LiveServer,
    book_form_path,
    booking_form,
    csrf_pair,
)
from bookyourplace.programmes.models import Session

BARRIER_TIMEOUT_SECONDS = 30


@pytest.fixture
def postgresql_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: on SQLite the IMMEDIATE transaction serialises bookings; no row lock to remove.")


# --- Firing simultaneous booking form posts --------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    email: str
    kind: str  # "booked", "refused" or "error"
    status: int | None
    snippet: str


@dataclass(frozen=True)
class Rush:
    outcomes: list[Outcome]

    def _of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]

    @property
    def booked(self) -> list[Outcome]:
        return self._of("booked")

    @property
    def refused(self) -> list[Outcome]:
        return self._of("refused")

    @property
    def errors(self) -> list[Outcome]:
        return self._of("error")


def classify(email: str, status: int, location: str, body: str) -> Outcome:
    snippet = " ".join(body.split())[:300]
    if status == 302 and location.endswith("/book/confirmed/"):
        return Outcome(email, "booked", status, location)
    if status == 409 and "fully booked" in body.lower():
        return Outcome(email, "refused", status, snippet)
    return Outcome(email, "error", status, f"Location: {location!r} {snippet}")


def post_booking(
    server: LiveServer, path: str, csrf: tuple[str, str], email: str, barrier: threading.Barrier
) -> Outcome:
    cookie_token, form_token = csrf
    body = booking_form(email, form_token)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie_token}",
        "Connection": "close",
    }
    conn = http.client.HTTPConnection(server.host, server.port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return classify(email, response.status, response.getheader("Location", ""), response.read().decode())
    except Exception as exc:  # a reset, a timeout, a broken barrier: all count as errors
        return Outcome(email, "error", None, repr(exc))
    finally:
        conn.close()


def rush_booking_form(server: LiveServer, session: Session, attempts: int = 0, *, emails: list[str] = ()) -> Rush:
    """Post the booking form `attempts` times at once, from as many threads, each with its own
    email (``emails``, or person000@rush.example...)."""
    emails = list(emails) or [f"person{index:03d}@rush.example" for index in range(attempts)]
    path = book_form_path(session)
    csrf = csrf_pair(server, path)
    barrier = threading.Barrier(len(emails))
    outcomes: list[Outcome | None] = [None] * len(emails)

    def attempt(index: int) -> None:
        outcomes[index] = post_booking(server, path, csrf, emails[index], barrier)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(emails))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_SECONDS + BARRIER_TIMEOUT_SECONDS)
    assert all(not thread.is_alive() for thread in threads), "a booking request never finished"
    return Rush([o for o in outcomes if o is not None])


def confirmed_emails(session: Session) -> list[str]:
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    return sorted(confirmed.values_list("email", flat=True))


# --- Through the booking form ----------------------------------------------------------------------


def test_two_hundred_simultaneous_bookings_fill_exactly_twenty_places(booking_server, make_session):
    # Arrange
    session = make_session(capacity=20)

    # Act
    rush = rush_booking_form(booking_server, session, attempts=200)

    # Assert
    assert rush.errors == []
    assert len(rush.booked) == 20
    assert len(rush.refused) == 180
    assert len(confirmed_emails(session)) == 20
    assert confirmed_emails(session) == sorted(o.email for o in rush.booked)


def widen_the_gap_between_counting_and_booking(monkeypatch) -> None:
    """Pause inside the booking transaction after counting the places taken.

    Every other booking pauses 0.5 s rather than 0.05 s, so bookings that counted early are
    still uncommitted while quicker ones fill the session: the interleaving a missing lock
    lets through, made near-certain instead of left to the scheduler.
    """
    count_places = services.count_places
    arrivals = itertools.count()

    def slow_count_places(session: Session) -> tuple[int, int]:
        counts = count_places(session)
        time.sleep(0.05 if next(arrivals) % 2 else 0.5)
        return counts

    monkeypatch.setattr(services, "count_places", slow_count_places)


def remove_the_session_lock(monkeypatch) -> None:
    def unlocked_session(session_id: int, *, programme=None) -> Session:
        return Session.objects.select_related("programme").get(pk=session_id)

    monkeypatch.setattr(locking, "lock_session", unlocked_session)


@pytest.mark.postgres_only
def test_the_race_is_caught_without_the_lock(postgresql_only, booking_server, make_session, monkeypatch):
    # Arrange
    remove_the_session_lock(monkeypatch)
    widen_the_gap_between_counting_and_booking(monkeypatch)
    session = make_session(capacity=20)

    # Act
    rush = rush_booking_form(booking_server, session, attempts=200)

    # Assert: without the lock the same rush overbooks, so the test above would notice a missing lock
    assert rush.errors == []
    assert len(rush.booked) > 20
    assert len(confirmed_emails(session)) == len(rush.booked)


# --- Straight through the service ------------------------------------------------------------------


def test_fifty_threads_calling_book_place_on_five_places_book_exactly_five(
    transactional_db, make_session, attendee_details
):
    # Arrange
    session = make_session(capacity=5)
    attempts = 50
    barrier = threading.Barrier(attempts)
    results: list[str | None] = [None] * attempts

    def attempt(index: int) -> None:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            attendee = attendee_details(email=f"person{index:02d}@rush.example")
            services.book_place(session_id=session.pk, attendee=attendee)
            results[index] = "booked"
        except services.SessionFull:
            results[index] = "full"
        except Exception as exc:
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]

    # Act
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Assert
    assert sorted(set(results)) == ["booked", "full"]
    assert results.count("booked") == 5
    assert results.count("full") == 45
    assert len(confirmed_emails(session)) == 5

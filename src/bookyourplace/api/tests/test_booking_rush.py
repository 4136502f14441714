"""Capacity through the API: many integrations booking at the same moment never overbook a session.

Real threads and a real HTTP server on loopback, each booking its own request, thread and
database connection, as in production (committed data: the server cannot see a test's
transaction)."""

import http.client
import json
import threading

import pytest

from bookyourplace.accounts.api_tokens import create_token
from bookyourplace.api.testing import booking_body
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing.live_server import REQUEST_TIMEOUT_SECONDS
from bookyourplace.privacy.services import SYSTEM

BARRIER_TIMEOUT_SECONDS = 30


def _rush(server, session, token: str, attempts: int, *, waiting: bool) -> list[tuple[int, str]]:
    barrier = threading.Barrier(attempts)
    outcomes: list[tuple[int, str] | None] = [None] * attempts

    def attempt(index: int) -> None:
        body = json.dumps(booking_body(f"person{index:03d}@rush.example", join_waiting_list=waiting))
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Connection": "close"}
        conn = http.client.HTTPConnection(server.host, server.port, timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            conn.request("POST", f"/api/sessions/{session.pk}/bookings", body=body, headers=headers)
            response = conn.getresponse()
            payload = json.loads(response.read())
            outcomes[index] = (response.status, payload.get("status") if response.status == 201 else payload["type"])
        except Exception as exc:  # a reset, a timeout, a broken barrier: all count as errors
            outcomes[index] = (0, repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_SECONDS + BARRIER_TIMEOUT_SECONDS)
    assert all(not thread.is_alive() for thread in threads), "a booking request never finished"
    return [o for o in outcomes if o is not None]


@pytest.fixture
def rush_token(organiser, transactional_db):
    return create_token(organiser=organiser, name="Rush", scopes=["write:bookings"], expires_at=None, actor=SYSTEM)[1]


def test_forty_simultaneous_api_bookings_fill_exactly_eight_places(booking_server, make_session, rush_token):
    session = make_session(capacity=8)
    outcomes = _rush(booking_server, session, rush_token, attempts=40, waiting=False)
    assert sorted(set(outcomes)) == [(201, "confirmed"), (409, "/api/docs#problem-session-full")]
    assert outcomes.count((201, "confirmed")) == 8
    assert bookings_testing.places_taken(session) == 8


def test_the_rest_of_a_rush_joins_the_waiting_list_when_asked(booking_server, make_session, rush_token):
    session = make_session(capacity=5)
    outcomes = _rush(booking_server, session, rush_token, attempts=25, waiting=True)
    assert sorted(set(outcomes)) == [(201, "confirmed"), (201, "waiting")]
    assert outcomes.count((201, "confirmed")) == 5
    assert bookings_testing.places_taken(session) == 5
    assert Booking.objects.filter(session=session, status=Booking.Status.WAITING).count() == 20

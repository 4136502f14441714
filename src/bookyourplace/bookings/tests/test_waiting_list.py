"""The waiting list: first come, first served, and nobody jumps the queue.

Joining it and leaving it are here; the offers of a freed place are in test_waiting_list_offers.py.

Time is moved by passing ``now=`` to the services; nothing sleeps. The race at the end runs
real threads on real connections, so it needs committed data (transactional_db).
"""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from bookyourplace.bookings import services
from bookyourplace.bookings.availability import State, availability, waiting_position
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, emails_to, status_of
from bookyourplace.notifications.models import Email

BARRIER_TIMEOUT_SECONDS = 30


# --- Joining ----------------------------------------------------------------------------------


def test_joining_the_waiting_list_of_a_full_session_gives_positions_in_order(full_session):
    # Arrange
    _session, _confirmed, waiting = full_session

    # Act
    positions = [waiting_position(booking) for booking in waiting]

    # Assert
    assert [booking.status for booking in waiting] == [Booking.Status.WAITING] * 3
    assert positions == [1, 2, 3]
    assert emails_to("wait1@coventry.gov.uk") == ["waiting_list_joined"]


def test_a_newcomer_cannot_take_a_place_freed_while_people_wait(make_session, now):
    # Arrange: two places, both taken, one person waiting; one place frees and is offered
    session = make_session(capacity=2)
    first = book(session, "first@coventry.gov.uk", now=now)
    book(session, "second@coventry.gov.uk", now=now)
    book(session, "wait1@coventry.gov.uk", now=now, waiting=True)
    book(session, "wait2@coventry.gov.uk", now=now, waiting=True)
    services.cancel_booking(booking_id=first.pk, now=now)

    # Act
    state = availability(session, now=now)
    with pytest.raises(services.SessionFull):
        book(session, "newcomer@coventry.gov.uk", now=now)

    # Assert
    assert state.state == State.FULL
    assert state.waiting == 1
    assert not Booking.objects.filter(email="newcomer@coventry.gov.uk").exists()


def test_a_free_place_with_someone_still_waiting_is_full_for_newcomers(make_session, now):
    # Arrange: a place is free on paper but one person is still waiting for it
    session = make_session(capacity=2)
    book(session, "first@coventry.gov.uk", now=now)
    second = book(session, "second@coventry.gov.uk", now=now)
    book(session, "wait1@coventry.gov.uk", now=now, waiting=True)
    Booking.objects.filter(pk=second.pk).update(status=Booking.Status.CANCELLED)  # freed without passing it on

    # Act
    state = availability(session, now=now)

    # Assert
    assert (state.state, state.places_left, state.waiting) == (State.FULL, 0, 1)
    with pytest.raises(services.SessionFull):
        book(session, "newcomer@coventry.gov.uk", now=now)


# --- Leaving ----------------------------------------------------------------------------------


def test_leaving_the_waiting_list_renumbers_the_positions(client, full_session, now):
    # Arrange
    _session, _confirmed, (first, second, third) = full_session

    # Act
    services.cancel_booking(booking_id=second.pk, now=now)

    # Assert
    assert status_of(second) == Booking.Status.CANCELLED
    assert (waiting_position(first), waiting_position(third)) == (1, 2)
    page = client.get(reverse("public:manage", kwargs={"token": manage_token(third)})).content.decode()
    assert "You are 2nd on the waiting list" in page
    assert "You are 3rd on the waiting list" not in page


def test_leaving_the_waiting_list_offers_nothing(full_session, now):
    # Arrange
    _session, _confirmed, (first, second, _third) = full_session

    # Act: someone waiting leaves; no place was freed
    services.cancel_booking(booking_id=second.pk, now=now)

    # Assert
    assert status_of(first) == Booking.Status.WAITING
    assert not Email.objects.filter(kind="place_offered").exists()


# --- A cancellation and a new booking at the same moment ----------------------------------------


def race_cancel_against_newcomer(session, to_cancel, newcomer_email, join_waiting_list):
    barrier = threading.Barrier(2)
    results = {}

    def cancel():
        try:
            connection.ensure_connection()  # connect first, so both really start together
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            services.cancel_booking(booking_id=to_cancel.pk)
            results["cancel"] = "cancelled"
        except Exception as exc:
            results["cancel"] = repr(exc)
        finally:
            connection.close()

    def newcomer():
        try:
            connection.ensure_connection()  # connect first, so both really start together
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            booking = book(session, newcomer_email, waiting=join_waiting_list)
            results["newcomer"] = booking.status
        except services.SessionFull:
            results["newcomer"] = "full"
        except Exception as exc:
            results["newcomer"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel), threading.Thread(target=newcomer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not thread.is_alive() for thread in threads), "a racing thread never finished"
    return results


def test_a_cancellation_racing_a_new_booking_gives_the_place_to_the_first_person_waiting(
    transactional_db, make_session
):
    outcomes = []
    for attempt in range(10):
        # Arrange: one place, taken; one person waiting
        session = make_session(capacity=1, title=f"Race {attempt}")
        confirmed = book(session, f"confirmed{attempt}@coventry.gov.uk")
        waiting = book(session, f"waiting{attempt}@coventry.gov.uk", waiting=True)
        join = attempt % 2 == 1

        # Act
        results = race_cancel_against_newcomer(session, confirmed, f"newcomer{attempt}@coventry.gov.uk", join)

        # Assert
        assert results["cancel"] == "cancelled"
        assert status_of(waiting) == Booking.Status.OFFERED
        expected_newcomer = Booking.Status.WAITING if join else "full"
        assert results["newcomer"] == expected_newcomer
        newcomer = Booking.objects.filter(session=session, email=f"newcomer{attempt}@coventry.gov.uk")
        assert not newcomer.filter(status__in=Booking.HOLDING_STATUSES).exists()
        assert Booking.objects.filter(session=session, status__in=Booking.HOLDING_STATUSES).count() == 1
        outcomes.append(results["newcomer"])
    assert len(outcomes) == 10

"""The waiting list: first come, first served, and nobody jumps the queue.

Time is moved by passing ``now=`` to the services; nothing sleeps. The race at the end runs
real threads on real connections, so it needs committed data (transactional_db).
"""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings import approvals, services, session_changes, waiting_list
from bookyourplace.bookings.availability import State, availability, waiting_position
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode

ORGANISER = Actor(label="Priya (Prevent coordinator)")
BARRIER_TIMEOUT_SECONDS = 30


def status_of(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def emails_to(address: str) -> list[str]:
    return list(Email.objects.filter(to=address).order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def full_session(make_session, now):
    """One place, taken; three people waiting in the order they joined."""
    session = make_session(capacity=1)
    confirmed = book(session, "first@coventry.gov.uk", now=now)
    waiting = [book(session, f"wait{n}@coventry.gov.uk", now=now, waiting=True) for n in (1, 2, 3)]
    return session, confirmed, waiting


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
    state = availability(session, now)
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
    state = availability(session, now)

    # Assert
    assert (state.state, state.places_left, state.waiting) == (State.FULL, 0, 1)
    with pytest.raises(services.SessionFull):
        book(session, "newcomer@coventry.gov.uk", now=now)


# --- Offers -----------------------------------------------------------------------------------


def test_cancelling_a_confirmed_booking_offers_the_place_to_the_first_person_waiting(full_session, now, run_worker):
    # Arrange
    session, confirmed, (first, second, third) = full_session

    # Act
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    # Assert
    first.refresh_from_db()
    assert first.status == Booking.Status.OFFERED
    assert first.offered_at == now
    assert first.offer_expires_at == now + timedelta(hours=session.programme.offer_hold_hours)
    assert first.offer_expires_at == now + timedelta(hours=24)
    assert (status_of(second), status_of(third)) == (Booking.Status.WAITING, Booking.Status.WAITING)
    assert (waiting_position(second), waiting_position(third)) == (1, 2)
    assert emails_to(first.email) == ["waiting_list_joined", "place_offered"]
    run_worker()
    offers = [m for m in mail.outbox if m.to == [first.email] and m.subject.startswith("A place is free for you")]
    assert len(offers) == 1
    assert manage_token(first) in offers[0].body


def test_an_offer_is_held_for_the_programmes_offer_hold_hours(full_session, now):
    # Arrange
    session, confirmed, (first, *_rest) = full_session
    session.programme.offer_hold_hours = 6
    session.programme.save()

    # Act
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    # Assert
    first.refresh_from_db()
    assert first.offer_expires_at == now + timedelta(hours=6)


def test_an_offer_is_capped_at_the_booking_close(make_session, now):
    # Arrange: booking closes in 5 hours; offers are normally held for 24
    session = make_session(capacity=1, booking_closes_at=now + timedelta(hours=5))
    confirmed = book(session, "first@coventry.gov.uk", now=now)
    waiting = book(session, "wait1@coventry.gov.uk", now=now, waiting=True)

    # Act
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    # Assert
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.OFFERED
    assert waiting.offer_expires_at == now + timedelta(hours=5)
    assert waiting.offer_expires_at == session.booking_closes_at


def test_accepting_an_offer_before_it_runs_out_confirms_the_place_and_sends_the_invite(full_session, now, run_worker):
    # Arrange
    session, confirmed, (first, *_rest) = full_session
    services.cancel_booking(booking_id=confirmed.pk, now=now)
    mail.outbox.clear()

    # Act
    accepted = waiting_list.accept_offer(booking_id=first.pk, now=now + timedelta(hours=23, minutes=59))

    # Assert
    assert accepted.status == Booking.Status.CONFIRMED
    assert status_of(first) == Booking.Status.CONFIRMED
    assert emails_to(first.email) == ["waiting_list_joined", "place_offered", "confirmation"]
    run_worker()
    subject = f"Booking confirmed: {session.title}"
    confirmations = [m for m in mail.outbox if m.to == [first.email] and m.subject == subject]
    assert len(confirmations) == 1
    assert [attachment[0] for attachment in confirmations[0].attachments] == ["invite.ics"]
    assert session.joining_url in confirmations[0].body


def test_accepting_an_offer_after_it_ran_out_is_refused(full_session, now):
    # Arrange
    _session, confirmed, (first, *_rest) = full_session
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    # Act / Assert
    with pytest.raises(services.OfferNotOpen):
        waiting_list.accept_offer(booking_id=first.pk, now=now + timedelta(hours=24))
    assert status_of(first) == Booking.Status.OFFERED
    assert "confirmation" not in emails_to(first.email)


def test_accepting_an_offer_twice_is_refused_the_second_time(full_session, now):
    # Arrange
    _session, confirmed, (first, *_rest) = full_session
    services.cancel_booking(booking_id=confirmed.pk, now=now)
    waiting_list.accept_offer(booking_id=first.pk, now=now)

    # Act / Assert
    with pytest.raises(services.OfferNotOpen):
        waiting_list.accept_offer(booking_id=first.pk, now=now)
    assert emails_to(first.email).count("confirmation") == 1


def test_a_waiting_person_cannot_accept_without_an_offer(full_session, now):
    _session, _confirmed, (first, *_rest) = full_session

    with pytest.raises(services.OfferNotOpen):
        waiting_list.accept_offer(booking_id=first.pk, now=now)

    assert status_of(first) == Booking.Status.WAITING


def test_a_chain_of_three_expiring_offers_ends_with_the_fourth_person_confirmed(make_session, now):
    # Arrange: capacity 1, one confirmed, four waiting
    session = make_session(capacity=1)
    confirmed = book(session, "first@coventry.gov.uk", now=now)
    queue = [book(session, f"wait{n}@coventry.gov.uk", now=now, waiting=True) for n in (1, 2, 3, 4)]
    services.cancel_booking(booking_id=confirmed.pk, now=now)
    hold = timedelta(hours=24)

    # Act: each offer runs out in turn
    expired = [waiting_list.expire_offers(now=now + hold * n) for n in (1, 2, 3)]
    fourth = queue[3]
    fourth.refresh_from_db()
    offered_until = fourth.offer_expires_at
    accepted = waiting_list.accept_offer(booking_id=fourth.pk, now=now + hold * 3 + timedelta(hours=1))

    # Assert
    assert expired == [1, 1, 1]
    assert offered_until == now + hold * 4
    assert [status_of(b) for b in queue] == [
        Booking.Status.OFFER_EXPIRED,
        Booking.Status.OFFER_EXPIRED,
        Booking.Status.OFFER_EXPIRED,
        Booking.Status.CONFIRMED,
    ]
    assert accepted.status == Booking.Status.CONFIRMED
    for person in queue[:3]:
        assert emails_to(person.email) == ["waiting_list_joined", "place_offered", "offer_expired"]
    assert emails_to(fourth.email) == ["waiting_list_joined", "place_offered", "confirmation"]
    assert Booking.objects.filter(session=session, status__in=Booking.HOLDING_STATUSES).count() == 1


def test_expiring_offers_before_they_run_out_changes_nothing(full_session, now):
    _session, confirmed, (first, *_rest) = full_session
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    expired = waiting_list.expire_offers(now=now + timedelta(hours=23, minutes=59))

    assert expired == 0
    assert status_of(first) == Booking.Status.OFFERED


def test_declining_an_offer_passes_the_place_to_the_next_person(full_session, now):
    # Arrange
    _session, confirmed, (first, second, _third) = full_session
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    # Act
    services.cancel_booking(booking_id=first.pk, now=now + timedelta(hours=1))

    # Assert
    assert status_of(first) == Booking.Status.CANCELLED
    assert status_of(second) == Booking.Status.OFFERED
    second.refresh_from_db()
    assert second.offer_expires_at == now + timedelta(hours=25)


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


# --- Other ways a place frees -----------------------------------------------------------------


def test_confirm_from_waiting_list_gives_the_freed_place_straight_away(make_session, now, run_worker):
    # Arrange
    session = make_session(capacity=1, confirm_from_waiting_list=True)
    confirmed = book(session, "first@coventry.gov.uk", now=now)
    waiting = book(session, "wait1@coventry.gov.uk", now=now, waiting=True)

    # Act
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    # Assert
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
    assert waiting.offer_expires_at is None
    assert emails_to(waiting.email) == ["waiting_list_joined", "confirmation"]


def test_raising_the_capacity_by_two_offers_two_places(full_session):
    # Arrange
    session, _confirmed, (first, second, third) = full_session

    # Act
    session_changes.change_session(session_id=session.pk, capacity=3, actor=ORGANISER)

    # Assert
    assert [status_of(b) for b in (first, second, third)] == [
        Booking.Status.OFFERED,
        Booking.Status.OFFERED,
        Booking.Status.WAITING,
    ]
    assert waiting_position(third) == 1
    assert Email.objects.filter(kind="place_offered").count() == 2


def test_rejecting_a_pending_booking_offers_its_place_to_the_queue(make_session, programme, now):
    # Arrange: every booking needs approval; the one place is held by a pending booking
    programme.approval_mode = ApprovalMode.APPROVAL
    programme.save()
    session = make_session(capacity=1)
    pending = book(session, "first@coventry.gov.uk", now=now)
    waiting = book(session, "wait1@coventry.gov.uk", now=now, waiting=True)

    # Act
    approvals.reject_booking(booking_id=pending.pk, reason="Not in our area", actor=ORGANISER, now=now)

    # Assert
    assert status_of(pending) == Booking.Status.REJECTED
    assert status_of(waiting) == Booking.Status.OFFERED


def test_offers_never_outlive_the_booking_close(make_session, now):
    # Arrange: booking closes in 30 hours; three people waiting; offers held for 24 hours
    closes = now + timedelta(hours=30)
    session = make_session(capacity=1, booking_closes_at=closes)
    confirmed = book(session, "first@coventry.gov.uk", now=now)
    first, second, third = [book(session, f"wait{n}@coventry.gov.uk", now=now, waiting=True) for n in (1, 2, 3)]
    services.cancel_booking(booking_id=confirmed.pk, now=now)

    # Act: the first offer runs out; the next is cut short by the close; then booking closes
    waiting_list.expire_offers(now=now + timedelta(hours=24))
    second.refresh_from_db()
    second_offer_ends = second.offer_expires_at
    waiting_list.expire_offers(now=closes)

    # Assert
    assert second_offer_ends == closes
    assert status_of(second) == Booking.Status.OFFER_EXPIRED
    assert status_of(third) == Booking.Status.WAITING  # booking has closed: no more offers
    assert not Booking.objects.filter(status=Booking.Status.OFFERED, offer_expires_at__gt=closes).exists()
    with pytest.raises(services.OfferNotOpen):
        waiting_list.accept_offer(booking_id=second.pk, now=closes)


def test_no_offer_is_made_once_booking_has_closed(make_session, now):
    # Arrange
    closes = now + timedelta(hours=2)
    session = make_session(capacity=1, booking_closes_at=closes)
    confirmed = book(session, "first@coventry.gov.uk", now=now)
    waiting = book(session, "wait1@coventry.gov.uk", now=now, waiting=True)

    # Act: an organiser cancels the confirmed booking after booking closed
    services.cancel_booking(booking_id=confirmed.pk, by_organiser=True, now=closes + timedelta(minutes=1))

    # Assert
    assert status_of(waiting) == Booking.Status.WAITING
    assert not Email.objects.filter(kind="place_offered").exists()


def test_an_offer_on_a_cancelled_session_runs_out_without_telling_the_person_it_went_to_someone_else(full_session, now):
    # Arrange: a place is offered, then the organiser cancels the whole session
    session, confirmed, (first, *_rest) = full_session
    services.cancel_booking(booking_id=confirmed.pk, now=now)
    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER, reason="Trainer unwell")

    # Act
    expired = waiting_list.expire_offers(now=now + timedelta(hours=24))

    # Assert: they were told the session is cancelled, and nothing after that
    assert expired == 1
    assert status_of(first) == Booking.Status.OFFER_EXPIRED
    assert emails_to(first.email) == ["waiting_list_joined", "place_offered", "session_cancelled"]


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

"""Offers from the waiting list: a freed place goes to the first person waiting, held for
them for the programme's hours (never past the booking close), then to the next.

Time is moved by passing ``now=`` to the services; nothing sleeps.
"""

from datetime import timedelta

import pytest
from django.core import mail

from bookyourplace.bookings import approvals, expiry, services, session_changes, waiting_list
from bookyourplace.bookings.availability import waiting_position
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, emails_to, status_of
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode

ORGANISER = Actor(label="Priya (Prevent coordinator)")


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
    expired = [expiry.expire_offers(now=now + hold * n) for n in (1, 2, 3)]
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

    expired = expiry.expire_offers(now=now + timedelta(hours=23, minutes=59))

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
    expiry.expire_offers(now=now + timedelta(hours=24))
    second.refresh_from_db()
    second_offer_ends = second.offer_expires_at
    expiry.expire_offers(now=closes)

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
    expired = expiry.expire_offers(now=now + timedelta(hours=24))

    # Assert: they were told the session is cancelled, and nothing after that
    assert expired == 1
    assert status_of(first) == Booking.Status.OFFER_EXPIRED
    assert emails_to(first.email) == ["waiting_list_joined", "place_offered", "session_cancelled"]

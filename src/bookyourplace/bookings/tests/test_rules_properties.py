"""The booking rules hold whatever order things happen in.

Hypothesis drives one session through random sequences of bookings, cancellations, waiting
list joins, accepted and expired offers, approvals, rejections, capacity changes, email
addresses confirmed and places held for them released (issue 10, point 5), with or without
a cap on each organisation's places (fair shares, issue 19, point 3), while
a virtual clock moves forward (``now=`` is passed to every service that takes it). After
every step the invariants below must hold. A refusal (a BookingError, or a capacity change
refused because people already hold the places) is an expected answer; anything else fails.

The services commit for real (transactional_db), so the partial unique index and the row
locks are the ones production uses; each run of the machine makes and removes its own
organiser, programme and session.
"""

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis.stateful import invariant, precondition, run_state_machine_as_test

from bookyourplace.bookings.availability import waiting_position
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.tests.booking_story import SessionStory

# Sized to run in well under a minute per database; raise BYP_PROPERTY_EXAMPLES to search longer.
STEPS = 30
EXAMPLES = int(os.environ.get("BYP_PROPERTY_EXAMPLES", "25"))


class BookingRules(SessionStory):
    """The session's story (booking_story.py), checked after every step."""

    # --- Invariants ---------------------------------------------------------------------------
    # One snapshot of the session and its bookings per step, checked seven ways.

    @precondition(lambda self: self.session is not None)
    @invariant()
    def rules_hold(self):
        session = self.fresh_session()
        everyone = self.bookings()
        self.places_never_overbooked(session, everyone)
        self.waiting_positions_follow_join_order(everyone)
        self.one_active_booking_per_email(everyone)
        self.nobody_waits_while_a_place_is_free(session, everyone)
        self.no_organisation_over_its_share(session, everyone)
        self.offers_run_out_by_the_time_booking_closes(session, everyone)
        self.unconfirmed_holds_run_out_by_the_start(session, everyone)
        for status in {b.status for b in everyone}:
            event(f"state: someone {status}")

    def places_never_overbooked(self, session, everyone):
        holding = Counter(b.status for b in everyone if b.holds_a_place)
        assert sum(holding.values()) <= session.capacity, (holding, session.capacity)

    def waiting_positions_follow_join_order(self, everyone):
        waiting = [b for b in everyone if b.is_waiting]
        position = {b.pk: waiting_position(b) for b in waiting}
        by_position = sorted(waiting, key=lambda b: position[b.pk])
        assert [position[b.pk] for b in by_position] == list(range(1, len(waiting) + 1))
        waiting_ids = {b.pk for b in waiting}
        assert [b.pk for b in by_position] == [pk for pk in self.joined if pk in waiting_ids]

    def one_active_booking_per_email(self, everyone):
        emails = Counter(b.email for b in everyone if b.status in Booking.ACTIVE_STATUSES)
        assert all(count == 1 for count in emails.values()), emails

    def nobody_waits_while_a_place_is_free(self, session, everyone):
        """...unless their organisation already holds its fair share (and they are marked so,
        leaving the free places open to other organisations)."""
        taken = sum(1 for b in everyone if b.holds_a_place)
        if self.booking_is_open(session) and taken < session.capacity:
            for booking in everyone:
                if booking.is_waiting:
                    assert booking.fair_share_waiting, (taken, session.capacity)
                    assert self.has_its_share(session, booking.organisation_key, everyone), booking.organisation_key

    def no_organisation_over_its_share(self, session, everyone):
        cap = session.programme.fair_share_cap
        if cap is None:
            return
        held = Counter(b.organisation_key for b in everyone if b.holds_a_place and b.organisation_key)
        assert all(n <= cap for n in held.values()), (held, cap)

    def offers_run_out_by_the_time_booking_closes(self, session, everyone):
        for booking in everyone:
            if booking.is_offered:
                assert booking.offer_expires_at is not None and booking.offered_at is not None
                assert booking.offered_at <= booking.offer_expires_at <= session.closes_at

    def unconfirmed_holds_run_out_by_the_start(self, session, everyone):
        for booking in everyone:
            if booking.is_unconfirmed_email:
                assert booking.hold_expires_at is not None and booking.hold_expires_at <= session.starts_at
                assert session.confirms_email_first


@pytest.mark.django_db(transaction=True)
def test_booking_rules_hold_whatever_happens():
    run_state_machine_as_test(
        BookingRules,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )

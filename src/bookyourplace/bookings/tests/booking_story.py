"""One session's story, step by step, for the property test of the booking rules
(test_rules_properties.py): its set-up and tear-down, and every step the people booking, the
organiser, the worker and the clock can take, each checking the answer it gets.

The session's rules (what must hold after every step) are in the test module.
"""

import uuid
from datetime import timedelta
from unittest import mock

from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from bookyourplace.bookings import approvals, email_confirmation, expiry, services, session_changes, waiting_list
from bookyourplace.bookings.attendees import AttendeeDetails
from bookyourplace.bookings.eligibility import needs_approval
from bookyourplace.bookings.errors import (
    AlreadyBooked,
    BookingClosed,
    BookingError,
    CancellationNotAllowed,
    EmailConfirmationNotOpen,
    OfferNotOpen,
    SessionFull,
)
from bookyourplace.bookings.fair_shares import organisation_key
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import attendee_details
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.errors import InvalidSessionDetails
from bookyourplace.programmes.models import ApprovalMode, EmailConfirmation, Organiser, Programme, Session

ORGANISER = Actor(label="Priya (Prevent coordinator)")

# A small pool, so the same person books twice; case and spaces differ but the address is one.
EMAILS = [
    "ana@coventry.gov.uk",
    "ANA@Coventry.gov.uk ",
    "ben@stmarys.sch.uk",
    "cat@nhs.net",
    "dev@gmail.com",
    "eli@police.uk",
    "fay@warwickshire.gov.uk",
    "gus@youth.coventry.gov.uk",
    "hal@example.org",
    "ivy@nhs.net",
    "jo@kingsway.sch.uk",
    "kai@wmfs.net",
    "lee@coventry.gov.uk",
    "mo@gmail.com",
    "Mo@GMAIL.com",
]
TRUSTED_DOMAINS = "coventry.gov.uk\n*.sch.uk"


class SessionStory(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.session = None
        self.programme = None
        self.organiser = None
        self.joined = []  # booking ids in the order they joined the waiting list
        self.now = timezone.now()

    # --- Set-up and tear-down -----------------------------------------------------------------

    @initialize(
        capacity=st.integers(1, 6),
        approval_mode=st.sampled_from(list(ApprovalMode)),
        mode_on_session=st.booleans(),
        # Offers are where most can go wrong, so two sessions in three make them.
        confirm_from_waiting_list=st.sampled_from([False, True, False]),
        offer_hold_hours=st.integers(1, 48),
        cancellation_cutoff_hours=st.integers(0, 48),
        starts_in_hours=st.integers(24, 200),
        closes_before_start_hours=st.none() | st.integers(1, 23),
        already_booked=st.integers(0, 10),
        email_confirmation=st.sampled_from(list(EmailConfirmation)),
        # Fair shares: at most this many places per organisation (the pool's addresses make a
        # few: coventry.gov.uk twice, and four people at shared domains who typed one name).
        fair_share_cap=st.none() | st.integers(1, 3),
    )
    def create_session(
        self,
        capacity,
        approval_mode,
        mode_on_session,
        confirm_from_waiting_list,
        offer_hold_hours,
        cancellation_cutoff_hours,
        starts_in_hours,
        closes_before_start_hours,
        already_booked,
        email_confirmation,
        fair_share_cap,
    ):
        suffix = uuid.uuid4().hex[:10]
        self.organiser = Organiser.objects.create(
            name="Property Partnership", slug=f"property-{suffix}", contact_email="prevent@coventry.example"
        )
        self.programme = Programme.objects.create(
            organiser=self.organiser,
            title="Property Week",
            slug=f"property-week-{suffix}",
            status=Programme.Status.PUBLISHED,
            approval_mode=ApprovalMode.OPEN if mode_on_session else approval_mode,
            trusted_domains="" if mode_on_session else TRUSTED_DOMAINS,
            offer_hold_hours=offer_hold_hours,
            cancellation_cutoff_hours=cancellation_cutoff_hours,
            email_confirmation=email_confirmation,
            fair_share_cap=fair_share_cap,
        )
        starts = (self.now + timedelta(hours=starts_in_hours)).replace(second=0, microsecond=0)
        self.session = Session.objects.create(
            programme=self.programme,
            title="Self-Initiated Terrorism",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            delivery=Session.Delivery.ONLINE,
            platform="Microsoft Teams",
            joining_url="https://teams.microsoft.com/l/meetup-join/secret-joining-link",
            capacity=capacity,
            booking_closes_at=None
            if closes_before_start_hours is None
            else starts - timedelta(hours=closes_before_start_hours),
            approval_mode=approval_mode if mode_on_session else "",
            trusted_domains=TRUSTED_DOMAINS if mode_on_session else "",
            confirm_from_waiting_list=confirm_from_waiting_list,
        )
        event(f"session: {'confirmed' if confirm_from_waiting_list else 'offered'} from the waiting list")
        event(f"session: {'no cap' if fair_share_cap is None else 'a fair-share cap'}")
        # Start part-way through the story: some places taken and, perhaps, people waiting.
        for email in EMAILS[:already_booked]:
            self._book(email, True)

    def teardown(self):
        if self.session is not None:
            Booking.objects.filter(session=self.session).delete()  # emails go with them
            # The audit log cannot be deleted from (privacy's trigger); its rows name this
            # example's programme only, and the test's flush empties the table at the end.
            self.session.delete()
        if self.programme is not None:
            self.programme.delete()
        if self.organiser is not None:
            self.organiser.delete()
        DBTaskResult.objects.all().delete()

    # --- Helpers ------------------------------------------------------------------------------

    def fresh_session(self) -> Session:
        return Session.objects.select_related("programme").get(pk=self.session.pk)

    def bookings(self, *statuses):
        queryset = Booking.objects.filter(session=self.session)
        if statuses:
            queryset = queryset.filter(status__in=statuses)
        return list(queryset.order_by("pk"))

    def taken(self) -> int:
        return Booking.objects.filter(session=self.session, status__in=Booking.HOLDING_STATUSES).count()

    def has_its_share(self, session: Session, key: str, active: list[Booking]) -> bool:
        """Whether the organisation already holds as many places as the programme's cap."""
        cap = session.programme.fair_share_cap
        return (
            bool(key) and cap is not None and sum(b.organisation_key == key for b in active if b.holds_a_place) >= cap
        )

    def booking_is_open(self, session: Session) -> bool:
        return not session.is_cancelled and self.now < session.closes_at

    def pick(self, data, likely, everyone):
        """Mostly a booking the action fits (``likely``); sometimes any, to be refused."""
        if likely and data.draw(st.integers(0, 3), label="fits") > 0:
            return data.draw(st.sampled_from(likely), label="booking")
        return data.draw(st.sampled_from(everyone), label="any booking")

    def attendee(self, email: str) -> AttendeeDetails:
        return attendee_details(email, first_name="Pat", last_name="Tester")

    # --- Rules --------------------------------------------------------------------------------

    def _book(self, email: str, join_waiting_list: bool):
        session = self.fresh_session()
        normalised = services.normalise_email(email)
        active = self.bookings(*Booking.ACTIVE_STATUSES)
        already = any(b.email == normalised for b in active)
        # People waiting only for their organisation's share leave free places open to others.
        full = sum(1 for b in active if b.holds_a_place) >= session.capacity or any(
            b.is_waiting and not b.fair_share_waiting for b in active
        )
        details = self.attendee(email)
        held_back = self.has_its_share(session, organisation_key(normalised, details.organisation), active)
        try:
            booking = services.book_place(
                session_id=session.pk,
                attendee=details,
                join_waiting_list=join_waiting_list,
                now=self.now,
            )
        except BookingError as refusal:
            event(f"book: refused ({type(refusal).__name__})")
            if not self.booking_is_open(session):
                assert isinstance(refusal, BookingClosed), refusal
            elif full and not join_waiting_list:
                # Booked or not, the answer is the same (issue 10, point 7).
                assert isinstance(refusal, SessionFull), refusal
            elif already:
                assert isinstance(refusal, AlreadyBooked), refusal
            else:
                assert isinstance(refusal, SessionFull) and full and not join_waiting_list, refusal
            return
        event(f"book: {booking.status}")
        assert self.booking_is_open(session) and not already
        assert booking.email == normalised
        if full:
            assert booking.status == Booking.Status.WAITING and not booking.fair_share_waiting
            self.joined.append(booking.pk)
        elif held_back:
            event("book: waiting for the organisation's fair share")
            assert booking.status == Booking.Status.WAITING and booking.fair_share_waiting
            self.joined.append(booking.pk)
        elif session.confirms_email_first:
            assert booking.status == Booking.Status.UNCONFIRMED_EMAIL
        elif needs_approval(session, normalised):
            assert booking.status == Booking.Status.PENDING
        else:
            assert booking.status == Booking.Status.CONFIRMED

    def pick_email(self, data) -> str:
        """Mostly someone not yet on the session; sometimes anyone, so people book twice."""
        on_the_list = {b.email for b in self.bookings(*Booking.ACTIVE_STATUSES)}
        newcomers = [e for e in EMAILS if services.normalise_email(e) not in on_the_list]
        if newcomers and data.draw(st.integers(0, 3), label="newcomer") > 0:
            return data.draw(st.sampled_from(newcomers), label="email")
        return data.draw(st.sampled_from(EMAILS), label="any email")

    @precondition(lambda self: self.session is not None)
    @rule(data=st.data(), join_waiting_list=st.booleans())
    def book(self, data, join_waiting_list):
        self._book(self.pick_email(data), join_waiting_list)

    @precondition(lambda self: self.session is not None)
    @rule(data=st.data())
    def join_waiting_list(self, data):
        self._book(self.pick_email(data), True)

    @precondition(lambda self: self.session is not None)
    @rule(data=st.data(), by_organiser=st.booleans())
    def cancel(self, data, by_organiser):
        everyone = self.bookings()
        if not everyone:
            return
        booking = self.pick(data, [b for b in everyone if b.status in Booking.ACTIVE_STATUSES], everyone)
        was_active = booking.status in Booking.ACTIVE_STATUSES
        session = self.fresh_session()
        if not was_active:
            allowed = True  # nothing to cancel: the booking comes back as it was
        elif by_organiser:
            allowed = True
        elif booking.is_waiting:
            allowed = self.now < session.starts_at
        else:
            allowed = self.now < session.cancellation_closes_at
        try:
            services.cancel_booking(
                booking_id=booking.pk,
                by_organiser=by_organiser,
                actor=ORGANISER if by_organiser else None,
                reason="Unwell" if by_organiser else "",
                now=self.now,
            )
        except CancellationNotAllowed:
            event("cancel: refused")
            assert not allowed
            return
        event(
            f"cancel: {booking.status if was_active else 'nothing to cancel'} by {'organiser' if by_organiser else 'attendee'}"
        )
        assert allowed
        before = booking.status
        booking.refresh_from_db()
        assert booking.status == (Booking.Status.CANCELLED if was_active else before)

    @precondition(lambda self: self.session is not None)
    @rule(data=st.data())
    def accept_offer(self, data):
        everyone = self.bookings()
        if not everyone:
            return
        booking = self.pick(data, [b for b in everyone if b.is_offered], everyone)
        open_offer = booking.is_offered and self.now < booking.offer_expires_at
        try:
            accepted = waiting_list.accept_offer(booking_id=booking.pk, now=self.now)
        except OfferNotOpen:
            assert not open_offer
            return
        event("accept: accepted")
        assert open_offer
        assert accepted.status in (Booking.Status.CONFIRMED, Booking.Status.PENDING)

    @precondition(lambda self: self.session is not None)
    @rule(hours=st.integers(1, 36))
    def time_passes(self, hours):
        self.now += timedelta(hours=hours)

    @precondition(lambda self: self.session is not None)
    @rule(hours=st.integers(0, 48))
    def worker_expires_offers(self, hours):
        self.now += timedelta(hours=hours)
        due = {b.pk for b in self.bookings(Booking.Status.OFFERED) if b.offer_expires_at <= self.now}
        expiry.expire_offers(now=self.now)
        if due:
            event("expire: offers ran out")
        for pk in due:
            assert Booking.objects.get(pk=pk).status == Booking.Status.OFFER_EXPIRED
        assert not any(b.offer_expires_at <= self.now for b in self.bookings(Booking.Status.OFFERED))

    @precondition(lambda self: self.session is not None)
    @rule(data=st.data())
    def confirm_email(self, data):
        everyone = self.bookings()
        if not everyone:
            return
        booking = self.pick(data, [b for b in everyone if b.is_unconfirmed_email], everyone)
        session = self.fresh_session()
        still_held = booking.is_unconfirmed_email and self.now < booking.hold_expires_at and not session.is_cancelled
        try:
            confirmed = email_confirmation.confirm_email(booking_id=booking.pk, now=self.now)
        except EmailConfirmationNotOpen:
            event("confirm email: refused")
            # Run out (released or not yet), or not a hold at all and holding no place.
            assert not still_held and (booking.is_unconfirmed_email or not booking.holds_a_place)
            return
        if booking.is_unconfirmed_email:
            event("confirm email: confirmed")
            assert still_held
            expected = Booking.Status.PENDING if needs_approval(session, booking.email) else Booking.Status.CONFIRMED
            assert confirmed.status == expected
        else:
            assert booking.holds_a_place and confirmed.status == booking.status  # a second press changes nothing

    @precondition(lambda self: self.session is not None)
    @rule(minutes=st.integers(0, 90))
    def worker_releases_unconfirmed_holds(self, minutes):
        self.now += timedelta(minutes=minutes)
        due = {b.pk for b in self.bookings(Booking.Status.UNCONFIRMED_EMAIL) if b.hold_expires_at <= self.now}
        expiry.release_unconfirmed_holds(now=self.now)
        if due:
            event("release: holds ran out")
        for pk in due:
            assert Booking.objects.get(pk=pk).status == Booking.Status.HOLD_EXPIRED
        assert not any(b.hold_expires_at <= self.now for b in self.bookings(Booking.Status.UNCONFIRMED_EMAIL))

    @precondition(lambda self: self.session is not None)
    @rule(data=st.data())
    def approve(self, data):
        everyone = self.bookings()
        if not everyone:
            return
        booking = self.pick(data, [b for b in everyone if b.is_pending], everyone)
        try:
            approved = approvals.approve_booking(booking_id=booking.pk, actor=ORGANISER, now=self.now)
        except approvals.NotAwaitingApproval:
            assert not booking.is_pending
            return
        event("approve: approved")
        assert booking.is_pending and approved.is_confirmed

    @precondition(lambda self: self.session is not None)
    @rule(data=st.data())
    def reject(self, data):
        everyone = self.bookings()
        if not everyone:
            return
        booking = self.pick(data, [b for b in everyone if b.is_pending], everyone)
        try:
            rejected = approvals.reject_booking(
                booking_id=booking.pk, reason="Not in our area", actor=ORGANISER, now=self.now
            )
        except approvals.NotAwaitingApproval:
            assert not booking.is_pending
            return
        event("reject: rejected")
        assert booking.is_pending and rejected.status == Booking.Status.REJECTED

    @precondition(lambda self: self.session is not None)
    @rule(capacity=st.integers(1, 8))
    def change_capacity(self, capacity):
        taken = self.taken()
        # change_session takes no now=: it reads the clock, so the clock is the virtual one.
        with mock.patch("django.utils.timezone.now", return_value=self.now):
            try:
                session_changes.change_session(session_id=self.session.pk, capacity=capacity, actor=ORGANISER)
            except InvalidSessionDetails as refusal:
                event("capacity: lowering refused")
                assert capacity < taken and "capacity" in refusal.problems
                return
        assert capacity >= taken
        assert self.fresh_session().capacity == capacity
        event("capacity: changed")

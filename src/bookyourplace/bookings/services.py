"""Booking rules: book a place (or a place on the waiting list), cancel it, find it from a
manage link. The waiting list, approvals and eligibility have modules of their own.

Every face (public pages, back office, API, commands) calls these functions, so the rules
live once. Errors are raised as BookingError subclasses (errors.py) whose message is fit
to show.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings import emails, fair_shares, locking, tokens, waiting_list
from bookyourplace.bookings.answers import check_answers, save_answers
from bookyourplace.bookings.attendees import AttendeeDetails, check_attendee, normalise_email
from bookyourplace.bookings.audit import record_booking_event
from bookyourplace.bookings.availability import State, availability, count_places
from bookyourplace.bookings.eligibility import email_hold_expires_at, status_for_a_new_place, tell_about_place
from bookyourplace.bookings.errors import (  # noqa: F401 (faces catch them from here)
    AlreadyBooked,
    BookingClosed,
    BookingError,
    BookingNotOpenYet,
    CancellationNotAllowed,
    InvalidAnswers,
    InvalidAttendeeDetails,
    OfferNotOpen,
    SessionCancelled,
    SessionFull,
    SessionNotAvailable,
)
from bookyourplace.bookings.links import resend_manage_link
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.records import booking_record
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Question, Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.programmes.questions import questions_for
from bookyourplace.webhooks import events as webhook_events
from bookyourplace.webhooks.services import announce

# Crockford's base32 without I, L, O and U: a reference read over the phone is not misheard.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 5


_REFUSALS = {
    State.CANCELLED: SessionCancelled,
    State.CLOSED: BookingClosed,
    State.NOT_OPEN_YET: BookingNotOpenYet,
}


def refusal_for(state: State, *, join_waiting_list: bool) -> BookingError | None:
    """What book_place answers a newcomer to a session in this state, or None when it
    would give a place or a waiting-list entry. For faces that must answer as if they had
    booked without booking (a caught bot), so the answer gives nothing away."""
    if state in _REFUSALS:
        return _REFUSALS[state]()
    if state == State.FULL and not join_waiting_list:
        return SessionFull()
    return None


def _new_reference() -> str:
    return "BYP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def book_place(
    *,
    session_id: int,
    attendee: AttendeeDetails,
    join_waiting_list: bool = False,
    actor: Actor | None = None,
    now: datetime | None = None,
    session: Session | None = None,
    address_proven: bool = False,
    answers: Mapping[int, str] | None = None,
    questions: Sequence[Question] | None = None,
    beyond_fair_share: bool = False,
) -> Booking:
    """Give the attendee a place (confirmed, or pending approval), or a place on the waiting
    list when the session is full and they asked for one; otherwise raise a BookingError.

    Fair shares (fair_shares.py): when the programme caps the places per organisation and
    the attendee's organisation already holds that many on the session, they go on the
    waiting list even though places are free (``fair_share_waiting``; they asked for a
    place, so they are not refused). ``beyond_fair_share``: an administrator booking for
    someone gives the place anyway.

    ``session``: the session (with its programme) as the caller has just read it, to save
    reading it again; everything that decides is read again under the lock.

    When the session confirms email addresses first (Session.confirms_email_first), a place
    is held as UNCONFIRMED_EMAIL until the emailed link is used (email_confirmation.py);
    ``address_proven``: an organiser booking for someone vouches for the address instead.
    Joining the waiting list needs no such step: an offer is accepted only through the
    emailed link, which proves the address then.

    ``answers``: the answers to the organiser's own questions (question id -> the answer as
    text), checked against the questions the session asks (``questions``, as the caller has
    just read them with the session, or read here) and saved with the booking, in its
    transaction, whatever its status; InvalidAnswers names each one the form would refuse.

    Booking again with an address already on the session re-sends that booking's manage
    link (at most once in a few minutes) and raises AlreadyBooked: it never makes a second
    booking and never reveals the first one's details. On a full session, asked for a
    place rather than the waiting list, every address gets SessionFull, booked or not
    (the booked one is still emailed its link): the answer never tells a stranger whether
    someone booked (and the answers given then stay as they were). Faces that answer strangers
    must treat AlreadyBooked exactly as they treat a booking made (public/views.py: book).
    """
    now = now or timezone.now()
    check_attendee(attendee)
    email = normalise_email(attendee.email)
    if session is None or session.pk != session_id:
        session = Session.objects.select_related("programme").filter(pk=session_id).first()
    if questions is None:
        questions = questions_for(session) if session is not None else []
    answered = _Answered(questions, check_answers(questions, answers))
    refusal = _refusal_as_shown(session=session, email=email, join_waiting_list=join_waiting_list, now=now)
    if refusal is not None:
        raise refusal
    booking = _book_a_free_place(
        session=session,
        attendee=attendee,
        email=email,
        actor=actor,
        now=now,
        address_proven=address_proven,
        answered=answered,
        beyond_fair_share=beyond_fair_share,
    )
    if booking is not None:
        return booking
    # Anything but a free place (full, closed, already booked...): decide under the lock.
    outcome = _book_under_the_lock(
        session_id=session_id,
        attendee=attendee,
        email=email,
        join_waiting_list=join_waiting_list,
        actor=actor,
        now=now,
        address_proven=address_proven,
        answered=answered,
        beyond_fair_share=beyond_fair_share,
    )
    if isinstance(outcome, BookingError):
        # Raised after the transaction commits, so a re-sent manage link is kept.
        raise outcome
    return outcome


def _refusal_as_shown(
    *, session: Session | None, email: str, join_waiting_list: bool, now: datetime
) -> BookingError | None:
    """When the caller counted the session's places as its public pages show them (the
    booking form's POST does, at the pages' version, which every change to what they show
    raises) and no newcomer could have a place (full, closed, cancelled), the answer a
    moment's earlier read would give, without queueing for the session's lock: in a rush on
    the last places, that is most people. Someone already on a full session has their link
    re-sent, as under the lock. None: decide as usual."""
    if session is None or getattr(session, "places_taken", None) is None:
        return None
    refusal = refusal_for(availability(session, now=now).state, join_waiting_list=join_waiting_list)
    if isinstance(refusal, SessionFull):
        # Only the key: most people refused in a rush have no booking to load.
        existing = (
            Booking.objects.filter(session=session, email=email, status__in=Booking.ACTIVE_STATUSES)
            .values_list("pk", flat=True)
            .first()
        )
        if existing is not None:
            with transaction.atomic():
                resend_manage_link(booking=Booking.objects.select_for_update().get(pk=existing), now=now)
    return refusal


@dataclass(frozen=True)
class _Answered:
    """The questions asked and their checked answers, saved with whichever booking is made."""

    questions: Sequence[Question]
    checked: dict[int, str]

    def save_with(self, booking: Booking) -> None:
        if self.questions:
            save_answers(booking=booking, questions=self.questions, checked=self.checked)


def _book_under_the_lock(
    *,
    session_id: int,
    attendee: AttendeeDetails,
    email: str,
    join_waiting_list: bool,
    actor: Actor | None,
    now: datetime,
    address_proven: bool,
    answered: _Answered,
    beyond_fair_share: bool,
) -> Booking | BookingError:
    """The booking made, or the refusal to raise once the transaction has committed."""
    with transaction.atomic():
        session = locking.lock_session(session_id)
        if not session.programme.is_published:
            raise SessionNotAvailable()
        session.places_taken, session.waiting = count_places(session)
        state = availability(session, now=now).state
        if state in _REFUSALS:
            raise _REFUSALS[state]()
        existing = (
            Booking.objects.filter(session=session, email=email, status__in=Booking.ACTIVE_STATUSES)
            .select_for_update()
            .first()
        )
        if state == State.FULL and not join_waiting_list:
            # Every address gets the same answer here, booked or not (an answer that
            # differed would tell anyone whether a named person booked); one already on
            # the session is emailed its manage link, which only they can read.
            if existing is not None:
                resend_manage_link(booking=existing, now=now)
            refusal = SessionFull()
        elif existing is None:
            # Places free, but the organisation already holds its fair share: the waiting list.
            held_back = (
                state != State.FULL
                and not beyond_fair_share
                and fair_shares.has_its_share(session, fair_shares.organisation_key(email, attendee.organisation))
            )
            status = (
                Booking.Status.WAITING
                if state == State.FULL or held_back
                else status_for_a_new_place(session, email, address_proven=address_proven)
            )
            booking = _create_booking(
                session=session, attendee=attendee, email=email, status=status, now=now, fair_share_waiting=held_back
            )
            answered.save_with(booking)
            if booking.is_waiting:
                emails.queue_waiting_list_joined(booking=booking)
            else:
                tell_about_place(booking)
            _record_booking(booking=booking, session=session, actor=actor)
            programme_changed(session.programme_id)
            return booking
        else:
            resend_manage_link(booking=existing, now=now)
            refusal = AlreadyBooked()
    return refusal


class _PlaceNotFree(Exception):
    """The fast path found the session not open to a newcomer after all."""


def _book_a_free_place(
    *,
    session: Session | None,
    attendee: AttendeeDetails,
    email: str,
    actor: Actor | None,
    now: datetime,
    address_proven: bool,
    answered: _Answered,
    beyond_fair_share: bool,
) -> Booking | None:
    """The common case, a free place, holding the session's lock as briefly as possible.

    The booking, its emails and its audit entry are written first; only then is the session
    locked and its places counted, this booking included. The transaction commits only if,
    under the lock, the session was open to a newcomer before this booking (the same test
    book_place makes): one booking at a time still passes that point, and each counts every
    booking committed before it, so a session is never overbooked. Anything else (full,
    closed, cancelled, the address already booked) rolls everything back and returns None,
    and book_place decides under the lock from the start.

    No savepoint around the insert: a clash (of references, or the address already booked)
    is rare, and rolling the whole attempt back to the careful path handles it.
    """
    if session is None or not session.programme.is_published:
        return None
    if getattr(session, "places_taken", None) is not None and not availability(session, now=now).can_book:
        # Full (or closed) when the caller last counted, as the public pages show it: in a
        # rush on the last places that spares each late comer an insert and its roll-back.
        # Only a hint: the locked path decides, counting afresh.
        return None
    status = status_for_a_new_place(session, email, address_proven=address_proven)
    booking = _new_booking(session=session, attendee=attendee, email=email, status=status, now=now)
    try:
        with transaction.atomic():
            booking.save(force_insert=True)
            answered.save_with(booking)
            tell_about_place(booking)
            _record_booking(booking=booking, session=session, actor=actor)
            locked = locking.lock_session(session.pk, programme=session.programme)
            taken, waiting = count_places(locked)
            locked.places_taken, locked.waiting = taken - 1, waiting  # as it was before this booking
            before = availability(locked, now=now)
            if not (
                locked.programme.is_published
                and before.can_book
                and status_for_a_new_place(locked, email, address_proven=address_proven) == status
                # This booking is counted already: its organisation had its share before it.
                and (beyond_fair_share or not fair_shares.has_its_share(locked, booking.organisation_key, besides=1))
            ):
                raise _PlaceNotFree()
            locked.places_taken = taken
            if availability(locked, now=now).as_shown != before.as_shown:
                # Most bookings change nothing the public pages show ("Book your place"
                # before and after): their cached copies stay, and the programme row is not
                # written while the session is locked.
                programme_changed(locked.programme_id)
    except (_PlaceNotFree, BookingError, IntegrityError):
        return None
    booking.session = locked
    return booking


def _record_booking(*, booking: Booking, session: Session, actor: Actor | None) -> None:
    action = AuditEvent.Action.JOINED_WAITING_LIST if booking.is_waiting else AuditEvent.Action.BOOKED
    record_booking_event(
        booking=booking,
        session=session,
        action=action,
        actor=actor,
        summary=f"{booking.get_status_display()}: {booking.reference} for {booking.full_name} on '{session.title}'"
        + (" (their organisation already had its fair share of places)" if booking.fair_share_waiting else ""),
    )
    # Every new booking, waiting list included (its status says which); nothing for nobody.
    announce(
        organiser_id=session.programme.organiser_id,
        event=webhook_events.BOOKING_CREATED,
        data=lambda: booking_record(booking),
    )


def _new_booking(
    *,
    session: Session,
    attendee: AttendeeDetails,
    email: str,
    status: str,
    now: datetime,
    fair_share_waiting: bool = False,
) -> Booking:
    """The booking, not yet saved, with a fresh reference and manage token."""
    seed = tokens.new_seed()
    return Booking(
        session=session,
        reference=_new_reference(),
        first_name=attendee.first_name.strip(),
        last_name=attendee.last_name.strip(),
        email=email,
        organisation=attendee.organisation.strip(),
        organisation_key=fair_shares.organisation_key(email, attendee.organisation),
        fair_share_waiting=fair_share_waiting,
        sector=attendee.sector,
        job_title=attendee.job_title.strip(),
        access_needs=attendee.access_needs.strip(),
        line_manager_email=normalise_email(attendee.line_manager_email),
        mobile_number=attendee.mobile_number if attendee.text_reminder_wanted else "",
        text_reminder_wanted=attendee.text_reminder_wanted and bool(attendee.mobile_number),
        consented_at=now,
        language=attendee.language or settings.LANGUAGE_CODE,
        status=status,
        confirmed_at=now if status == Booking.Status.CONFIRMED else None,
        hold_expires_at=email_hold_expires_at(session, now) if status == Booking.Status.UNCONFIRMED_EMAIL else None,
        manage_token_seed=seed,
        manage_token_hash=tokens.hash_token(tokens.token_from_seed(seed)),
    )


def _create_booking(
    *,
    session: Session,
    attendee: AttendeeDetails,
    email: str,
    status: str,
    now: datetime,
    fair_share_waiting: bool = False,
) -> Booking:
    booking = _new_booking(
        session=session, attendee=attendee, email=email, status=status, now=now, fair_share_waiting=fair_share_waiting
    )
    for _attempt in range(5):
        try:
            # A savepoint, so a clash of references can be retried inside the booking.
            with transaction.atomic():
                booking.save(force_insert=True)
                return booking
        except IntegrityError:
            if Booking.objects.filter(session=session, email=email, status__in=Booking.ACTIVE_STATUSES).exists():
                raise AlreadyBooked() from None
            booking.pk, booking.reference = None, _new_reference()
    raise BookingError()


def can_cancel(booking: Booking, now: datetime | None = None) -> bool:
    """Attendees may cancel (or leave the waiting list) online until the organiser's cut-off."""
    now = now or timezone.now()
    if booking.is_waiting:
        return now < booking.session.starts_at
    return booking.holds_a_place and now < booking.session.cancellation_closes_at


def cancel_booking(
    *,
    booking_id: int,
    actor: Actor | None = None,
    by_organiser: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Cancel a booking, decline an offer or leave the waiting list.

    A place that frees goes at once to the next person waiting, in the same transaction, so
    a newcomer racing the cancellation cannot take it. Attendees may cancel until the
    organiser's cut-off; an organiser may cancel at any time, with a reason the attendee is
    told. A calendar event the attendee was sent is withdrawn (METHOD:CANCEL).
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = locking.lock_session(Booking.objects.values_list("session_id", flat=True).get(pk=booking_id))
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        booking.session = session
        if booking.status not in Booking.ACTIVE_STATUSES:
            return booking
        if not by_organiser and not can_cancel(booking, now):
            raise CancellationNotAllowed()
        had_invite = booking.is_confirmed
        freed_a_place = booking.holds_a_place
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancellation_reason = reason.strip()
        booking.invite_sequence += 1
        booking.save(update_fields=["status", "cancelled_at", "cancellation_reason", "invite_sequence"])
        if by_organiser:
            emails.queue_cancelled_by_organiser(booking=booking, note=booking.cancellation_reason)
        else:
            emails.queue_booking_cancellation(booking=booking, withdraw_invite=had_invite)
        record_booking_event(
            booking=booking,
            session=session,
            action=AuditEvent.Action.CANCELLED_BOOKING,
            actor=actor,
            summary=f"Cancelled {booking.reference} ({booking.full_name})"
            + (f". Reason: {booking.cancellation_reason}" if booking.cancellation_reason else ""),
        )
        announce(
            organiser_id=session.programme.organiser_id,
            event=webhook_events.BOOKING_CANCELLED,
            data=lambda: booking_record(booking),
        )
        if freed_a_place:
            waiting_list.offer_free_places(session=session, now=now)
        programme_changed(session.programme_id)
    return booking


def resend_confirmation(*, booking_id: int, actor: Actor) -> Booking:
    """An organiser re-sends the confirmation (with the current invite) to the attendee."""
    with transaction.atomic():
        booking = Booking.objects.select_related("session__programme").get(pk=booking_id)
        if not booking.is_confirmed:
            raise BookingError(_("Only a confirmed booking has a confirmation to re-send."))
        emails.queue_booking_confirmation(booking=booking)
        record_booking_event(
            booking=booking,
            session=booking.session,
            action=AuditEvent.Action.RESENT_CONFIRMATION,
            actor=actor,
            summary=f"Re-sent the confirmation of {booking.reference} to {booking.email}",
        )
    return booking

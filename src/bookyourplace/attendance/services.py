"""Who came: marks on confirmed bookings, from the live register, a QR scan, a Teams report or
an organiser's correction, and the walk-ins added at the door.

Every path that marks attendance comes through ``mark`` (or ``check_in``, which uses it), so
the rules hold everywhere: only a confirmed booking of this session can be marked, a mark
that changes nothing writes nothing, and every change is in the audit log with who made it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from bookyourplace.attendance import errors
from bookyourplace.attendance.models import Attendance, Method, Outcome, WalkIn
from bookyourplace.bookings.attendees import has_control_characters
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.records import booking_record
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Session
from bookyourplace.webhooks import events as webhook_events
from bookyourplace.webhooks.services import announce


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    # True when the person had already been checked in: nothing was changed.
    already: bool


@dataclass(frozen=True)
class BookingOutcome:
    """One confirmed booking of a session and what is known of whether its attendee came."""

    booking: Booking
    attendance: Attendance | None
    # None while the session has not ended and nobody has marked it.
    outcome: str | None

    @property
    def checked_in(self) -> bool:
        return self.attendance is not None and self.attendance.came


@dataclass(frozen=True)
class RegisterCounts:
    expected: int
    checked_in: int
    walk_ins: int

    @property
    def present(self) -> int:
        return self.checked_in + self.walk_ins


def session_minutes(session: Session) -> int:
    return max(1, round((session.ends_at - session.starts_at).total_seconds() / 60))


def outcome_for_minutes(*, minutes: int, session: Session, threshold_percent: int | None = None) -> str:
    """Attended if present for at least the programme's share of the session (75% unless it
    says otherwise), partly attended if present at all, otherwise a no-show."""
    if threshold_percent is None:
        threshold_percent = session.programme.attendance_threshold_percent
    if minutes <= 0:
        return Outcome.NO_SHOW
    # Whole minutes on both sides: 45 of 60 minutes is exactly 75% and counts.
    if minutes * 100 >= threshold_percent * session_minutes(session):
        return Outcome.ATTENDED
    return Outcome.PARTLY_ATTENDED


def outcome_of(booking: Booking, attendance: Attendance | None, *, now: datetime | None = None) -> str | None:
    """A confirmed booking's outcome: its mark, or a no-show once the session has ended unmarked."""
    if attendance is not None:
        return attendance.outcome
    now = now or timezone.now()
    if booking.is_confirmed and booking.session.ends_at <= now:
        return Outcome.NO_SHOW
    return None


def _audit(*, actor: Actor, booking: Booking, action: str, summary: str) -> None:
    record(actor=actor, action=action, summary=summary, subject=booking, programme_id=booking.session.programme_id)


def _check_markable(booking: Booking, session: Session | None) -> None:
    if session is not None and booking.session_id != session.pk:
        raise errors.WrongSession()
    if not booking.is_confirmed:
        raise errors.NotConfirmed(
            errors.NotConfirmed.message
            if booking.status != Booking.Status.CANCELLED
            else "This booking was cancelled, so it cannot be marked as attended."
        )


def mark(
    *,
    booking: Booking,
    outcome: str,
    method: str,
    actor: Actor,
    session: Session | None = None,
    minutes_present: int | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Record that this confirmed booking's attendee came, partly came or did not come.

    Marking what is already recorded (the same outcome and minutes) changes nothing and writes
    no audit entry, so importing one Teams report twice leaves everything as it was."""
    now = now or timezone.now()
    outcome = Outcome(outcome)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("session__programme").get(pk=booking.pk)
        _check_markable(booking, session)
        attendance = Attendance.objects.filter(booking=booking).first()
        if attendance is not None and attendance.outcome == outcome and attendance.minutes_present == minutes_present:
            return attendance
        before = attendance.get_outcome_display() if attendance is not None else "not marked"
        if attendance is None:
            attendance = Attendance(booking=booking, session_id=booking.session_id)
        attendance.outcome = outcome
        attendance.method = Method(method)
        attendance.minutes_present = minutes_present
        if method in (Method.REGISTER, Method.QR_CODE) and attendance.checked_in_at is None:
            attendance.checked_in_at = now
        attendance.marked_at = now
        attendance.marked_by = actor.user if getattr(actor.user, "is_authenticated", False) else None
        attendance.marked_by_label = actor.name[:254]
        attendance.save()
        _audit(
            actor=actor,
            booking=booking,
            action="attendance.marked",
            summary=(
                f"{booking.reference} {booking.full_name}: {before} -> {attendance.get_outcome_display()} "
                f"({attendance.get_method_display()})"
            ),
        )
        announce(
            organiser_id=booking.session.programme.organiser_id,
            event=webhook_events.ATTENDANCE_MARKED,
            data=lambda: {"booking": booking_record(booking), "attendance": webhook_events.attendance_data(attendance)},
        )
    return attendance


def check_in(
    *, booking: Booking, session: Session, actor: Actor, method: str = Method.REGISTER, now: datetime | None = None
) -> CheckIn:
    """Tick a person present at the door (the live register or a QR scan). A second tick or
    scan changes nothing and says when they were checked in."""
    _check_markable(booking, session)
    existing = Attendance.objects.filter(booking=booking).first()
    if existing is not None and existing.checked_in_at is not None and existing.came:
        return CheckIn(attendance=existing, already=True)
    attendance = mark(booking=booking, session=session, outcome=Outcome.ATTENDED, method=method, actor=actor, now=now)
    return CheckIn(attendance=attendance, already=False)


def undo_check_in(*, booking: Booking, session: Session, actor: Actor) -> None:
    """Take back a tick made by mistake: the booking is unmarked again."""
    if booking.session_id != session.pk:
        raise errors.WrongSession()
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(booking=booking, session=session).first()
        if attendance is None:
            return
        attendance.delete()
        _audit(
            actor=actor,
            booking=booking,
            action="attendance.unmarked",
            summary=f"{booking.reference} {booking.full_name}: {attendance.get_outcome_display()} -> not marked",
        )


def add_walk_in(
    *,
    session: Session,
    first_name: str,
    last_name: str,
    actor: Actor,
    organisation: str = "",
    email: str = "",
    now: datetime | None = None,
) -> WalkIn:
    """Add someone who came without a booking; they are on the register as a walk-in."""
    first_name, last_name, organisation = first_name.strip(), last_name.strip(), organisation.strip()
    if not first_name or not last_name:
        raise errors.InvalidWalkIn(field="first_name" if not first_name else "last_name")
    for field, value in (("first_name", first_name), ("last_name", last_name), ("organisation", organisation)):
        if has_control_characters(value):
            raise errors.InvalidWalkIn("Names and organisations must be on one line.", field=field)
    walk_in = WalkIn.objects.create(
        session=session,
        first_name=first_name[:100],
        last_name=last_name[:100],
        organisation=organisation[:200],
        email=email.strip().lower()[:254],
        recorded_at=now or timezone.now(),
        recorded_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
        recorded_by_label=actor.name[:254],
    )
    record(
        actor=actor,
        action="attendance.walk_in",
        summary=f"Walk-in added to {session.title}: {walk_in.full_name}",
        subject=walk_in,
        programme_id=session.programme_id,
    )
    return walk_in


def remove_walk_in(*, walk_in: WalkIn, actor: Actor) -> None:
    record(
        actor=actor,
        action="attendance.walk_in_removed",
        summary=f"Walk-in removed from {walk_in.session.title}: {walk_in.full_name}",
        subject=walk_in,
        programme_id=walk_in.session.programme_id,
    )
    walk_in.delete()


def confirmed_bookings(session: Session):
    """A session's confirmed bookings in register order: by surname, then first name, whatever
    their case ("de Souza" among the Ds on SQLite as on PostgreSQL)."""
    return (
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
        .select_related("session__programme")
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


def name_matches(search: str) -> Q:
    """Every word typed is in the first or the last name, in any case: "al smi" finds Alex Smith.
    The live register's filter-as-you-type (assets/js/register.js) follows the same rule."""
    condition = Q()
    for word in search.split()[:10]:
        condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return condition


def session_outcomes(session: Session, *, now: datetime | None = None, search: str = "") -> list[BookingOutcome]:
    """Every confirmed booking of the session (or those whose name matches ``search``) with its
    outcome, in register order (two queries)."""
    now = now or timezone.now()
    bookings = list(confirmed_bookings(session).filter(name_matches(search)))
    marks = {a.booking_id: a for a in Attendance.objects.filter(session=session)}
    return [BookingOutcome(b, marks.get(b.pk), outcome_of(b, marks.get(b.pk), now=now)) for b in bookings]


def register_counts(session: Session) -> RegisterCounts:
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    return RegisterCounts(
        expected=confirmed.count(),
        checked_in=Attendance.objects.filter(
            session=session,
            booking__status=Booking.Status.CONFIRMED,
            outcome__in=[Outcome.ATTENDED, Outcome.PARTLY_ATTENDED],
        ).count(),
        walk_ins=WalkIn.objects.filter(session=session).count(),
    )

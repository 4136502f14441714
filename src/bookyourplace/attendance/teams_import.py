"""Import a Teams attendance report into a session's attendance: match the report's people to
the session's confirmed bookings, show the organiser what would be marked, then mark it.

``preview_import`` reads nothing but the session's confirmed bookings and marks (two queries,
however long the report), so a 1,000-person report is previewed at once; ``save_import`` marks
each matched booking through ``services.mark``, which writes nothing for a mark already made,
so importing the same report twice changes nothing. Confirmed bookings nobody in the report
matched are left unmarked: they become no-shows once the session has ended
(``services.outcome_of``), and a report from a second meeting link can still mark them.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.attendance import services
from bookyourplace.attendance.errors import TeamsReportError
from bookyourplace.attendance.models import Attendance, Method, Outcome
from bookyourplace.attendance.teams_report import Participant, TeamsReport, normalise_name
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Session


@dataclass(frozen=True)
class Match:
    """A person in the report and the confirmed booking they are."""

    booking: Booking
    participants: tuple[Participant, ...]  # more than one when a person joined as two
    minutes: int
    outcome: str
    # The mark the booking has now, if any; a mark an organiser set by hand is kept.
    current: Attendance | None = None

    @property
    def keeps_mark_set_by_hand(self) -> bool:
        return self.current is not None and self.current.method == Method.BY_HAND

    @property
    def changes(self) -> bool:
        if self.keeps_mark_set_by_hand:
            return False
        return self.current is None or (self.current.outcome, self.current.minutes_present) != (
            self.outcome,
            self.minutes,
        )


@dataclass(frozen=True)
class ImportPreview:
    session: Session
    threshold_percent: int
    session_minutes: int
    attended: list[Match]  # matched, present for at least the threshold
    below_threshold: list[Match]  # matched, present for less
    unmatched: list[Participant]  # attendees who are no confirmed booking (guests, anonymous)
    not_in_report: list[Booking]  # confirmed bookings nobody in the report matched
    presenters: list[Participant]  # organisers and presenters, never counted as attendees

    @property
    def matched(self) -> list[Match]:
        return self.attended + self.below_threshold

    @property
    def threshold_minutes(self) -> int:
        # The fewest whole minutes that count, as services.outcome_for_minutes decides.
        return -(-self.threshold_percent * self.session_minutes // 100)


@dataclass(frozen=True)
class ImportResult:
    attended: int
    below_threshold: int
    unchanged: int  # already marked so, or marked by hand (kept)
    not_in_report: int
    unmatched: int

    @property
    def marked(self) -> int:
        return self.attended + self.below_threshold


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_threshold(threshold_percent: int | None) -> int:
    if threshold_percent is None or not 1 <= threshold_percent <= 100:
        raise TeamsReportError(_("Enter a threshold between 1 and 100 percent."), field="threshold")
    return threshold_percent


def session_date(session: Session) -> date:
    return session.starts_at.astimezone(session.programme.tz).date()


def check_meeting_date(*, session: Session, report: TeamsReport) -> None:
    """A report for a meeting on another day is for another session."""
    meeting_date = report.meeting_date
    if meeting_date is not None and meeting_date != session_date(session):
        raise TeamsReportError(
            _("This report is for a meeting on %(report)s; this session is on %(session)s.")
            % {"report": _long_date(meeting_date), "session": _long_date(session_date(session))}
        )


def _booking_name(booking: Booking) -> str:
    return normalise_name(f"{booking.first_name} {booking.last_name}")


def preview_import(
    *, session: Session, participants: tuple[Participant, ...] | list[Participant], threshold_percent: int | None = None
) -> ImportPreview:
    """What saving would mark: each person in the report matched to a confirmed booking by
    email (or sign-in name) in any case, else, when Teams gave no email, by exact full name."""
    if threshold_percent is None:
        threshold_percent = session.programme.attendance_threshold_percent
    threshold_percent = check_threshold(threshold_percent)
    bookings = list(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
        .select_related("session__programme")
        .order_by("last_name", "first_name", "pk")
    )
    marks = {a.booking_id: a for a in Attendance.objects.filter(session=session)}
    by_email = {b.email.lower(): b for b in bookings}
    by_name: dict[str, Booking | None] = {}
    for booking in bookings:
        name = _booking_name(booking)
        # Two bookings of one name: a name alone cannot say which, so neither is matched by it.
        by_name[name] = None if name in by_name else booking

    presenters: list[Participant] = []
    unmatched: list[Participant] = []
    found: dict[int, list[Participant]] = {}
    for participant in participants:
        if not participant.is_attendee:
            presenters.append(participant)
            continue
        booking = next((by_email[a] for a in (participant.email, participant.upn) if a and a in by_email), None)
        if booking is None and not participant.email:
            booking = by_name.get(normalise_name(participant.name))
        if booking is None:
            unmatched.append(participant)
        else:
            found.setdefault(booking.pk, []).append(participant)

    attended: list[Match] = []
    below: list[Match] = []
    for booking in bookings:
        people = found.get(booking.pk)
        if not people:
            continue
        # Someone who joined twice under two names (a laptop, then a phone) was there for both.
        minutes = sum(p.seconds for p in people) // 60
        outcome = services.outcome_for_minutes(minutes=minutes, session=session, threshold_percent=threshold_percent)
        match = Match(booking, tuple(people), minutes, outcome, marks.get(booking.pk))
        (attended if outcome == Outcome.ATTENDED else below).append(match)
    return ImportPreview(
        session=session,
        threshold_percent=threshold_percent,
        session_minutes=services.session_minutes(session),
        attended=attended,
        below_threshold=below,
        unmatched=sorted(unmatched, key=lambda p: normalise_name(p.name)),
        not_in_report=[b for b in bookings if b.pk not in found],
        presenters=presenters,
    )


def save_import(
    *,
    session: Session,
    participants: tuple[Participant, ...] | list[Participant],
    actor: Actor,
    threshold_percent: int | None = None,
    report_title: str = "",
    now: datetime | None = None,
) -> ImportResult:
    """Mark attendance for the people the report matched (matched again now, so a booking
    cancelled since the preview is left alone). A mark an organiser set by hand is kept.
    One audit entry sums the import up, beside each booking's own; none if nothing changed."""
    now = now or timezone.now()
    with transaction.atomic():
        preview = preview_import(session=session, participants=participants, threshold_percent=threshold_percent)
        attended = below = unchanged = 0
        for match in preview.matched:
            if not match.changes:
                unchanged += 1
                continue
            services.mark(
                booking=match.booking,
                session=session,
                outcome=match.outcome,
                method=Method.TEAMS_REPORT,
                minutes_present=match.minutes,
                actor=actor,
                now=now,
            )
            if match.outcome == Outcome.ATTENDED:
                attended += 1
            else:
                below += 1
        result = ImportResult(
            attended=attended,
            below_threshold=below,
            unchanged=unchanged,
            not_in_report=len(preview.not_in_report),
            unmatched=len(preview.unmatched),
        )
        if result.marked:
            record(
                actor=actor,
                action="attendance.teams_import",
                summary=_import_summary(session, preview, result, report_title),
                subject=session,
                programme_id=session.programme_id,
            )
    return result


def _import_summary(session: Session, preview: ImportPreview, result: ImportResult, report_title: str) -> str:
    # The meeting's title comes from the file: never let it start like a spreadsheet formula.
    report_title = report_title.lstrip("=+-@\t\r ")
    title = f" “{report_title[:80]}”" if report_title else ""
    return (
        f"Teams attendance report{title} imported for {session.title} "
        f"(threshold {preview.threshold_percent}%): {result.attended} attended, "
        f"{result.below_threshold} below the threshold, {result.unchanged} unchanged, "
        f"{result.unmatched} not matched, {result.not_in_report} booked but not in the report"
    )


def result_message(result: ImportResult) -> str:
    """What the organiser is told after saving."""
    if not result.marked and result.unchanged:
        return _("Nothing changed: the report's attendance was already saved.")
    if not result.marked:
        return _("Nobody in the report matched a confirmed booking, so nothing was marked.")
    return ngettext(
        "Attendance saved from the Teams report: %(attended)d attended, %(below)d below the threshold, "
        "%(absent)d booked but not in the report (left unmarked), %(count)d person in the report not matched.",
        "Attendance saved from the Teams report: %(attended)d attended, %(below)d below the threshold, "
        "%(absent)d booked but not in the report (left unmarked), %(count)d people in the report not matched.",
        result.unmatched,
    ) % {
        "attended": result.attended,
        "below": result.below_threshold,
        "absent": result.not_in_report,
        "count": result.unmatched,
    }

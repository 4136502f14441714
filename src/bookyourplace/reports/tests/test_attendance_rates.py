"""Attendance as a coordinator reads it: who came, in part, or not at all, per session and per
sector; unmarked after the end is a no-show, before the end not yet known."""

from datetime import timedelta

from django.utils import timezone

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.models import Booking
from bookyourplace.feedback.testing import mark
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.attendance_rates import attendance_rates
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.testing import at, change, held_on, people

EVERYTHING = ReportFilter()


def _a_past_session(make_session):
    """Eight confirmed on 20 January: 4 attended (schools), 1 partly (health), 1 marked a
    no-show (health), 2 never marked (health); and one cancelled place, marked before it was."""
    session = make_session(title="Understanding Prevent")
    teachers = people(session, 4, prefix="teacher", sector="schools")
    nurses = people(session, 4, prefix="nurse", sector="health")
    gone = people(session, 1, prefix="gone", sector="schools")[0]
    for booking in teachers:
        mark(booking, Outcome.ATTENDED)
    mark(nurses[0], Outcome.PARTLY_ATTENDED)
    mark(nurses[1], Outcome.NO_SHOW)
    mark(gone, Outcome.ATTENDED)
    change(gone, status=Booking.Status.CANCELLED)
    return held_on(session, at("2026-01-20"))


def test_an_unmarked_place_after_the_end_is_a_no_show(make_session):
    _a_past_session(make_session)

    [row] = attendance_rates(EVERYTHING, Programme.objects.all()).sessions

    o = row.outcomes
    assert (o.attended, o.partly, o.no_show, o.not_marked_yet) == (4, 1, 3, 0)
    assert (o.attendance_rate, o.no_show_rate) == (63, 38)


def test_a_session_under_way_counts_unmarked_places_as_not_known_yet(make_session):
    session = make_session(title="Under way")
    came, unmarked = people(session, 2, prefix="now")
    mark(came, Outcome.ATTENDED)
    now = timezone.now()
    held_on(session, now - timedelta(hours=1))

    [row] = attendance_rates(EVERYTHING, Programme.objects.all(), now=now).sessions

    assert (row.outcomes.attended, row.outcomes.no_show, row.outcomes.not_marked_yet) == (1, 0, 1)
    assert row.outcomes.attendance_rate == 100


def test_sessions_still_to_come_are_not_in_the_attendance(make_session):
    people(make_session(title="Next month"), 3, prefix="soon")

    assert attendance_rates(EVERYTHING, Programme.objects.all()).sessions == []


def test_attendance_by_sector(make_session):
    _a_past_session(make_session)

    rates = attendance_rates(EVERYTHING, Programme.objects.all())

    by_label = {s.label: s.outcomes for s in rates.sectors}
    assert (by_label["Schools"].attended, by_label["Schools"].attendance_rate) == (4, 100)
    assert (by_label["Health"].partly, by_label["Health"].no_show, by_label["Health"].attendance_rate) == (1, 3, 25)
    assert (rates.total.came, rates.total.known) == (5, 8)

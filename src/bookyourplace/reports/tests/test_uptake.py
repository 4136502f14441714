"""Uptake as a coordinator reads it: places filled, who was left waiting, offers turned down or
run out, and when confirmed places were cancelled."""

from datetime import timedelta

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.testing import at, change, held_on, people
from bookyourplace.reports.uptake import uptake

S = Booking.Status
EVERYTHING = ReportFilter()


def _a_session_with_history(make_session):
    """10 places, held on 20 January: 6 confirmed, 3 still waiting, an offer declined, two run
    out, four confirmed places cancelled at four different times, one left the waiting list."""
    session = make_session(title="Understanding Prevent", capacity=30)
    confirmed = people(session, 6, prefix="kept")
    waiting = people(session, 3, prefix="wait")
    declined = people(session, 1, prefix="declined")
    expired = people(session, 2, prefix="expired")
    cancelled = people(session, 4, prefix="cancelled")
    left_queue = people(session, 1, prefix="left")
    start = at("2026-01-20")
    held_on(session, start, capacity=10)
    Booking.objects.filter(session=session).update(created_at=at("2026-01-02"))
    for booking in waiting:
        change(booking, status=S.WAITING, confirmed_at=None)
    for booking in declined:
        change(
            booking, status=S.CANCELLED, confirmed_at=None, offered_at=at("2026-01-15"), cancelled_at=at("2026-01-16")
        )
    for booking in expired:
        change(booking, status=S.OFFER_EXPIRED, confirmed_at=None, offered_at=at("2026-01-15"))
    for booking, when in zip(
        cancelled,
        (start - timedelta(days=10), start - timedelta(days=3), start - timedelta(hours=2), start + timedelta(hours=1)),
        strict=True,
    ):
        change(booking, status=S.CANCELLED, cancelled_at=when)
    change(left_queue[0], status=S.CANCELLED, confirmed_at=None, cancelled_at=at("2026-01-10"))
    return session, confirmed


def test_uptake_counts_places_filled_and_the_fill_rate(make_session):
    session, _ = _a_session_with_history(make_session)

    figures = uptake(EVERYTHING, Programme.objects.all())

    [row] = figures.sessions
    assert (row.title, row.capacity, row.confirmed, row.fill_rate) == ("Understanding Prevent", 10, 6, 60)
    assert row.has_started


def test_uptake_counts_unmet_demand(make_session):
    _a_session_with_history(make_session)

    [row] = uptake(EVERYTHING, Programme.objects.all()).sessions

    assert (row.waiting_at_start, row.offers_declined, row.offers_expired) == (3, 1, 2)


def test_uptake_puts_each_cancellation_in_its_time_before_the_start(make_session):
    _a_session_with_history(make_session)

    [row] = uptake(EVERYTHING, Programme.objects.all()).sessions

    c = row.cancellations
    assert (c.more_than_a_week, c.one_to_seven_days, c.within_a_day, c.after_the_start, c.total) == (1, 1, 1, 1, 4)


def test_a_cancellation_exactly_seven_days_or_a_day_before_is_in_the_nearer_group(make_session):
    session = make_session(capacity=10)
    week, day = people(session, 2, prefix="edge")
    start = at("2026-02-10")
    held_on(session, start)
    change(week, status=S.CANCELLED, cancelled_at=start - timedelta(days=7))
    change(day, status=S.CANCELLED, cancelled_at=start - timedelta(hours=24))

    [row] = uptake(EVERYTHING, Programme.objects.all()).sessions

    assert (row.cancellations.one_to_seven_days, row.cancellations.within_a_day) == (1, 1)


def test_people_who_joined_the_waiting_list_after_the_start_are_not_counted_as_waiting(make_session):
    session = make_session(capacity=5)
    late = people(session, 1, prefix="late")[0]
    held_on(session, at("2026-01-20"))
    change(late, status=S.WAITING, confirmed_at=None, created_at=at("2026-01-21"))

    [row] = uptake(EVERYTHING, Programme.objects.all()).sessions

    assert row.waiting_at_start == 0


def test_a_session_still_to_come_counts_those_waiting_now(make_session):
    session = make_session(capacity=5)
    for booking in people(session, 2, prefix="queue"):
        change(booking, status=S.WAITING, confirmed_at=None)

    [row] = uptake(EVERYTHING, Programme.objects.all()).sessions

    assert (row.waiting_at_start, row.has_started) == (2, False)


def test_uptake_totals_add_up_over_sessions(make_session):
    _a_session_with_history(make_session)
    second = make_session(title="Online harms", capacity=20)
    people(second, 5, prefix="second")

    figures = uptake(EVERYTHING, Programme.objects.all())

    assert (figures.capacity, figures.confirmed, figures.fill_rate) == (30, 11, 37)
    assert figures.cancellations.total == 4
    assert [s.title for s in figures.with_unmet_demand] == ["Understanding Prevent"]


def test_a_sector_filter_counts_only_that_sectors_places(make_session):
    session = make_session(capacity=20)
    people(session, 3, prefix="teacher", sector="schools")
    people(session, 5, prefix="nurse", sector="health")

    [row] = uptake(ReportFilter(sector="schools"), Programme.objects.all()).sessions

    assert (row.capacity, row.confirmed, row.fill_rate) == (20, 3, 15)

"""The counts most report figures are made of, in one pass over the bookings: for each session
and sector, how many were confirmed, waiting, offered, cancelled (and when), came, asked for
access needs, were asked for feedback and gave it.

One query, grouped by session and sector, whatever the number of bookings; the figure modules
(uptake, attendance_rates, audience, evaluation) add these groups up for their own tables, so
a report page reads the bookings once rather than once per table. Each module also works on
its own: given no counts, it asks for them.

The rules written here as SQL conditions:

- a confirmed booking of a session that has ended with no mark is a no-show
  (``attendance.services.outcome_of``); unmarked while the session is under way is "not
  marked yet";
- waiting at the start: joined before the session started and still waiting (nobody is
  offered a place once booking closes, see uptake.py);
- an offer declined: offered, then cancelled without ever being confirmed;
- a cancellation: a booking that had a confirmed place, by how long before the start;
- asked for feedback: sent the request, or answered before it went (as ``feedback.results``).
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.db.models import Count, F, Q, QuerySet

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.filters import ReportFilter

S = Booking.Status
WEEK, DAY = dt.timedelta(days=7), dt.timedelta(hours=24)


@dataclass(frozen=True)
class Counts:
    confirmed: int = 0
    waiting_at_start: int = 0
    offers_declined: int = 0
    offers_expired: int = 0
    cancelled_more_than_a_week: int = 0
    cancelled_one_to_seven_days: int = 0
    cancelled_within_a_day: int = 0
    cancelled_after_the_start: int = 0
    attended: int = 0
    partly: int = 0
    no_show: int = 0
    not_marked_yet: int = 0
    access_needs: int = 0
    asked: int = 0
    answered: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


NOTHING = Counts()


@dataclass(frozen=True)
class BookingCounts:
    """The counts of each (session, sector) that has any booking in the report."""

    groups: dict[tuple[int, str], Counts]

    def by_session(self) -> dict[int, Counts]:
        return self._by(0)

    def by_sector(self) -> dict[str, Counts]:
        return self._by(1)

    def total(self) -> Counts:
        return sum(self.groups.values(), NOTHING)

    def _by(self, position: int) -> dict:
        added: dict = {}
        for key, counts in self.groups.items():
            added[key[position]] = added.get(key[position], NOTHING) + counts
        return added


def booking_counts(report_filter: ReportFilter, allowed: QuerySet[Programme], *, now: dt.datetime) -> BookingCounts:
    start = F("session__starts_at")
    confirmed = Q(status=S.CONFIRMED)
    cancelled = Q(status=S.CANCELLED, confirmed_at__isnull=False)
    unmarked = confirmed & Q(attendance__isnull=True)
    rows = (
        Booking.objects.filter(report_filter.booking_q(allowed))
        .order_by()
        .values("session_id", "sector")
        .annotate(
            confirmed=Count("pk", filter=confirmed),
            waiting_at_start=Count("pk", filter=Q(status=S.WAITING, created_at__lt=start)),
            offers_declined=Count(
                "pk", filter=Q(status=S.CANCELLED, offered_at__isnull=False, confirmed_at__isnull=True)
            ),
            offers_expired=Count("pk", filter=Q(status=S.OFFER_EXPIRED)),
            cancelled_more_than_a_week=Count("pk", filter=cancelled & Q(cancelled_at__lt=start - WEEK)),
            cancelled_one_to_seven_days=Count(
                "pk", filter=cancelled & Q(cancelled_at__gte=start - WEEK, cancelled_at__lt=start - DAY)
            ),
            cancelled_within_a_day=Count(
                "pk", filter=cancelled & Q(cancelled_at__gte=start - DAY, cancelled_at__lt=start)
            ),
            cancelled_after_the_start=Count("pk", filter=cancelled & Q(cancelled_at__gte=start)),
            attended=Count("pk", filter=confirmed & Q(attendance__outcome=Outcome.ATTENDED)),
            partly=Count("pk", filter=confirmed & Q(attendance__outcome=Outcome.PARTLY_ATTENDED)),
            no_show=Count(
                "pk",
                filter=confirmed & (Q(attendance__outcome=Outcome.NO_SHOW) | (unmarked & Q(session__ends_at__lte=now))),
            ),
            not_marked_yet=Count("pk", filter=unmarked & Q(session__starts_at__lte=now, session__ends_at__gt=now)),
            access_needs=Count("pk", filter=confirmed & ~Q(access_needs="")),
            asked=Count("pk", filter=Q(feedback_request__isnull=False) | Q(feedback_response__isnull=False)),
            answered=Count("pk", filter=Q(feedback_response__isnull=False)),
        )
    )
    names = [f.name for f in fields(Counts)]
    return BookingCounts(
        groups={(row["session_id"], row["sector"]): Counts(*(row[name] for name in names)) for row in rows}
    )

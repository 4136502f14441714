"""Uptake: how full each session was, who could not get a place, and who cancelled when.

Counted in the database (reports/counts.py: one pass over the bookings, grouped by session and
sector), plus one query for the sessions themselves.

- **Confirmed**: bookings confirmed now; the **fill rate** is confirmed against the places.
- **Waiting at the start**: people still on the waiting list when the session began (or now,
  for a session still to come). Nobody is offered a place once booking closes, so those
  still "waiting" today who joined before the start are exactly those left waiting at the
  start; the one approximation is that someone an organiser removed from the list after the
  start is not counted.
- **Offers declined**: offered a place (``offered_at``) and cancelled without ever being
  confirmed; **offers that ran out**: the offer expired.
- **Cancellations**: bookings that had a confirmed place and were cancelled, by how long
  before the start (more than 7 days, 1 to 7 days, within 24 hours, after it had started).
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from bookyourplace.programmes.models import Programme
from bookyourplace.reports.counts import NOTHING, BookingCounts, booking_counts
from bookyourplace.reports.filters import ReportFilter, sessions_in
from bookyourplace.reports.tables import percent


@dataclass(frozen=True)
class Cancellations:
    more_than_a_week: int = 0
    one_to_seven_days: int = 0
    within_a_day: int = 0
    after_the_start: int = 0

    @property
    def total(self) -> int:
        return self.more_than_a_week + self.one_to_seven_days + self.within_a_day + self.after_the_start

    def __add__(self, other: "Cancellations") -> "Cancellations":
        return Cancellations(
            self.more_than_a_week + other.more_than_a_week,
            self.one_to_seven_days + other.one_to_seven_days,
            self.within_a_day + other.within_a_day,
            self.after_the_start + other.after_the_start,
        )


@dataclass(frozen=True)
class SessionUptake:
    session_id: int
    title: str
    programme_title: str
    starts_at: dt.datetime
    time_zone: str
    capacity: int
    confirmed: int
    waiting_at_start: int
    offers_declined: int
    offers_expired: int
    cancellations: Cancellations
    has_started: bool

    @property
    def fill_rate(self) -> int | None:
        """Per cent of the places confirmed."""
        return percent(self.confirmed, self.capacity)

    @property
    def unmet_demand(self) -> int:
        return self.waiting_at_start + self.offers_declined + self.offers_expired

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))


@dataclass(frozen=True)
class Uptake:
    sessions: list[SessionUptake]
    capacity: int
    confirmed: int
    waiting_at_start: int
    offers_declined: int
    offers_expired: int
    cancellations: Cancellations

    @property
    def fill_rate(self) -> int | None:
        return percent(self.confirmed, self.capacity)

    @property
    def with_unmet_demand(self) -> list[SessionUptake]:
        return [s for s in self.sessions if s.unmet_demand]


def uptake(
    report_filter: ReportFilter,
    allowed: QuerySet[Programme],
    *,
    now: dt.datetime | None = None,
    counts: BookingCounts | None = None,
) -> Uptake:
    now = now or timezone.now()
    if counts is None:
        counts = booking_counts(report_filter, allowed, now=now)
    by_session = counts.by_session()
    rows = (
        sessions_in(report_filter, allowed)
        .order_by("starts_at", "pk")
        .values("pk", "title", "programme__title", "programme__time_zone", "starts_at", "capacity")
    )
    sessions = []
    for row in rows:
        c = by_session.get(row["pk"], NOTHING)
        sessions.append(
            SessionUptake(
                session_id=row["pk"],
                title=row["title"],
                programme_title=row["programme__title"],
                starts_at=row["starts_at"],
                time_zone=row["programme__time_zone"],
                capacity=row["capacity"],
                confirmed=c.confirmed,
                waiting_at_start=c.waiting_at_start,
                offers_declined=c.offers_declined,
                offers_expired=c.offers_expired,
                cancellations=Cancellations(
                    c.cancelled_more_than_a_week,
                    c.cancelled_one_to_seven_days,
                    c.cancelled_within_a_day,
                    c.cancelled_after_the_start,
                ),
                has_started=row["starts_at"] <= now,
            )
        )
    return Uptake(
        sessions=sessions,
        capacity=sum(s.capacity for s in sessions),
        confirmed=sum(s.confirmed for s in sessions),
        waiting_at_start=sum(s.waiting_at_start for s in sessions),
        offers_declined=sum(s.offers_declined for s in sessions),
        offers_expired=sum(s.offers_expired for s in sessions),
        cancellations=sum((s.cancellations for s in sessions), Cancellations()),
    )

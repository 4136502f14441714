"""Who came: attended, partly attended and no-shows, per session and per sector.

Only confirmed bookings of sessions that have begun are counted. A confirmed booking of a
session that has ended with no mark is a no-show, as ``attendance.services.outcome_of`` says;
the same rule is written as a condition in SQL in reports/counts.py, so counting stays one
query however many bookings there are. While a session is under way, an unmarked booking is
"not marked yet" and left out of the rates.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from bookyourplace.bookings.models import Sector
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.counts import NOTHING, BookingCounts, Counts, booking_counts
from bookyourplace.reports.filters import ReportFilter, sessions_in
from bookyourplace.reports.tables import percent


@dataclass(frozen=True)
class Outcomes:
    attended: int = 0
    partly: int = 0
    no_show: int = 0
    # Unmarked, and the session has not ended yet.
    not_marked_yet: int = 0

    @property
    def came(self) -> int:
        return self.attended + self.partly

    @property
    def known(self) -> int:
        """Those whose outcome is known: the base of every rate."""
        return self.attended + self.partly + self.no_show

    @property
    def attendance_rate(self) -> int | None:
        """Per cent who came, in full or in part."""
        return percent(self.came, self.known)

    @property
    def attended_rate(self) -> int | None:
        return percent(self.attended, self.known)

    @property
    def partly_rate(self) -> int | None:
        return percent(self.partly, self.known)

    @property
    def no_show_rate(self) -> int | None:
        return percent(self.no_show, self.known)

    def __add__(self, other: "Outcomes") -> "Outcomes":
        return Outcomes(
            self.attended + other.attended,
            self.partly + other.partly,
            self.no_show + other.no_show,
            self.not_marked_yet + other.not_marked_yet,
        )


@dataclass(frozen=True)
class SessionAttendance:
    session_id: int
    title: str
    starts_at: dt.datetime
    time_zone: str
    outcomes: Outcomes

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))


@dataclass(frozen=True)
class SectorAttendance:
    sector: str
    label: str
    outcomes: Outcomes


@dataclass(frozen=True)
class AttendanceRates:
    sessions: list[SessionAttendance]
    sectors: list[SectorAttendance]
    total: Outcomes


def _outcomes(counts: Counts) -> Outcomes:
    return Outcomes(counts.attended, counts.partly, counts.no_show, counts.not_marked_yet)


def attendance_rates(
    report_filter: ReportFilter,
    allowed: QuerySet[Programme],
    *,
    now: dt.datetime | None = None,
    counts: BookingCounts | None = None,
) -> AttendanceRates:
    now = now or timezone.now()
    if counts is None:
        counts = booking_counts(report_filter, allowed, now=now)
    by_session = counts.by_session()
    started = sessions_in(report_filter, allowed).filter(starts_at__lte=now).order_by("starts_at", "pk")
    sessions = [
        SessionAttendance(
            session_id=row["pk"],
            title=row["title"],
            starts_at=row["starts_at"],
            time_zone=row["programme__time_zone"],
            outcomes=_outcomes(by_session.get(row["pk"], NOTHING)),
        )
        for row in started.values("pk", "title", "starts_at", "programme__time_zone")
    ]
    labels = dict(Sector.choices)
    sectors = sorted(
        (
            SectorAttendance(sector, str(labels.get(sector, sector)), _outcomes(c))
            for sector, c in counts.by_sector().items()
            if c.attended + c.partly + c.no_show + c.not_marked_yet
        ),
        key=lambda s: (-s.outcomes.came, s.label),
    )
    return AttendanceRates(sessions=sessions, sectors=sectors, total=sum((s.outcomes for s in sectors), Outcomes()))

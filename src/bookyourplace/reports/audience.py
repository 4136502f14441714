"""Who booked and who came: by sector, by organisation (the ten with most places, the rest as
"All other organisations"), people new to the programmes and people coming back; and how many
asked for access needs to be met (a count, never who).

Counted over confirmed bookings, in a handful of queries whatever their number (the sectors
and access needs from reports/counts.py). "Came" is attended or partly attended.
Organisations are grouped by name, whatever the case or the spaces around it ("Whitley
Academy" and "whitley academy " are one).

A person is **returning** if the same email address had a confirmed place on an earlier
session of any programme the reader may see (whether or not the filter shows it); otherwise
they are **new**. People are counted once each, however many sessions they booked.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.models import Booking, Sector
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.counts import BookingCounts, booking_counts
from bookyourplace.reports.filters import ReportFilter, sessions_in

TOP_ORGANISATIONS = 10
CAME = Q(attendance__outcome__in=(Outcome.ATTENDED, Outcome.PARTLY_ATTENDED))


@dataclass(frozen=True)
class Group:
    label: str
    booked: int
    came: int
    # "All other organisations": the rest, together.
    is_rest: bool = False


@dataclass(frozen=True)
class Audience:
    sectors: list[Group]
    organisations: list[Group]
    people: int
    new: int

    @property
    def returning(self) -> int:
        return self.people - self.new


@dataclass(frozen=True)
class SessionAccessNeeds:
    session_id: int
    title: str
    starts_at: dt.datetime
    time_zone: str
    count: int

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))


@dataclass(frozen=True)
class AccessNeeds:
    total: int
    sessions: list[SessionAccessNeeds]


def confirmed_bookings(report_filter: ReportFilter, allowed: QuerySet[Programme]) -> QuerySet[Booking]:
    return Booking.objects.filter(report_filter.booking_q(allowed), status=Booking.Status.CONFIRMED).order_by()


def people_new_and_returning(report_filter: ReportFilter, allowed: QuerySet[Programme]) -> tuple[int, int]:
    """(people, new): one row per email address over every confirmed place the reader may see,
    with its first session anywhere and its first in the report; new if they are the same."""
    first = (
        Booking.objects.filter(status=Booking.Status.CONFIRMED, session__programme__in=allowed.values("pk"))
        .order_by()
        .values("email")
        .annotate(
            anywhere=Min("session__starts_at"),
            here=Min(
                "session__starts_at",
                filter=report_filter.session_q("session__") & report_filter.people_q(),
            ),
        )
    )
    totals = first.aggregate(
        people=Count("email", filter=Q(here__isnull=False)), new=Count("email", filter=Q(here=F("anywhere")))
    )
    return totals["people"], totals["new"]


def audience(
    report_filter: ReportFilter,
    allowed: QuerySet[Programme],
    *,
    now: dt.datetime | None = None,
    counts: BookingCounts | None = None,
) -> Audience:
    if counts is None:
        counts = booking_counts(report_filter, allowed, now=now or timezone.now())
    labels = dict(Sector.choices)
    sectors = sorted(
        (
            Group(str(labels.get(sector, sector)), c.confirmed, c.attended + c.partly)
            for sector, c in counts.by_sector().items()
            if c.confirmed
        ),
        key=lambda g: (-g.booked, g.label),
    )
    top = (
        confirmed_bookings(report_filter, allowed)
        .annotate(key=Lower(Trim("organisation")))
        .values("key")
        .annotate(name=Min(Trim("organisation")), booked=Count("pk"), came=Count("pk", filter=CAME))
        .order_by("-booked", "key")[:TOP_ORGANISATIONS]
    )
    organisations = [Group(row["name"], row["booked"], row["came"]) for row in top]
    total = counts.total()
    rest_booked = total.confirmed - sum(g.booked for g in organisations)
    if rest_booked:
        rest_came = total.attended + total.partly - sum(g.came for g in organisations)
        organisations.append(Group(_("All other organisations"), rest_booked, rest_came, is_rest=True))
    people, new = people_new_and_returning(report_filter, allowed)
    return Audience(sectors=sectors, organisations=organisations, people=people, new=new)


def access_needs(
    report_filter: ReportFilter,
    allowed: QuerySet[Programme],
    *,
    now: dt.datetime | None = None,
    counts: BookingCounts | None = None,
) -> AccessNeeds:
    """How many confirmed bookings asked for access needs to be met, per session: counts only."""
    if counts is None:
        counts = booking_counts(report_filter, allowed, now=now or timezone.now())
    asked = {pk: c.access_needs for pk, c in counts.by_session().items() if c.access_needs}
    sessions = [
        SessionAccessNeeds(row["pk"], row["title"], row["starts_at"], row["programme__time_zone"], asked[row["pk"]])
        for row in sessions_in(report_filter, allowed)
        .filter(pk__in=list(asked))
        .order_by("starts_at", "pk")
        .values("pk", "title", "starts_at", "programme__time_zone")
    ]
    return AccessNeeds(total=sum(asked.values()), sessions=sessions)

"""What a report is about: a period, programmes, a session, a sector, an organisation, a way of
delivering; and whose programmes it may look at.

Every report function takes a ``ReportFilter`` and the programmes the person may see
(``accounts.permissions.programmes_for``): the filter narrows, the allowed programmes bound.
Whatever a filter names (a programme id typed into the address bar), nothing outside the
allowed programmes is ever counted.

Dates are local dates, both ends included, in the service's time zone (Europe/London): a
session belongs to the day it starts on there. Programmes in another time zone are rare
enough that one clock for the boundaries is the honest simplification.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from bookyourplace.programmes.models import Programme, Session


@dataclass(frozen=True)
class ReportFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    programme_ids: tuple[int, ...] = ()
    session_id: int | None = None
    sector: str = ""
    # All or part of an organisation's name, in any case.
    organisation: str = ""
    delivery: str = ""

    @property
    def narrows_people(self) -> bool:
        """Does it pick some of a session's bookings (a sector, an organisation), not whole sessions?"""
        return bool(self.sector or self.organisation)

    def session_q(self, prefix: str = "") -> Q:
        """The sessions reported on, as a condition on Session (or on a relation through ``prefix``,
        such as "session__"). Sessions that were called off are never in a report."""
        conditions = Q(**{f"{prefix}status": Session.Status.SCHEDULED})
        if self.date_from is not None:
            conditions &= Q(**{f"{prefix}starts_at__gte": _local_midnight(self.date_from)})
        if self.date_to is not None:
            conditions &= Q(**{f"{prefix}starts_at__lt": _local_midnight(self.date_to + dt.timedelta(days=1))})
        if self.programme_ids:
            conditions &= Q(**{f"{prefix}programme_id__in": self.programme_ids})
        if self.session_id is not None:
            conditions &= Q(**{f"{prefix}pk": self.session_id})
        if self.delivery:
            conditions &= Q(**{f"{prefix}delivery": self.delivery})
        return conditions

    def people_q(self, prefix: str = "") -> Q:
        """The bookings' own conditions (sector, organisation), on Booking or through ``prefix``."""
        conditions = Q()
        if self.sector:
            conditions &= Q(**{f"{prefix}sector": self.sector})
        if self.organisation:
            conditions &= Q(**{f"{prefix}organisation__icontains": self.organisation.strip()})
        return conditions

    def booking_q(self, allowed: QuerySet[Programme], prefix: str = "") -> Q:
        """Bookings in the report, on Booking (or through ``prefix``, such as "bookings__")."""
        return (
            self.session_q(f"{prefix}session__")
            & Q(**{f"{prefix}session__programme__in": allowed.values("pk")})
            & self.people_q(prefix)
        )


def sessions_in(report_filter: ReportFilter, allowed: QuerySet[Programme]) -> QuerySet[Session]:
    """The sessions a report covers: the filter's, within the allowed programmes."""
    return Session.objects.filter(report_filter.session_q(), programme__in=allowed.values("pk"))


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone.get_default_timezone())

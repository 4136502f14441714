"""What a session's page says about booking: open, a few places left, full, closed.

Places are counted in the same query that fetches the sessions, so a programme page costs
the same number of queries however many sessions and bookings it holds.
"""

import functools
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Programme, Session


class State(StrEnum):
    OPEN = "open"
    FEW_LEFT = "few_left"
    FULL = "full"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Availability:
    state: State
    places_left: int
    waiting: int = 0

    @property
    def can_book(self) -> bool:
        return self.state in (State.OPEN, State.FEW_LEFT)

    @property
    def can_join_waiting_list(self) -> bool:
        return self.state == State.FULL

    @property
    def label(self) -> str:
        if self.state == State.FEW_LEFT:
            return ngettext("%(count)d place left", "%(count)d places left", self.places_left) % {
                "count": self.places_left
            }
        return str(_LABELS[self.state])

    @property
    def as_shown(self) -> tuple:
        """What the public pages show of it: the state, and the number only when few are
        left. A change that leaves this alone leaves the cached pages as they are."""
        return (self.state, self.places_left if self.state == State.FEW_LEFT else None)


_LABELS = {
    State.OPEN: _("Book your place"),
    State.FULL: _("Fully booked"),
    State.NOT_OPEN_YET: _("Booking not open yet"),
    State.CLOSED: _("Booking closed"),
    State.CANCELLED: _("Cancelled"),
}


def with_places_taken(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate ``places_taken`` (confirmed, pending and offered) and ``waiting`` (people
    waiting for a place to free; not those waiting only for their organisation's fair share,
    who leave free places open to others: bookings/fair_shares.py)."""
    return sessions.annotate(
        places_taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING_STATUSES)),
        waiting=Count(
            "bookings", filter=Q(bookings__status=Booking.Status.WAITING, bookings__fair_share_waiting=False)
        ),
    )


@functools.cache
def _count_statement(vendor: str) -> str:
    table, q = Booking._meta.db_table, connection.ops.quote_name
    holding = ", ".join(f"'{status}'" for status in Booking.HOLDING_STATUSES)
    return (
        f"SELECT COUNT(CASE WHEN {q('status')} IN ({holding}) THEN 1 END),"
        f" COUNT(CASE WHEN {q('status')} = '{Booking.Status.WAITING}' AND NOT {q('fair_share_waiting')} THEN 1 END)"
        f" FROM {q(table)} WHERE {q('session_id')} = %s"
    )


def count_places(session: Session) -> tuple[int, int]:
    """(places taken, people waiting) for one session, in one query; as with_places_taken,
    people waiting only for their organisation's fair share are not counted as waiting.

    Written out once per process rather than built by the ORM on every call: it runs under
    the session's lock in every booking, where the ORM's work would hold the lock longer."""
    with connection.cursor() as cursor:
        cursor.execute(_count_statement(connection.vendor), [session.pk])
        taken, waiting = cursor.fetchone()
    return taken, waiting


def availability(session: Session, *, now: datetime | None = None) -> Availability:
    """The session's state; uses ``places_taken`` and ``waiting`` when the query annotated them.

    A free place with people still waiting is not open to newcomers: it belongs to the
    queue (it is being offered), so nobody jumps ahead of the waiting list.
    """
    now = now or timezone.now()
    taken, waiting = getattr(session, "places_taken", None), getattr(session, "waiting", None)
    if taken is None or waiting is None:
        taken, waiting = count_places(session)
    left = max(session.capacity - taken, 0)
    if session.is_cancelled:
        return Availability(State.CANCELLED, left, waiting)
    if now >= session.closes_at:
        return Availability(State.CLOSED, left, waiting)
    if session.booking_opens_at and now < session.booking_opens_at:
        return Availability(State.NOT_OPEN_YET, left, waiting)
    if left == 0 or waiting:
        return Availability(State.FULL, 0, waiting)
    if left <= settings.BYP_FEW_PLACES_LEFT:
        return Availability(State.FEW_LEFT, left, waiting)
    return Availability(State.OPEN, left, waiting)


def programme_sessions(programme: Programme) -> list[Session]:
    """The programme's sessions in time order, each with ``availability`` set."""
    now = timezone.now()
    # Explicit order: Django drops Meta.ordering from aggregate queries, so on PostgreSQL the
    # rows would otherwise come back in any order.
    sessions = list(
        with_places_taken(programme.sessions.select_related("programme__organiser")).order_by("starts_at", "pk")
    )
    for session in sessions:
        session.availability = availability(session, now=now)
    return sessions


COUNTED_STATUSES = {
    Booking.Status.CONFIRMED: "confirmed",
    Booking.Status.CANCELLED: "cancelled",
    Booking.Status.PENDING: "pending",
    Booking.Status.OFFERED: "offered",
    Booking.Status.WAITING: "waiting",
    Booking.Status.UNCONFIRMED_EMAIL: "unconfirmed_email",
}


def add_booking_counts(sessions: list[Session]) -> list[Session]:
    """Set ``confirmed``, ``cancelled``, ``pending``, ``offered``, ``waiting``,
    ``unconfirmed_email`` and ``places_taken`` on sessions already fetched, from one query grouped by session and
    status (read from the (session, status) index alone): for the back office, where a
    programme may hold a hundred thousand bookings."""
    for session in sessions:
        for name in COUNTED_STATUSES.values():
            setattr(session, name, 0)
        session.places_taken = 0
    by_id = {session.pk: session for session in sessions}
    counts = (
        Booking.objects.filter(session_id__in=list(by_id))
        .order_by()
        .values_list("session_id", "status")
        .annotate(n=Count("*"))
    )
    for session_id, status, n in counts:
        session = by_id[session_id]
        if status in COUNTED_STATUSES:
            setattr(session, COUNTED_STATUSES[status], n)
        if status in Booking.HOLDING_STATUSES:
            session.places_taken += n
    return sessions


def waiting_position(booking: Booking) -> int:
    """1 for the first person waiting; positions close up when someone leaves or is offered."""
    earlier = Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk)
    return Booking.objects.filter(earlier, session_id=booking.session_id, status=Booking.Status.WAITING).count() + 1

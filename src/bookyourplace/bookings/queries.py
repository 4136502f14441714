"""Finding bookings: the organisers' list of a session's bookings, searched, filtered and sorted.

Read-only; every rule that changes a booking is in services.py.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Session

# The orders a list can be sorted in, by the name the page uses. Each ends with the id so a
# page boundary falls in the same place every time, however many bookings share a value.
SORTS = {
    "name": (Lower("last_name"), Lower("first_name"), "id"),
    "organisation": (Lower("organisation"), Lower("last_name"), Lower("first_name"), "id"),
    "booked_at": ("created_at", "id"),
    "status": ("status", "created_at", "id"),
}
DEFAULT_SORT = "booked_at"


def sort_key(sort: str | None) -> str:
    """The sort asked for ("name", "-name"...), or the default for anything unknown."""
    sort = sort or ""
    return sort if sort.removeprefix("-") in SORTS else DEFAULT_SORT


def _ordering(sort: str) -> list:
    fields = SORTS[sort.removeprefix("-")]
    if not sort.startswith("-"):
        return list(fields)
    return [field.desc() if hasattr(field, "desc") else f"-{field}" for field in fields]


def _matching(q: str) -> Q:
    # Every word must match somewhere, so "alex smith" finds Alex Smith.
    condition = Q()
    for word in q.split():
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__icontains=word)
            | Q(reference__icontains=word)
        )
    return condition


def search_bookings(
    *, session: Session, q: str = "", status: str = "", sector: str = "", sort: str = ""
) -> QuerySet[Booking]:
    """The session's bookings matching the search words, status and sector, in the order asked."""
    bookings = Booking.objects.filter(session=session).filter(_matching(q))
    if status:
        bookings = bookings.filter(status=status)
    if sector:
        bookings = bookings.filter(sector=sector)
    return bookings.order_by(*_ordering(sort_key(sort)))


def bookings_of(
    programmes: QuerySet,
    *,
    programme_slug: str = "",
    session_id: int | None = None,
    status: str = "",
    created_since: datetime | None = None,
    email: str = "",
) -> QuerySet[Booking]:
    """The bookings of these programmes (the API: a token's organiser's), narrowed by a
    programme, a session, a status, a moment they were made after, and an email address
    (as booked: lower case, exactly)."""
    bookings = Booking.objects.filter(session__programme__in=programmes.values("pk"))
    if programme_slug:
        bookings = bookings.filter(session__programme__slug=programme_slug)
    if session_id is not None:
        bookings = bookings.filter(session_id=session_id)
    if status:
        bookings = bookings.filter(status=status)
    if created_since is not None:
        bookings = bookings.filter(created_at__gte=created_since)
    if email:
        bookings = bookings.filter(email=email.strip().lower())
    return bookings.select_related("session__programme")


def waiting_list(session: Session) -> QuerySet[Booking]:
    """The people waiting for a place on the session, first in the queue first: the order in
    which places are offered (waiting_list.first_waiting) and positions counted
    (availability.waiting_position)."""
    return (
        Booking.objects.filter(session=session, status=Booking.Status.WAITING)
        .select_related("session__programme")
        .order_by("created_at", "pk")
    )

"""Helpers for every app's tests: someone's details as the booking form takes them, and a
place booked (or a place on the waiting list) with them through the one booking rule."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from bookyourplace.bookings import services
from bookyourplace.bookings.attendees import AttendeeDetails
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email
from bookyourplace.programmes.models import Session


def attendee_details(email: str = "alex.smith@coventry.gov.uk", **overrides) -> AttendeeDetails:
    """Alex Smith, a social worker at Coventry City Council, with ``email`` and ``overrides``."""
    fields = {
        "first_name": "Alex",
        "last_name": "Smith",
        "email": email,
        "organisation": "Coventry City Council",
        "sector": "childrens_services",
        "job_title": "Social worker",
    }
    fields.update(overrides)
    return AttendeeDetails(**fields)


def places_taken(session) -> int:
    """Places held in the database (confirmed, pending, offered, email not yet confirmed),
    counted here on their own rather than by the code under test."""
    return Booking.objects.filter(session=session, status__in=Booking.HOLDING_STATUSES).count()


def book(session, email: str, *, waiting: bool = False, now: datetime | None = None, **details) -> Booking:
    """Book ``session`` for ``email`` (or join its waiting list) as ``book_place`` does."""
    return services.book_place(
        session_id=session.pk, attendee=attendee_details(email, **details), join_waiting_list=waiting, now=now
    )


def status_of(booking) -> str:
    """The booking's status as the database holds it now (the object is refreshed)."""
    booking.refresh_from_db()
    return booking.status


def emails_to(address: str) -> list[str]:
    """The kinds of email queued for ``address``, oldest first."""
    return list(Email.objects.filter(to=address).order_by("pk").values_list("kind", flat=True))


def book_people(session, names: Sequence[tuple[str, str]], **details) -> list[Booking]:
    """A confirmed place on ``session`` for each (first name, last name), at
    first.last@example.org (numbered when two people share a name)."""
    booked, seen = [], set()
    for n, (first, last) in enumerate(names):
        address = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        if address in seen:
            address = f"{address}.{n}"
        seen.add(address)
        booked.append(book(session, f"{address}@example.org", first_name=first, last_name=last, **details))
    return booked


def numbered_people(count: int) -> list[tuple[str, str]]:
    """("Person0", "Surname000"), ("Person1", "Surname001")...: surnames sort in the order made."""
    return [(f"Person{n}", f"Surname{n:03d}") for n in range(count)]


def end_session(session: Session, *, ago: timedelta = timedelta(hours=1)) -> Session:
    """Move the session into the past, as if its day had come and gone: it ran for its usual
    length and ended ``ago`` before now."""
    length = session.ends_at - session.starts_at
    ends_at = timezone.now() - ago
    Session.objects.filter(pk=session.pk).update(starts_at=ends_at - length, ends_at=ends_at)
    session.refresh_from_db()
    return session

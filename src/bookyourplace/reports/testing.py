"""Helpers for the reports' tests: sessions held on a given day, people booked on them through
the one booking rule, and what happened to a booking since (a cancellation on a given day,
an offer) written straight onto it, as the history a report reads."""

import zoneinfo
from datetime import datetime, timedelta

from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book
from bookyourplace.programmes.models import Session

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    """'2026-01-20' at 10:00 in London."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LONDON)


def held_on(session: Session, starts_at: datetime, hours: int = 2, **fields) -> Session:
    """Move the session to ``starts_at`` (its bookings made already, as if long before), with
    any other ``fields`` changed too (fewer places than were booked, say)."""
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **fields
    )
    session.refresh_from_db()
    return session


def people(session: Session, count: int, *, prefix: str, **details) -> list[Booking]:
    """``count`` confirmed places on the session, for prefix0@example.org, prefix1@..."""
    return [book(session, f"{prefix}{n}@example.org", **details) for n in range(count)]


def change(booking: Booking, **fields) -> Booking:
    """Write what happened to the booking since it was made (status, timestamps)."""
    Booking.objects.filter(pk=booking.pk).update(**fields)
    booking.refresh_from_db()
    return booking

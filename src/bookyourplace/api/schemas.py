"""The shapes the API answers with that several endpoints share: a booking (as
``bookings/records.py: booking_record`` describes it, for the API and webhooks alike), a page
of them, and the bounded numbers every id and count parameter takes."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

from bookyourplace.bookings.models import Booking

# A programme's slug, as its web address has it.
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", min_length=1, max_length=80)]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _written_as_iso(value):
    """Only a day or moment written as ISO 8601 (the parser would take "0.5" as a Unix time)."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("Write it in ISO 8601, like 2026-01-19 (a day) or 2026-01-19T09:00:00Z (a moment)")
    return value


# Days and moments a filter may name: far enough either way for any real question, near enough
# that the database can hold them in every time zone.
Day = Annotated[date, BeforeValidator(_written_as_iso), Field(ge=date(1900, 1, 1), le=date(9000, 12, 31))]


def _within_range(moment: datetime) -> datetime:
    try:
        within = datetime(1900, 1, 1, tzinfo=UTC) <= moment <= datetime(9000, 12, 31, tzinfo=UTC)
    except OverflowError:
        within = False
    if not within:
        raise ValueError("Give a moment between the years 1900 and 9000")
    return moment


Moment = Annotated[AwareDatetime, BeforeValidator(_written_as_iso), AfterValidator(_within_range)]
# Database ids: a number the database can hold (bigger ones are not ids, and would overflow it).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# Text typed on one line: no control or invisible formatting character (the booking form's own
# check, bookings/attendees.py: has_control_characters; they would break an email header or a
# CSV, and PostgreSQL refuses NUL). The zero-width joiners, which names need, are allowed.
_CONTROLS = (
    r"\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200e\u200f"
    r"\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
ONE_LINE_PATTERN = rf"^[^{_CONTROLS}]*$"
# Text that may run over several lines: line breaks and tabs, but no other control character.
MULTI_LINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# A booking's status, by its value ("confirmed", "waiting"...).
BookingStatus = Literal[tuple(Booking.Status.values)]


# A moment as bookings/records.py writes it (ISO 8601, UTC, to the microsecond): passed on as it
# is, so the API and the webhooks give the very same text.
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class BookingSession(Schema):
    id: int
    title: str
    starts_at: Timestamp
    ends_at: Timestamp
    programme: str = Field(description="The programme's slug.")


class BookingAttendee(Schema):
    first_name: str
    last_name: str
    email: str
    organisation: str
    sector: str
    job_title: str


class BookingRecord(Schema):
    """A booking, the same as webhooks send it. Access needs are never included (health data);
    nor is the session's joining link."""

    reference: str = Field(description="The booking's reference, as the attendee sees it: BYP-XXXXX.")
    uid: UUID
    status: BookingStatus
    session: BookingSession
    attendee: BookingAttendee
    created_at: Timestamp
    confirmed_at: Timestamp | None
    cancelled_at: Timestamp | None
    anonymised: bool = Field(description="True once the person's details were removed (retention or erasure).")


class BookingPage(Schema):
    results: list[BookingRecord]
    next: str | None = Field(description="The address of the next page, or null on the last page.")

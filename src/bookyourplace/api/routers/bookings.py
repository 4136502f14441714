"""Bookings, with a token, of the token's organiser's programmes only: list (filtered, a page at a
time), read one, book (the public form's rules: bookings/services.py: book_place), cancel
(cancel_booking). Every booking is described by bookings/records.py: booking_record, as the
webhooks describe it."""

from typing import Annotated

from ninja import Body, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import BaseModel, Field

from bookyourplace.accounts.models import ApiScope
from bookyourplace.api import booking_requests, pagination
from bookyourplace.api.audit import actor_for_token
from bookyourplace.api.auth import needs
from bookyourplace.api.limits import too_many_requests
from bookyourplace.api.problems import Problem, field_problem, invalid
from bookyourplace.api.schemas import (
    MULTI_LINE_PATTERN,
    ONE_LINE_PATTERN,
    BookingPage,
    BookingRecord,
    BookingStatus,
    Id,
    Moment,
    Slug,
)
from bookyourplace.api.scoping import booking_of_token, programmes_of, session_of_token
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.queries import bookings_of
from bookyourplace.bookings.records import booking_record
from bookyourplace.core import rate_limits
from bookyourplace.programmes.questions import questions_for

router = Router(tags=["Bookings"])

Reference = Annotated[str, Field(pattern=r"^BYP-[0-9A-Z]{5}$", description="The booking's reference: BYP-XXXXX.")]


class BookingFilters(Schema):
    programme: Slug | None = Field(default=None, description="Only this programme's bookings (its slug).")
    session: Id | None = Field(default=None, description="Only this session's bookings (its id).")
    status: BookingStatus | None = Field(default=None, description="Only bookings with this status.")
    created_since: Moment | None = Field(
        default=None, description="Only bookings made at or after this moment (ISO 8601 with a time zone)."
    )
    email: str | None = Field(
        default=None,
        max_length=254,
        pattern=ONE_LINE_PATTERN,
        description="Only bookings for this email address (in any case).",
    )
    cursor: str | None = Field(
        default=None, max_length=200, pattern=ONE_LINE_PATTERN, description="From the `next` link of the page before."
    )
    limit: int = Field(default=pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT, description="Bookings a page.")


# Request bodies are plain pydantic models, not ninja Schemas: a Schema reads attributes too, so
# a body that is not an object (a list, a number) would pass as an empty one.
class Cancellation(BaseModel):
    """Optional: why the booking is cancelled."""

    reason: str = Field(
        default="",
        max_length=1000,
        pattern=MULTI_LINE_PATTERN,
        description="Why, told to the attendee in the cancellation email (optional).",
    )


@router.get(
    "/bookings",
    response={200: BookingPage, 401: Problem, 403: Problem, 422: Problem, 429: Problem},
    summary="List bookings",
    **needs(ApiScope.READ_BOOKINGS),
)
def list_bookings(request, filters: Query[BookingFilters]):
    """Your organiser's bookings, oldest first, a page at a time: follow `next` until it is null.
    A booking made meanwhile comes at the end; none is shown twice."""
    rows = bookings_of(
        programmes_of(request),
        programme_slug=filters.programme or "",
        session_id=filters.session,
        status=filters.status or "",
        created_since=filters.created_since,
        email=filters.email or "",
    )
    try:
        page = pagination.page_of(rows, request=request, cursor=filters.cursor, limit=filters.limit)
    except pagination.BadCursor as bad:
        return invalid([field_problem("cursor", str(bad), "query")])
    return {"results": [booking_record(b) for b in page.rows], "next": page.next}


@router.get(
    "/bookings/{reference}",
    response={200: BookingRecord, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="A booking",
    **needs(ApiScope.READ_BOOKINGS),
)
def get_booking(request, reference: Path[Reference]):
    return booking_record(booking_of_token(request, reference))


@router.post(
    "/sessions/{session_id}/bookings",
    response={
        201: BookingRecord,
        400: Problem,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
        429: Problem,
    },
    summary="Book a place",
    **needs(ApiScope.WRITE_BOOKINGS),
)
def create_booking(request, session_id: Path[Id], payload: Body[booking_requests.NewBooking]):
    """Book a place for one person with the public booking form's rules: the same checks and
    messages, the organiser's questions, approval and trusted domains, confirming the email
    address first where the programme asks it, and the waiting list when the session is full
    (if `join_waiting_list`). The status says which: confirmed, pending, unconfirmed_email or
    waiting. The attendee is emailed as if they had booked on the site.

    Refused with 409 when the session cannot take them (full, closed, cancelled, not open yet,
    the address already booked), naming the reason in `type`."""
    session = session_of_token(request, session_id)
    questions = questions_for(session)
    try:
        checked = booking_requests.check(payload, session=session, questions=questions)
    except booking_requests.Refused as refused:
        return invalid(refused.problems)
    # As the public form: one email address books a handful of sessions in a few minutes.
    wait = rate_limits.hit("booking_per_email", checked.attendee.email)
    if wait:
        return too_many_requests(wait, "Too many bookings for this email address. Try again later.")
    booking = bookings.book_place(
        session_id=session.pk,
        attendee=checked.attendee,
        join_waiting_list=payload.join_waiting_list,
        actor=actor_for_token(request, request.auth),
        answers=checked.answers,
        questions=checked.questions,
    )
    booking.session.programme = session.programme
    return Status(201, booking_record(booking))


@router.post(
    "/bookings/{reference}/cancel",
    response={200: BookingRecord, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="Cancel a booking",
    **needs(ApiScope.WRITE_BOOKINGS),
)
def cancel_booking(request, reference: Path[Reference], payload: Body[Cancellation | None] = None):
    """Cancel the booking (or take the person off the waiting list, or decline an offer), as an
    organiser does: at any time, with the reason told to the attendee. A freed place goes to the
    next person waiting. Cancelling a booking already ended changes nothing."""
    booking = booking_of_token(request, reference)
    cancelled = bookings.cancel_booking(
        booking_id=booking.pk,
        actor=actor_for_token(request, request.auth),
        by_organiser=True,
        reason=payload.reason if payload is not None else "",
    )
    cancelled.session.programme = booking.session.programme
    return booking_record(cancelled)

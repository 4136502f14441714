"""A session's people, with a token: its waiting list in queue order (read:bookings) and who came
(read:attendance: the marks, the outcome of each confirmed booking as attendance/services.py
decides it, and the walk-ins)."""

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from bookyourplace.accounts.models import ApiScope
from bookyourplace.api.auth import needs
from bookyourplace.api.problems import Problem
from bookyourplace.api.schemas import BookingRecord, Id
from bookyourplace.api.scoping import session_of_token
from bookyourplace.attendance.models import Method, Outcome, WalkIn
from bookyourplace.attendance.services import session_outcomes
from bookyourplace.bookings.queries import waiting_list
from bookyourplace.bookings.records import booking_record

router = Router(tags=["Sessions: waiting list and attendance"])


class Waiting(Schema):
    position: int = Field(description="1 for the first person waiting: the next place freed is offered to them.")
    booking: BookingRecord


class WaitingList(Schema):
    session_id: int
    waiting: list[Waiting]


class Mark(Schema):
    booking: str = Field(description="The booking's reference.")
    first_name: str
    last_name: str
    email: str
    organisation: str
    outcome: Literal[tuple(Outcome.values)] | None = Field(
        description="attended, partly_attended or no_show. A confirmed booking of a session that has ended with "
        "no mark is a no-show; null while the session has not ended and nobody has marked it."
    )
    marked: bool = Field(description="True when someone marked it (the register, a QR code, a Teams report, by hand).")
    method: Literal[tuple(Method.values)] | None
    minutes_present: int | None = Field(description="From a Teams attendance report.")
    checked_in_at: datetime | None
    marked_at: datetime | None


class WalkInOut(Schema):
    first_name: str
    last_name: str
    organisation: str
    recorded_at: datetime


class Attendance(Schema):
    session_id: int
    ended: bool
    marks: list[Mark] = Field(description="Every confirmed booking, in register order (by surname).")
    walk_ins: list[WalkInOut] = Field(description="People who came without a booking.")


@router.get(
    "/sessions/{session_id}/waiting-list",
    response={200: WaitingList, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="A session's waiting list",
    **needs(ApiScope.READ_BOOKINGS),
)
def get_waiting_list(request, session_id: Path[Id]):
    """The people waiting for a place, first in the queue first. Someone offered a place has left
    the queue: their booking's status is `offered`."""
    session = session_of_token(request, session_id)
    return {
        "session_id": session.pk,
        "waiting": [
            {"position": n, "booking": booking_record(b)} for n, b in enumerate(waiting_list(session), start=1)
        ],
    }


@router.get(
    "/sessions/{session_id}/attendance",
    response={200: Attendance, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="Who came to a session",
    **needs(ApiScope.READ_ATTENDANCE),
)
def get_attendance(request, session_id: Path[Id]):
    session = session_of_token(request, session_id)
    now = timezone.now()
    marks = []
    for row in session_outcomes(session, now=now):
        booking, mark = row.booking, row.attendance
        marks.append(
            {
                "booking": booking.reference,
                "first_name": booking.first_name,
                "last_name": booking.last_name,
                "email": booking.email,
                "organisation": booking.organisation,
                "outcome": row.outcome,
                "marked": mark is not None,
                "method": mark.method if mark is not None else None,
                "minutes_present": mark.minutes_present if mark is not None else None,
                "checked_in_at": mark.checked_in_at if mark is not None else None,
                "marked_at": mark.marked_at if mark is not None else None,
            }
        )
    walk_ins = [
        {
            "first_name": w.first_name,
            "last_name": w.last_name,
            "organisation": w.organisation,
            "recorded_at": w.recorded_at,
        }
        for w in WalkIn.objects.filter(session=session)
    ]
    return {"session_id": session.pk, "ended": session.ends_at <= now, "marks": marks, "walk_ins": walk_ins}

"""Who may see a session's joining details (its joining link and instructions).

The joining link is the key to the room: anyone holding it can join a Teams meeting about
counter-terrorism work. So it goes to one kind of person only, by every path (the manage
page, the calendar download, every email and invite, message placeholders, reminders, and
anything added later): someone whose place is confirmed on an online session that still
takes place. Every path asks ``joining_details_for(booking)`` (or, for a query over many
bookings, ``may_see_joining_details_q()``) and shows what it returns, or nothing.

The rule:
- the booking is CONFIRMED. This is an allow-list: pending approval, waiting, offered,
  cancelled, rejected, an offer that ran out, and any status added later see nothing;
- the session is online (an in-person session never shows a joining link, even one left
  over from when it was online) and not cancelled;
- the programme is not archived. Archiving retires a programme, so nothing keeps handing
  out its links; a programme taken back to draft (unpublished to be edited) keeps them,
  because its confirmed attendees still have their places.
"""

from dataclasses import dataclass

from django.db.models import Q

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Programme, Session

# Allow-list: a status is shown the joining details only if it is named here.
STATUSES_THAT_MAY_JOIN = frozenset({Booking.Status.CONFIRMED})


@dataclass(frozen=True)
class JoiningDetails:
    """What a confirmed attendee is given to join an online session."""

    url: str  # may be empty: the organiser has not added the link yet
    instructions: str
    platform: str


def may_see_joining_details(booking: Booking) -> bool:
    session = booking.session
    return (
        booking.status in STATUSES_THAT_MAY_JOIN
        and session.delivery == Session.Delivery.ONLINE
        and session.status == Session.Status.SCHEDULED
        and session.programme.status != Programme.Status.ARCHIVED
    )


def joining_details_for(booking: Booking) -> JoiningDetails | None:
    """The joining details this booking's holder may see, or None."""
    if not may_see_joining_details(booking):
        return None
    session = booking.session
    return JoiningDetails(
        url=session.joining_url, instructions=session.joining_instructions.strip(), platform=session.platform
    )


def may_see_joining_details_q() -> Q:
    """The same rule as ``may_see_joining_details``, as a filter on Booking querysets."""
    return (
        Q(status__in=STATUSES_THAT_MAY_JOIN)
        & Q(session__delivery=Session.Delivery.ONLINE)
        & Q(session__status=Session.Status.SCHEDULED)
        & ~Q(session__programme__status=Programme.Status.ARCHIVED)
    )

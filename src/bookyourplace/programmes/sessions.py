"""A session's own details: what an organiser may set, the checks they must pass, adding one.

Changing or cancelling a session that people have booked also moves places and tells
attendees; that belongs with the bookings (bookings/session_changes.py), which calls
``apply_changes`` and ``mark_cancelled`` here under the session's lock.
"""

import datetime as dt
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.errors import InvalidSessionDetails
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.programmes.page_version import programme_changed


class SessionDetails(TypedDict, total=False):
    """What an organiser sets on a session; any left out stay as they are (or the default)."""

    title: str
    subtitle: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    delivery: str
    platform: str
    joining_url: str
    joining_instructions: str
    venue: str
    room: str
    address: str
    capacity: int
    booking_opens_at: dt.datetime | None
    booking_closes_at: dt.datetime | None
    approval_mode: str
    trusted_domains: str
    confirm_from_waiting_list: bool


SESSION_FIELDS = tuple(SessionDetails.__annotations__)
# A change to any of these must reach attendees' inboxes and calendars.
SIGNIFICANT_FIELDS = ("starts_at", "ends_at", "delivery", "platform", "joining_url", "venue", "room", "address")


def check_session(session: Session, *, places_taken: int = 0) -> None:
    """Raise InvalidSessionDetails, field by field, in words an organiser understands.

    ``places_taken``: places people already hold, counted by the caller under the session's
    lock; there must be at least as many places."""
    errors: dict[str, str] = {}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("The end time must be after the start time")
    if session.capacity is None or session.capacity < 1:
        errors["capacity"] = _("Enter a number of places of 1 or more")
    if session.delivery == Session.Delivery.IN_PERSON and not (session.room.strip() or session.venue.strip()):
        errors["venue"] = _("Enter the venue or room for an in-person session")
    if (
        session.delivery == Session.Delivery.ONLINE
        and not session.joining_url
        and session.programme.is_published
        and not session.is_cancelled
    ):
        errors["joining_url"] = _("Enter the joining link: the programme is published, so attendees need it")
    if session.booking_closes_at and session.starts_at and session.booking_closes_at > session.starts_at:
        errors["booking_closes_at"] = _("Booking must close before the session starts")
    if session.booking_opens_at and session.booking_closes_at and session.booking_opens_at >= session.booking_closes_at:
        errors["booking_opens_at"] = _("Booking must open before it closes")
    if session.capacity and session.capacity < places_taken:
        errors["capacity"] = ngettext(
            "%(taken)d person already has a place, so there must be at least %(taken)d place. "
            "Cancel a booking first if you need fewer.",
            "%(taken)d people already have a place, so there must be at least %(taken)d places. "
            "Cancel bookings first if you need fewer.",
            places_taken,
        ) % {"taken": places_taken}
    if errors:
        raise InvalidSessionDetails({field: [message] for field, message in errors.items()})


def _known(details: SessionDetails) -> SessionDetails:
    unknown = set(details) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Not a session detail: {', '.join(sorted(unknown))}")
    return details


def create_session(*, programme: Programme, actor: Actor, **details: Unpack[SessionDetails]) -> Session:
    """Add a session to a programme (nobody has booked it yet, so nobody is told)."""
    session = Session(programme=programme, **_known(details))
    check_session(session)
    with transaction.atomic():
        session.save()
        record(
            actor=actor,
            action=AuditEvent.Action.CREATED_SESSION,
            summary=f"Added session '{session.title}'",
            subject=session,
            programme_id=programme.pk,
        )
        programme_changed(programme.pk)
    return session


def apply_changes(*, session: Session, places_taken: int, **changes: Unpack[SessionDetails]) -> tuple[str, ...]:
    """Check and save an organiser's changes to a session locked by the caller; the names of
    the fields that changed. The caller records them and raises the page version last."""
    before = {name: getattr(session, name) for name in SESSION_FIELDS}
    for name, value in _known(changes).items():
        setattr(session, name, value)
    check_session(session, places_taken=places_taken)
    session.save()
    return tuple(name for name in SESSION_FIELDS if before[name] != getattr(session, name))


def mark_cancelled(session: Session) -> bool:
    """Mark a session locked by the caller cancelled; False if it already was."""
    if session.is_cancelled:
        return False
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status"])
    return True

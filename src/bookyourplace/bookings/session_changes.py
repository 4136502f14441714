"""What an organiser's change to a session, or its cancellation, does to the people booked on it.

A programme does not know who booked: the session's own details and checks are in
programmes/sessions.py, called from here under the session's lock. Here the freed or added
places go to the waiting list, attendees are told, and their calendar invites move on.
"""

from dataclasses import dataclass
from typing import Unpack

from django.db import transaction
from django.db.models import F

from bookyourplace.bookings import emails, locking, waiting_list
from bookyourplace.bookings.availability import count_places
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes import sessions
from bookyourplace.programmes.models import Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.webhooks import events as webhook_events
from bookyourplace.webhooks.services import announce


@dataclass(frozen=True)
class SessionChange:
    session: Session
    changed: tuple[str, ...]
    attendees_told: int


def change_session(*, session_id: int, actor: Actor, **changes: Unpack[sessions.SessionDetails]) -> SessionChange:
    """Save an organiser's changes; a change of time, place or link is sent to every attendee
    with an updated calendar invite (same UID, SEQUENCE one higher)."""
    with transaction.atomic():
        session = locking.lock_session(session_id)
        taken, _waiting = count_places(session)
        changed = sessions.apply_changes(session=session, places_taken=taken, **changes)
        told = 0
        if set(changed) & set(sessions.SIGNIFICANT_FIELDS) and not session.is_cancelled:
            told = _tell_attendees(session, emails.queue_session_changed)
        if "capacity" in changed:
            # More places: they go to the waiting list first.
            waiting_list.offer_free_places(session=session)
        if changed:
            record(
                actor=actor,
                action=AuditEvent.Action.CHANGED_SESSION,
                summary=f"Changed {', '.join(changed)} of session '{session.title}'"
                + (f"; {told} attendees told" if told else ""),
                subject=session,
                programme_id=session.programme_id,
            )
            _announce(session, changed)
        programme_changed(session.programme_id)
    return SessionChange(session=session, changed=changed, attendees_told=told)


def cancel_session(*, session_id: int, actor: Actor, reason: str = "") -> SessionChange:
    """Cancel a session: every confirmed attendee gets a cancellation and a calendar
    cancellation (METHOD:CANCEL); their manage pages and the programme say it is cancelled."""
    with transaction.atomic():
        session = locking.lock_session(session_id)
        if not sessions.mark_cancelled(session):
            return SessionChange(session=session, changed=(), attendees_told=0)
        told = _tell_attendees(session, emails.queue_session_cancelled, everyone_on_the_list=True, note=reason)
        record(
            actor=actor,
            action=AuditEvent.Action.CANCELLED_SESSION,
            summary=f"Cancelled session '{session.title}'; {told} attendees told"
            + (f". Reason: {reason}" if reason else ""),
            subject=session,
            programme_id=session.programme_id,
        )
        _announce(session, ("status",))
        programme_changed(session.programme_id)
    return SessionChange(session=session, changed=("status",), attendees_told=told)


def _announce(session: Session, changed: tuple[str, ...]) -> None:
    """session.changed to the organiser's endpoints; a cancellation is a change of status."""
    announce(
        organiser_id=session.programme.organiser_id,
        event=webhook_events.SESSION_CHANGED,
        data=lambda: webhook_events.session_changed_data(session, changed),
    )


def _tell_attendees(session: Session, queue, everyone_on_the_list: bool = False, **kwargs) -> int:
    """Email confirmed attendees (and, when asked, everyone pending, offered or waiting);
    confirmed attendees' invites move to the next SEQUENCE first."""
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    confirmed.update(invite_sequence=F("invite_sequence") + 1)
    statuses = Booking.ACTIVE_STATUSES if everyone_on_the_list else (Booking.Status.CONFIRMED,)
    people = list(Booking.objects.filter(session=session, status__in=statuses).select_related("session__programme"))
    for booking in people:
        queue(booking=booking, **kwargs)
    return len(people)

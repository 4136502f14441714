"""What an endpoint may subscribe to, and what each message says.

Every message has the Standard Webhooks shape: ``{"type": ..., "timestamp": ..., "data": ...}``.

- ``booking.created``: a new booking, whatever its status: a confirmed place, one waiting for
  approval (``pending``) or for the attendee to confirm their address (``unconfirmed_email``),
  or a place on the waiting list (``waiting``). ``data`` is the booking (bookings/records.py).
- ``booking.cancelled``: the attendee or an organiser cancelled it, or the attendee left the
  waiting list. ``data``: the booking.
- ``booking.approved``: an organiser approved a booking that waited for approval. ``data``: the booking.
- ``attendance.marked``: whether a confirmed attendee came, from the register, a QR code, a
  Teams report or a correction. ``data``: ``{"booking": ..., "attendance": ...}``.
- ``session.changed``: an organiser changed a session's details, or cancelled it (then
  ``changed`` is ``["status"]`` and the session's ``status`` is ``cancelled``). ``data``:
  ``{"session": ..., "changed": [field names]}``. The joining link is never sent.
- ``ping``: the back office's "Send a test message"; nobody subscribes to it.
"""

from django.utils.translation import gettext_lazy as _

from bookyourplace.core.formatting import iso_utc

BOOKING_CREATED = "booking.created"
BOOKING_CANCELLED = "booking.cancelled"
BOOKING_APPROVED = "booking.approved"
ATTENDANCE_MARKED = "attendance.marked"
SESSION_CHANGED = "session.changed"
PING = "ping"

# What an organiser may subscribe to, in the words the back office shows.
EVENTS = {
    BOOKING_CREATED: _("Someone books a place or joins a waiting list"),
    BOOKING_CANCELLED: _("A booking is cancelled"),
    BOOKING_APPROVED: _("A booking is approved"),
    ATTENDANCE_MARKED: _("Attendance is marked"),
    SESSION_CHANGED: _("A session is changed or cancelled"),
}


def session_data(session) -> dict:
    """A session as a message describes it: its public details, never the joining link or
    its instructions (those are for confirmed attendees only: bookings/joining.py)."""
    return {
        "id": session.pk,
        "title": session.title,
        "subtitle": session.subtitle,
        "starts_at": iso_utc(session.starts_at),
        "ends_at": iso_utc(session.ends_at),
        "status": session.status,
        "delivery": session.delivery,
        "platform": session.platform,
        "venue": session.venue,
        "room": session.room,
        "address": session.address,
        "capacity": session.capacity,
        "programme": session.programme.slug,
    }


def session_changed_data(session, changed) -> dict:
    return {"session": session_data(session), "changed": list(changed)}


def attendance_data(attendance) -> dict:
    return {
        "outcome": attendance.outcome,
        "method": attendance.method,
        "minutes_present": attendance.minutes_present,
        "checked_in_at": iso_utc(attendance.checked_in_at),
        "marked_at": iso_utc(attendance.marked_at),
    }

"""Calendar invites (RFC 5545 and the iTIP methods of RFC 5546) for one attendee.

One booking is one event in the attendee's calendar: its UID never changes, and each
invite carries the booking's SEQUENCE, so Outlook and Google apply an update or a
cancellation to the event they already hold.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from bookyourplace.bookings.joining import joining_details_for
from bookyourplace.bookings.models import Booking
from bookyourplace.core.site import site_host
from bookyourplace.programmes.calendars import PRODID, full_address, vtimezone

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def invite_uid(booking: Booking) -> str:
    return f"booking-{booking.uid}@{site_host()}"


def _description(booking: Booking, manage_url: str, method: str) -> str:
    session = booking.session
    lines = [session.title]
    if session.subtitle:
        lines.append(session.subtitle)
    lines.append("")
    lines.append(_("Booking reference: %(reference)s") % {"reference": booking.reference})
    # Whether the link goes in is the booking's rule, not the caller's choice; a withdrawal
    # (CANCEL) never needs it.
    joining = joining_details_for(booking) if method == REQUEST else None
    if joining is not None:
        if joining.url:
            lines.append(_("Join the session: %(url)s") % {"url": joining.url})
        if joining.instructions:
            lines.append(joining.instructions)
    elif not session.is_online and session.address:
        lines.append(_("Address: %(address)s") % {"address": session.address})
    lines.append("")
    lines.append(_("Manage or cancel your booking: %(url)s") % {"url": manage_url})
    return "\n".join(lines)


def build_invite(
    *,
    booking: Booking,
    method: str,
    sequence: int,
    manage_url: str,
    stamp: datetime | None = None,
) -> bytes:
    """The .ics file for this booking: an invite (REQUEST) or its withdrawal (CANCEL).

    The joining details go in only when ``bookings.joining`` says this booking may see them.
    """
    session = booking.session
    programme = session.programme
    organiser = programme.organiser
    tz = programme.tz

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(vtimezone(programme.time_zone))

    event = Event()
    event.add("uid", invite_uid(booking))
    event.add("dtstamp", stamp or timezone.now())
    event.add("sequence", sequence)
    event.add("summary", session.title)
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    event.add("location", session.location_text if session.is_online else full_address(session))
    event.add("description", _description(booking, manage_url, method))
    # A place not yet confirmed (waiting for approval, on the waiting list, offered, held until
    # the address is confirmed) is in the calendar as tentative, never as a confirmed meeting.
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED" if booking.is_confirmed else "TENTATIVE")
    event.add("transp", "OPAQUE")

    organizer = vCalAddress(f"mailto:{organiser.contact_email}")
    organizer.params["cn"] = vText(organiser.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.email}")
    attendee.params["cn"] = vText(booking.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()

"""What every .ics file the service writes shares: who wrote it, the time zone as calendars
read it, and where a session happens.

Attendees' invites (bookings/invites.py) and the public calendar feeds
(programmes/calendar_feed.py) both use it.
"""

import functools
from datetime import datetime, timedelta

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from bookyourplace.programmes.models import Session

PRODID = "-//Book Your Place//bookyourplace//EN"


def _europe_london() -> Timezone:
    """Europe/London as Outlook and Google write it: one rule for BST, one for GMT.

    icalendar's generated zones list every change as RDATEs; some widely used parsers read
    only the first of those, so we write the two yearly rules instead.
    """
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    # From 01:00 GMT on the last Sunday of March, and from 02:00 BST on the last Sunday of October.
    zone.add_component(_yearly(TimezoneDaylight(), "BST", datetime(1981, 3, 29, 1, 0, 0), hours_from=0, hours_to=1))
    zone.add_component(_yearly(TimezoneStandard(), "GMT", datetime(1996, 10, 27, 2, 0, 0), hours_from=1, hours_to=0))
    return zone


def _yearly(rule, name: str, first: datetime, *, hours_from: int, hours_to: int):
    """The clocks change to ``name`` on the last Sunday of ``first``'s month, every year."""
    rule.add("tzname", name)
    rule.add("dtstart", first)
    rule.add("tzoffsetfrom", timedelta(hours=hours_from))
    rule.add("tzoffsetto", timedelta(hours=hours_to))
    rule.add("rrule", {"freq": "yearly", "bymonth": first.month, "byday": "-1su"})
    return rule


@functools.cache
def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE for a programme's zone. Built once per process and shared by every
    file written (only ever read)."""
    if tzid == "Europe/London":
        return _europe_london()
    return Timezone.from_tzid(tzid)


def full_address(session: Session) -> str:
    """Where an in-person session happens, on one line: "Room 1.4, Friargate, 1 Friargate, Coventry CV1 2GN"."""
    parts = [session.room, session.venue]
    if session.address:
        parts.append(" ".join(session.address.split()))
    return ", ".join(p for p in parts if p)

"""A programme's sessions as a calendar feed to subscribe to, and one session as a file to
add to a calendar before booking (issue 16, point 4).

Public details only: what the public programme page shows. The joining link and its
instructions never go in (only confirmed attendees see them, and ``bookings.joining``
decides who they are). This module sits below the bookings app, so it cannot even reach
that rule, let alone the link: a feed is the same for everyone who fetches it.

What a calendar does with it:

- ``METHOD:PUBLISH``: events to show, not a meeting to answer.
- Each session has its own UID, the same in every fetch and after every change, so a
  calendar moves the event it holds instead of adding a second one. It is NOT the UID of an
  attendee's invite (``bookings.invites.invite_uid``): Outlook treats items with the same UID
  as one, so the session added before booking (or a feed) would overwrite the booked invite
  and its joining link, or be overwritten by it.
- SEQUENCE counts the organiser's changes to the session (each change and a cancellation is
  in the audit log, which keeps them: only old entries, of sessions long past, are ever
  purged), LAST-MODIFIED is the last of them: a calendar that finds a higher SEQUENCE takes
  the new details. DTSTAMP is when the file was written.
- A cancelled session stays in the feed with ``STATUS:CANCELLED`` (and "Cancelled:" before
  its title, which Outlook shows where it ignores the status), so subscribers see it.
- Times are written in the programme's zone with its VTIMEZONE (programmes/calendars.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from bookyourplace.core.site import site_host
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.calendars import PRODID, full_address, vtimezone
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.programmes.printed import html_to_text

# How often a subscribed calendar should look for changes (Outlook reads X-PUBLISHED-TTL,
# others REFRESH-INTERVAL; each may check less often than asked).
REFRESH = timedelta(hours=1)
_CHANGES = (AuditEvent.Action.CHANGED_SESSION, AuditEvent.Action.CANCELLED_SESSION)
_HISTORY = (AuditEvent.Action.CREATED_SESSION, *_CHANGES)


@dataclass(frozen=True)
class FeedAddresses:
    """Where a calendar subscribes: the web address, and the same as webcal:// (which opens
    the calendar app on a phone or a computer)."""

    https: str
    webcal: str


def feed_addresses(programme: Programme) -> FeedAddresses:
    address = settings.SITE_URL + reverse("public:programme_calendar", kwargs={"programme_slug": programme.slug})
    return FeedAddresses(https=address, webcal="webcal://" + address.split("://", 1)[1])


def session_uid(session: Session) -> str:
    """The session's UID in every feed and file: never an attendee's invite UID (see above)."""
    return f"session-{session.pk}@{site_host()}"


def programme_feed(programme: Programme, *, now: datetime | None = None) -> bytes:
    """The programme's sessions, cancelled ones included, as a feed to subscribe to."""
    sessions = list(programme.sessions.order_by("starts_at", "pk"))
    calendar = _calendar()
    calendar.add("name", programme.title)
    calendar.add("x-wr-calname", programme.title)
    if programme.summary:
        calendar.add("description", programme.summary)
        calendar.add("x-wr-caldesc", programme.summary)
    calendar.add("x-wr-timezone", programme.time_zone)
    calendar.add("url", settings.SITE_URL + programme.get_absolute_url())
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(vtimezone(programme.time_zone))
    stamp = now or timezone.now()
    histories = _histories(sessions)
    for session in sessions:
        event = _event(session, programme=programme, history=histories.get(session.pk), stamp=stamp)
        # Subscribing shows what is on, not what the person will attend: it leaves them free.
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def session_file(session: Session, *, now: datetime | None = None) -> bytes:
    """One session, to add to a calendar before booking. No calendar name or refresh
    interval: with those, Outlook offers to open the file as a calendar of its own instead
    of adding the event to the person's calendar."""
    programme = session.programme
    calendar = _calendar()
    calendar.add_component(vtimezone(programme.time_zone))
    calendar.add_component(
        _event(session, programme=programme, history=_histories([session]).get(session.pk), stamp=now or timezone.now())
    )
    return calendar.to_ical()


@dataclass(frozen=True)
class _History:
    changes: int
    last_change: datetime


def _histories(sessions: list[Session]) -> dict[int, _History]:
    """Each session's changes and the time of the last, from the audit log, in one query."""
    rows = (
        AuditEvent.objects.filter(
            subject_type=Session._meta.model_name,
            subject_id__in=[str(session.pk) for session in sessions],
            action__in=_HISTORY,
        )
        .order_by()
        .values("subject_id")
        .annotate(changes=Count("pk", filter=Q(action__in=_CHANGES)), last_change=Max("created_at"))
    )
    return {int(row["subject_id"]): _History(row["changes"], row["last_change"]) for row in rows}


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def _event(session: Session, *, programme: Programme, history: _History | None, stamp: datetime) -> Event:
    tz = programme.tz
    url = settings.SITE_URL + session.get_absolute_url()
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("sequence", history.changes if history else 0)
    # A session imported or copied with its programme has no history of its own: it was
    # written when the programme was.
    event.add("last-modified", history.last_change if history else programme.created_at)
    title = session.title
    event.add("summary", _("Cancelled: %(title)s") % {"title": title} if session.is_cancelled else title)
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    event.add("location", location(session))
    event.add("description", description(session, url=url))
    event.add("url", url)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("class", "PUBLIC")
    organiser = programme.organiser
    organizer = vCalAddress(f"mailto:{organiser.contact_email}")
    organizer.params["cn"] = vText(organiser.name)
    event.add("organizer", organizer)
    return event


def location(session: Session) -> str:
    """ "Room 1.4, Friargate, 1 Friargate, Coventry CV1 2GN" or "Online (Microsoft Teams)"."""
    if session.is_online:
        if session.platform:
            return _("Online (%(platform)s)") % {"platform": session.platform}
        return _("Online")
    return full_address(session)


def description(session: Session, *, url: str) -> str:
    """What the public session page says, as plain text, and where to book."""
    parts = []
    if session.is_cancelled:
        parts.append(_("This session has been cancelled."))
    if session.subtitle:
        parts.append(session.subtitle)
    if text := html_to_text(session.description):
        parts.append(text)
    if session.is_online and not session.is_cancelled:
        parts.append(_("We email the joining link to confirmed attendees. It is never published."))
    if session.is_cancelled:
        parts.append(_("Details: %(url)s") % {"url": url})
    else:
        parts.append(_("Book your place: %(url)s") % {"url": url})
    return "\n\n".join(parts)

"""Programme rules: create, publish and copy programmes; add, change and cancel sessions;
import a programme from a flyer.

Commands and the back office call these functions so the rules live once. Errors are
raised as ProgrammeError (or the parser's SeedFormatError) with a message fit to show.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.bookings import locking, waiting_list
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications import services as notifications
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser, Programme, Session
from bookyourplace.programmes.seed import ParsedSession, parse_flyer

SLUG_MAX_LENGTH = Programme._meta.get_field("slug").max_length

# Fields a copied session takes over unchanged; dates and status are worked out afresh.
COPIED_SESSION_FIELDS = (
    "title",
    "subtitle",
    "description",
    "delivery",
    "platform",
    "joining_url",
    "joining_instructions",
    "venue",
    "room",
    "address",
    "capacity",
)


class ProgrammeError(ValueError):
    """A programme cannot be imported or copied as asked. The message says why."""


def import_programme(
    *,
    text: str,
    organiser: Organiser,
    slug: str | None = None,
    title: str | None = None,
    publish: bool = False,
    capacity: int = 50,
    today: dt.date | None = None,
) -> Programme:
    """Create a programme and its sessions from flyer text, all or nothing.

    The text is parsed before anything is saved, so a bad flyer leaves the database as it was.
    """
    if capacity < 1:
        raise ProgrammeError("Each session needs at least 1 place.")
    parsed = parse_flyer(text, today=today)
    title = title or parsed.title
    first_day = min(session.date for session in parsed.sessions)
    with transaction.atomic():
        programme = Programme.objects.create(
            organiser=organiser,
            title=title,
            slug=_available_slug(slug, title, first_day.year),
            status=_status(publish),
        )
        for session in parsed.sessions:
            _create_session(programme, session, capacity)
    return programme


def copy_programme(
    *,
    programme: Programme,
    first_day: dt.date,
    title: str,
    slug: str | None = None,
    publish: bool = False,
) -> Programme:
    """Copy a programme to new dates, for running the same week again next year.

    Each session keeps its offset in days from the programme's first day and its local
    wall-clock times, so a 10:00 session stays at 10:00 even across a change to or from
    British Summer Time. Bookings stay with the original.
    """
    sessions = list(programme.sessions.order_by("starts_at", "id"))
    if not sessions:
        raise ProgrammeError(f"The programme '{programme.title}' has no sessions to copy.")
    tz = programme.tz
    days = (first_day - sessions[0].starts_at.astimezone(tz).date()).days
    with transaction.atomic():
        copy = Programme.objects.create(
            organiser=programme.organiser,
            title=title,
            slug=_available_slug(slug, title, first_day.year),
            summary=programme.summary,
            status=_status(publish),
            time_zone=programme.time_zone,
        )
        for session in sessions:
            _copy_session(session, copy, days, tz)
    return copy


def same_weekday_next_year(day: dt.date) -> dt.date:
    """Monday 19 January 2026 -> Monday 18 January 2027: next year's equivalent day."""
    return same_weekday_in_year(day, day.year + 1)


def same_weekday_in_year(day: dt.date, year: int) -> dt.date:
    """The date in `year` on the same weekday as `day`, nearest to the same calendar date.

    Worked out from `day` itself rather than a year at a time, so going several years
    ahead does not drift a day earlier each year.
    """
    anchor = _same_calendar_date(day, year)
    nearby = (anchor + dt.timedelta(days=offset) for offset in range(-6, 7))
    return min(
        (candidate for candidate in nearby if candidate.year == year and candidate.weekday() == day.weekday()),
        key=lambda candidate: abs((candidate - anchor).days),
    )


def _same_calendar_date(day: dt.date, year: int) -> dt.date:
    """The same month and day in `year`; 29 February becomes 28 February outside leap years."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _status(publish: bool) -> str:
    return Programme.Status.PUBLISHED if publish else Programme.Status.DRAFT


def _available_slug(slug: str | None, title: str, year: int) -> str:
    """A slug asked for must be free; one made from the title gets -2, -3... until it is."""
    if slug:
        if slugify(slug) != slug:
            raise ProgrammeError(f"The web address '{slug}' may only use lower-case letters, digits and hyphens.")
        if Programme.objects.filter(slug=slug).exists():
            raise ProgrammeError(f"The web address '{slug}' is already used by another programme.")
        return slug
    suffix = f"-{year}"
    base = slugify(title)[: SLUG_MAX_LENGTH - len(suffix)].strip("-") or "programme"
    candidate, number = f"{base}{suffix}", 1
    while Programme.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}{suffix}-{number}"[:SLUG_MAX_LENGTH]
    return candidate


def _local(day: dt.date, wall_clock: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, wall_clock, tzinfo=tz)


def _shift(moment: dt.datetime | None, days: int, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """Move a moment by whole days keeping its local wall-clock time, whatever the clocks did."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    return _local(local.date() + dt.timedelta(days=days), local.time(), tz)


def _create_session(programme: Programme, parsed: ParsedSession, capacity: int) -> Session:
    return Session.objects.create(
        programme=programme,
        title=parsed.title,
        subtitle=parsed.subtitle,
        description=parsed.description_html,
        starts_at=_local(parsed.date, parsed.start, programme.tz),
        ends_at=_local(parsed.date, parsed.end, programme.tz),
        delivery=parsed.delivery,
        platform=parsed.platform,
        venue=parsed.venue,
        room=parsed.room,
        capacity=capacity,
    )


def _copy_session(session: Session, programme: Programme, days: int, tz: zoneinfo.ZoneInfo) -> Session:
    return Session.objects.create(
        programme=programme,
        **{field: getattr(session, field) for field in COPIED_SESSION_FIELDS},
        starts_at=_shift(session.starts_at, days, tz),
        ends_at=_shift(session.ends_at, days, tz),
        booking_opens_at=_shift(session.booking_opens_at, days, tz),
        booking_closes_at=_shift(session.booking_closes_at, days, tz),
        status=Session.Status.SCHEDULED,
    )


# --- Programmes in the back office ------------------------------------------------------------


def create_programme(*, organiser: Organiser, title: str, summary: str = "", slug: str = "", actor: Actor) -> Programme:
    programme = Programme.objects.create(
        organiser=organiser,
        title=title,
        summary=summary,
        slug=_available_slug(slug or None, title, dt.date.today().year),
        status=Programme.Status.DRAFT,
    )
    record(actor=actor, action=AuditEvent.Action.CREATED_PROGRAMME, summary=f"Created programme '{title}'",
           subject=programme, programme_id=programme.pk)
    return programme


def change_programme(*, programme: Programme, title: str, summary: str, actor: Actor) -> Programme:
    programme.title, programme.summary = title, summary
    programme.save(update_fields=["title", "summary"])
    record(actor=actor, action=AuditEvent.Action.CHANGED_PROGRAMME, summary=f"Changed programme '{title}'",
           subject=programme, programme_id=programme.pk)
    return programme


PROGRAMME_RULES = (
    "approval_mode", "trusted_domains", "email_confirmation", "offer_hold_hours", "cancellation_cutoff_hours", "reminder_days",
    "joining_reminder_minutes",
)


def change_programme_rules(*, programme: Programme, rules: dict, actor: Actor) -> Programme:
    """Who can book, whether email addresses are confirmed first, how long offers are held,
    the cancellation cut-off and the reminders."""
    changed = [name for name in PROGRAMME_RULES if name in rules and getattr(programme, name) != rules[name]]
    if not changed:
        return programme
    for name in changed:
        setattr(programme, name, rules[name])
    programme.save(update_fields=changed)
    if changed:
        record(actor=actor, action=AuditEvent.Action.CHANGED_PROGRAMME,
               summary=f"Changed the booking rules of '{programme.title}': {', '.join(changed)}",
               subject=programme, programme_id=programme.pk)
    return programme


def sessions_missing_joining_links(programme: Programme) -> list[Session]:
    return list(
        programme.sessions.filter(
            delivery=Session.Delivery.ONLINE, status=Session.Status.SCHEDULED, joining_url=""
        ).order_by("starts_at")
    )


def set_programme_status(*, programme: Programme, status: str, actor: Actor) -> Programme:
    """Publish, unpublish (back to draft) or archive a programme.

    Publishing is refused while an online session has no joining link: attendees would be
    confirmed with no way to join.
    """
    if status == Programme.Status.PUBLISHED:
        missing = sessions_missing_joining_links(programme)
        if missing:
            titles = ", ".join(f"'{s.title}'" for s in missing)
            raise ProgrammeError(
                ngettext(
                    "Add a joining link to the online session %(titles)s before publishing.",
                    "Add joining links to the online sessions %(titles)s before publishing.",
                    len(missing),
                )
                % {"titles": titles}
            )
        if not programme.sessions.exists():
            raise ProgrammeError(_("Add at least one session before publishing."))
    programme.status = status
    programme.save(update_fields=["status"])
    record(
        actor=actor,
        action=AuditEvent.Action.CHANGED_PROGRAMME,
        summary=f"Set programme '{programme.title}' to {programme.get_status_display().lower()}",
        subject=programme,
        programme_id=programme.pk,
    )
    return programme


def copy_programme_for(*, programme: Programme, first_day: dt.date, title: str, actor: Actor) -> Programme:
    copy = copy_programme(programme=programme, first_day=first_day, title=title)
    record(
        actor=actor,
        action=AuditEvent.Action.COPIED_PROGRAMME,
        summary=f"Copied '{programme.title}' to '{copy.title}' starting {first_day:%d %B %Y}",
        subject=copy,
        programme_id=copy.pk,
    )
    return copy


# --- Sessions in the back office --------------------------------------------------------------

# A change to any of these must reach attendees' inboxes and calendars.
SIGNIFICANT_FIELDS = ("starts_at", "ends_at", "delivery", "platform", "joining_url", "venue", "room", "address")
SESSION_FIELDS = (
    "title", "subtitle", "description", "starts_at", "ends_at", "delivery", "platform", "joining_url",
    "joining_instructions", "venue", "room", "address", "capacity", "booking_opens_at", "booking_closes_at",
    "approval_mode", "trusted_domains", "confirm_from_waiting_list",
)


@dataclass(frozen=True)
class SessionChange:
    session: Session
    changed: tuple[str, ...]
    attendees_told: int


def check_session(session: Session) -> None:
    """Raise ValidationError, field by field, in words an organiser understands."""
    errors = {}
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
    if session.pk and session.capacity:
        taken = Booking.objects.filter(session_id=session.pk, status__in=Booking.HOLDING_STATUSES).count()
        if session.capacity < taken:
            errors["capacity"] = ngettext(
                "%(taken)d person already has a place, so there must be at least %(taken)d place. "
                "Cancel a booking first if you need fewer.",
                "%(taken)d people already have a place, so there must be at least %(taken)d places. "
                "Cancel bookings first if you need fewer.",
                taken,
            ) % {"taken": taken}
    if errors:
        raise ValidationError(errors)


def create_session(*, programme: Programme, fields: dict, actor: Actor) -> Session:
    session = Session(programme=programme, **{k: v for k, v in fields.items() if k in SESSION_FIELDS})
    check_session(session)
    session.save()
    record(actor=actor, action=AuditEvent.Action.CREATED_SESSION, summary=f"Added session '{session.title}'",
           subject=session, programme_id=programme.pk)
    return session


def change_session(*, session_id: int, fields: dict, actor: Actor) -> SessionChange:
    """Save an organiser's changes; a change of time, place or link is sent to every attendee
    with an updated calendar invite (same UID, SEQUENCE one higher)."""
    with transaction.atomic():
        session = locking.lock_session(session_id)
        before = {name: getattr(session, name) for name in SESSION_FIELDS}
        for name, value in fields.items():
            if name in SESSION_FIELDS:
                setattr(session, name, value)
        check_session(session)
        session.save()
        changed = tuple(name for name in SESSION_FIELDS if before[name] != getattr(session, name))
        told = 0
        if set(changed) & set(SIGNIFICANT_FIELDS) and not session.is_cancelled:
            told = _tell_attendees(session, notifications.queue_session_changed)
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
    return SessionChange(session=session, changed=changed, attendees_told=told)


def cancel_session(*, session_id: int, actor: Actor, reason: str = "") -> SessionChange:
    """Cancel a session: every confirmed attendee gets a cancellation and a calendar
    cancellation (METHOD:CANCEL); their manage pages and the programme say it is cancelled."""
    with transaction.atomic():
        session = locking.lock_session(session_id)
        if session.is_cancelled:
            return SessionChange(session=session, changed=(), attendees_told=0)
        session.status = Session.Status.CANCELLED
        session.save(update_fields=["status"])
        told = _tell_attendees(session, notifications.queue_session_cancelled, everyone_on_the_list=True, note=reason)
        record(
            actor=actor,
            action=AuditEvent.Action.CANCELLED_SESSION,
            summary=f"Cancelled session '{session.title}'; {told} attendees told" + (f". Reason: {reason}" if reason else ""),
            subject=session,
            programme_id=session.programme_id,
        )
    return SessionChange(session=session, changed=("status",), attendees_told=told)


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

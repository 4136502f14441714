"""Programme rules: import a programme from a flyer, copy one to new dates.

Commands and the back office call these functions so the rules live once. Errors are
raised as ProgrammeError (or the parser's SeedFormatError) with a message fit to show.
"""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils.text import slugify

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

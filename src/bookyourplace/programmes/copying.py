"""Copy a programme to new dates, for running the same week again next year."""

import datetime as dt
import zoneinfo

from django.db import transaction

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.programmes.questions import copy_questions
from bookyourplace.programmes.slugs import available_slug

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
    "asks_own_questions",
)


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
    British Summer Time. The booking questions are copied too; bookings (and their answers)
    stay with the original.
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
            slug=available_slug(slug=slug, title=title, year=first_day.year),
            summary=programme.summary,
            status=Programme.Status.PUBLISHED if publish else Programme.Status.DRAFT,
            time_zone=programme.time_zone,
        )
        copies = {session.pk: _copy_session(session, copy, days, tz) for session in sessions}
        copy_questions(programme=programme, to=copy, sessions=copies)
        programme_changed(copy.pk)
    return copy


def copy_programme_for(*, programme: Programme, first_day: dt.date, title: str, actor: Actor) -> Programme:
    """An organiser's copy, recorded in the audit log in the same transaction."""
    with transaction.atomic():
        copy = copy_programme(programme=programme, first_day=first_day, title=title)
        record(
            actor=actor,
            action=AuditEvent.Action.COPIED_PROGRAMME,
            summary=f"Copied '{programme.title}' to '{copy.title}' starting {first_day:%d %B %Y}",
            subject=copy,
            programme_id=copy.pk,
        )
    return copy


def same_weekday_next_year(day: dt.date) -> dt.date:
    """Monday 19 January 2026 -> Monday 18 January 2027: next year's equivalent day."""
    return same_weekday_in_year(day, year=day.year + 1)


def same_weekday_in_year(day: dt.date, *, year: int) -> dt.date:
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


def _shift(moment: dt.datetime | None, days: int, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """Move a moment by whole days keeping its local wall-clock time, whatever the clocks did."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    return dt.datetime.combine(local.date() + dt.timedelta(days=days), local.time(), tzinfo=tz)


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

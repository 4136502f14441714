"""Import a programme from the text of its flyer (`manage.py import_programme`, `load_demo`)."""

import datetime as dt

from django.db import transaction

from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.models import Organiser, Programme, Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.programmes.seed import ParsedSession, parse_flyer
from bookyourplace.programmes.slugs import available_slug


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
        raise ProgrammeError("Each session needs at least 1 place.", field="capacity")
    parsed = parse_flyer(text, today=today)
    title = title or parsed.title
    first_day = min(session.date for session in parsed.sessions)
    with transaction.atomic():
        programme = Programme.objects.create(
            organiser=organiser,
            title=title,
            slug=available_slug(slug=slug, title=title, year=first_day.year),
            status=Programme.Status.PUBLISHED if publish else Programme.Status.DRAFT,
        )
        for session in parsed.sessions:
            _create_session(programme, session, capacity)
        programme_changed(programme.pk)
    return programme


def _create_session(programme: Programme, parsed: ParsedSession, capacity: int) -> Session:
    tz = programme.tz
    return Session.objects.create(
        programme=programme,
        title=parsed.title,
        subtitle=parsed.subtitle,
        description=parsed.description_html,
        starts_at=dt.datetime.combine(parsed.date, parsed.start, tzinfo=tz),
        ends_at=dt.datetime.combine(parsed.date, parsed.end, tzinfo=tz),
        delivery=parsed.delivery,
        platform=parsed.platform,
        venue=parsed.venue,
        room=parsed.room,
        capacity=capacity,
    )

"""Import a programme from its flyer: the seed's own layout from the command line
(`manage.py import_programme`, `load_demo`), or any council's flyer read into a draft,
checked and corrected by the organiser in the back office's preview, then created here
(`create_draft_programme`) with the original file kept beside it."""

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.errors import (
    FlyerIncomplete,
    InvalidDraftSessions,
    InvalidSessionDetails,
    ProgrammeError,
)
from bookyourplace.programmes.flyers.draft import DraftSession, FlyerReading
from bookyourplace.programmes.flyers.reading import read_flyer
from bookyourplace.programmes.models import Organiser, Programme, ProgrammeSource, Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.programmes.sessions import check_session
from bookyourplace.programmes.slugs import available_slug

# The name a pasted flyer is kept under (it came with none).
PASTED_FILE_NAME = "pasted-text.txt"
PASTED_CONTENT_TYPE = "text/plain; charset=utf-8"


def import_programme(
    *,
    text: str | None = None,
    reading: FlyerReading | None = None,
    organiser: Organiser,
    slug: str | None = None,
    title: str | None = None,
    publish: bool = False,
    capacity: int = 50,
    today: dt.date | None = None,
    year: int | None = None,
) -> Programme:
    """Create a programme and its sessions from a flyer, all or nothing: its ``text`` (read
    with read_flyer, ``today`` and ``year`` placing dates written without a year), or the
    ``reading`` of it already made.

    Every session is checked before anything is saved: one that cannot be created as read
    (no date, no time, a year to ask for: ``field`` "year") raises FlyerIncomplete naming its
    line, and the database stays as it was. The back office corrects such rows in its preview.
    """
    if capacity < 1:
        raise ProgrammeError("Each session needs at least 1 place.", field="capacity")
    if reading is None:
        reading = read_flyer(text or "", today=today, year=year)
    if not reading.sessions:
        raise FlyerIncomplete("No sessions were found in the flyer: each needs a date, a title and a time.")
    # Checked as a draft: a published programme's online sessions need joining links, which
    # come after the import (load_demo adds them).
    draft = Programme(organiser=organiser, title=title or reading.title, status=Programme.Status.DRAFT)
    for number, session in enumerate(reading.sessions, start=1):
        _check_importable(session, number=number, capacity=capacity, programme=draft)
    title = title or reading.title
    first_day = min(session.date for session in reading.sessions)
    with transaction.atomic():
        programme = Programme.objects.create(
            organiser=organiser,
            title=title,
            slug=available_slug(slug=slug, title=title, year=first_day.year),
            status=Programme.Status.PUBLISHED if publish else Programme.Status.DRAFT,
            **organiser.programme_defaults(),
        )
        for session in reading.sessions:
            _unsaved_session(session, capacity=capacity, programme=programme).save()
        programme_changed(programme.pk)
    return programme


def _check_importable(session: DraftSession, *, number: int, capacity: int, programme: Programme) -> None:
    """Raise FlyerIncomplete naming the line of the first thing that stops ``session`` being
    created as read; for its date or time, the reader's own flag there if it has one (it says
    what it saw: "The time “soon” could not be read")."""
    if session.year_doubtful:
        flag = next((flag for flag in session.flags if flag.line == session.date_line), None)
        message = flag.message if flag else "the date has no year: say which year."
        raise FlyerIncomplete(f"line {session.date_line or session.line}: {message}", field="year")
    problems = draft_problems(session, capacity=capacity, programme=programme)
    if not problems:
        return
    field, messages = next(iter(problems.items()))
    line = {"date": session.date_line, "start": session.time_line, "end": session.time_line}.get(field) or session.line
    flag = next((flag for flag in session.flags if flag.line == line), None) if field in {"date", "start"} else None
    message = flag.message if flag else row_problem(number, session.title, messages[0])
    raise FlyerIncomplete(f"line {line}: {message}")


# --- A flyer read and corrected in the back office -----------------------------------------------

# Where check_session's complaint about a session's field appears on a draft row.
_DRAFT_FIELD_FOR = {"starts_at": "start", "ends_at": "end"}
# A draft's text that the database holds in a column of limited length.
_LIMITED_FIELDS = ("title", "subtitle", "platform", "venue", "room")


def row_problem(number: int, title: str, problem: str) -> str:
    """'Session 3 (Keynote): Enter the date': a problem named by the row of the preview it is on."""
    if title.strip():
        return _("Session %(number)d (%(title)s): %(problem)s") % {
            "number": number,
            "title": title.strip(),
            "problem": problem,
        }
    return _("Session %(number)d: %(problem)s") % {"number": number, "problem": problem}


def draft_problems(session: DraftSession, *, capacity: int, programme: Programme) -> dict[str, list[str]]:
    """What stops one draft row becoming a session of ``programme``, by the DraftSession
    field it is about (``capacity`` for the places); empty when nothing does."""
    problems: dict[str, list[str]] = {}
    if session.date is None:
        problems["date"] = [_("Enter the date")]
    if session.start is None:
        problems["start"] = [_("Enter the start time")]
    if session.end is None:
        problems["end"] = [_("Enter the end time")]
    if not session.title.strip():
        problems["title"] = [_("Enter a title")]
    if session.delivery not in Session.Delivery.values:
        problems["delivery"] = [_("Select online or in person")]
    for name in _LIMITED_FIELDS:
        field = Session._meta.get_field(name)
        if len(getattr(session, name)) > field.max_length:
            problems[name] = [
                _("%(field)s must be %(count)d characters or fewer")
                % {"field": str(field.verbose_name).capitalize(), "count": field.max_length}
            ]
    # The rules every session keeps (end after start, a room or venue in person, places),
    # as the session form has them.
    try:
        check_session(_unsaved_session(session, capacity=capacity, programme=programme))
    except InvalidSessionDetails as invalid:
        for field, messages in invalid.problems.items():
            problems.setdefault(_DRAFT_FIELD_FOR.get(field, field), list(messages))
    return problems


def create_draft_programme(
    *,
    organiser: Organiser,
    title: str,
    sessions: Sequence[DraftSession],
    source_name: str,
    source_type: str,
    source_content: bytes,
    imported_by,
    capacity: int | Sequence[int],
    actor: Actor,
    now: dt.datetime | None = None,
) -> Programme:
    """A draft programme with these sessions, the flyer they came from, and its audit entry,
    all or nothing. ``capacity``: the places of every session, or of each in turn.

    Every row is checked before anything is saved: InvalidDraftSessions holds each row's
    problems (its ``message`` names the first row and field)."""
    title = title.strip()
    title_length = Programme._meta.get_field("title").max_length
    if not title:
        raise ProgrammeError(_("Enter a title for the programme"), field="title")
    if len(title) > title_length:
        raise ProgrammeError(
            _("The title must be %(count)d characters or fewer") % {"count": title_length}, field="title"
        )
    if not sessions:
        raise ProgrammeError(_("Keep at least one session: every session is left out"), field="sessions")
    capacities = [capacity] * len(sessions) if isinstance(capacity, int) else list(capacity)
    if len(capacities) != len(sessions):
        raise ValueError("One capacity for every session, or one for each.")
    programme = Programme(
        organiser=organiser, title=title, status=Programme.Status.DRAFT, **organiser.programme_defaults()
    )
    rows = {
        index: problems
        for index, (session, places) in enumerate(zip(sessions, capacities, strict=True))
        if (problems := draft_problems(session, capacity=places, programme=programme))
    }
    if rows:
        index, problems = next(iter(rows.items()))
        first = next(iter(problems.values()))[0]
        raise InvalidDraftSessions(rows, row_problem(index + 1, sessions[index].title, first))
    first_day = min(session.date for session in sessions)
    with transaction.atomic():
        programme.slug = available_slug(slug=None, title=title, year=first_day.year)
        programme.save()
        for session, places in zip(sessions, capacities, strict=True):
            _unsaved_session(session, capacity=places, programme=programme).save()
        ProgrammeSource.objects.create(
            programme=programme,
            file_name=source_name[: ProgrammeSource._meta.get_field("file_name").max_length],
            content_type=source_type[: ProgrammeSource._meta.get_field("content_type").max_length],
            content=source_content,
            imported_at=now or timezone.now(),
            imported_by=imported_by,
        )
        record(
            actor=actor,
            action=AuditEvent.Action.CREATED_PROGRAMME,
            summary=f"Imported programme '{title}' from {source_name} with {len(sessions)} sessions",
            subject=programme,
            programme_id=programme.pk,
        )
    return programme


def _at(day: dt.date | None, time: dt.time | None, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    return dt.datetime.combine(day, time, tzinfo=tz) if day is not None and time is not None else None


def _unsaved_session(session: DraftSession, *, capacity: int, programme: Programme) -> Session:
    """The session a draft row becomes, in the programme's time zone (not saved)."""
    tz = programme.tz
    return Session(
        programme=programme,
        title=session.title.strip(),
        subtitle=session.subtitle.strip(),
        description=session.description_html,
        starts_at=_at(session.date, session.start, tz),
        ends_at=_at(session.date, session.end, tz),
        delivery=session.delivery,
        platform=session.platform.strip(),
        venue=session.venue.strip(),
        room=session.room.strip(),
        address=session.address.strip(),
        capacity=capacity,
    )

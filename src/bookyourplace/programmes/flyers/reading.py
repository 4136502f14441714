"""Read a council's flyer, of whatever kind, into a draft programme (issue 16).

    read_flyer(content, file_name=..., content_type=..., today=..., year=...) -> FlyerReading

Pasted text, HTML, Word (DOCX) and PDFs with text are read alike (extracting.py turns each
into lines, assembling.py finds the sessions in them). The seed's own layout (tab-separated
rows with <b> markup, demo/coventry-prevent-week.txt) is read by seed.py exactly as before;
if that fails, the general reader reads it and flags what it cannot.

A file that cannot be opened at all raises FlyerUnreadable, with what to send instead;
nothing else ever raises: what cannot be read is flagged on its line for the organiser.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from bookyourplace.programmes import seed
from bookyourplace.programmes.errors import FlyerUnreadable
from bookyourplace.programmes.flyers import dates
from bookyourplace.programmes.flyers.assembling import assemble
from bookyourplace.programmes.flyers.draft import DraftSession, Flag, FlyerReading
from bookyourplace.programmes.flyers.extracting import decode, extract, kind_of

__all__ = ["FlyerUnreadable", "read_flyer"]

logger = logging.getLogger(__name__)

CANNOT_READ = "This flyer could not be read. Paste its text instead, or upload the Word file."
# A flyer is a few pages of text; far more is not a flyer, and would hold the server up.
MAX_CHARACTERS = 2_000_000
TOO_LONG = "This flyer is too long to read: paste the part with the sessions in it."


def read_flyer(
    content: bytes | str,
    *,
    file_name: str = "",
    content_type: str = "",
    today: dt.date | None = None,
    year: int | None = None,
) -> FlyerReading:
    """The flyer's title, sessions and lines, with a flag on each line it could not read.

    ``today`` places dates written without a year; ``year`` (the organiser's answer when
    FlyerReading.needs_year) is the year of every date written without one."""
    today = today or timezone.localdate()
    if year is not None and not dt.MINYEAR < year < dt.MAXYEAR:
        year = None
    try:
        if isinstance(content, bytes) and kind_of(content, file_name=file_name, content_type=content_type) not in {
            "docx",
            "pdf",
        }:
            content = decode(content)
        if isinstance(content, str) and len(content) > MAX_CHARACTERS:
            raise FlyerUnreadable(TOO_LONG)
        if isinstance(content, str) and _is_seed_layout(content):
            reading = _read_seed(content, today=today, year=year)
            if reading:
                return reading
        source = extract(content, file_name=file_name, content_type=content_type)
        if sum(len(line) for line in source.lines) > MAX_CHARACTERS:
            raise FlyerUnreadable(TOO_LONG)
        return assemble(source, today=today, year=year)
    except FlyerUnreadable:
        raise
    except Exception:  # the reader's promise: a flyer it cannot read is refused, never a crash
        logger.exception("The flyer reader failed on %s", file_name or "pasted text")
        raise FlyerUnreadable(CANNOT_READ) from None


def _is_seed_layout(text: str) -> bool:
    """The seed's rows: a day in bold ("<b>Monday 19<sup>th</sup> January</b>"), a tab, the title."""
    return any(
        "\t" in line and "<b>" in line.lower() and seed.DAY_HEADING.match(seed._plain_text(line.split("\t")[0]))
        for line in text.splitlines()[:400]
    )


def _read_seed(text: str, *, today: dt.date, year: int | None) -> FlyerReading | None:
    """The seed's layout, read by seed.py as it always was; None if it is not quite that."""
    try:
        parsed = seed.parse_flyer(text, today=today)
    except seed.SeedFormatError:
        return None
    lines = ["\t".join(seed._plain_text(cell) for cell in line.split("\t")).strip() for line in text.splitlines()]
    sessions = [_from_seed(session, year=year, lines=lines) for session in parsed.sessions]
    return FlyerReading(title=parsed.title, sessions=sessions, lines=lines, source_kind="seed")


def _from_seed(parsed: seed.ParsedSession, *, year: int | None, lines: list[str]) -> DraftSession:
    session = DraftSession(
        date=parsed.date,
        title=parsed.title,
        subtitle=parsed.subtitle,
        start=parsed.start,
        end=parsed.end,
        delivery=parsed.delivery,
        platform=parsed.platform,
        venue=parsed.venue,
        room=parsed.room,
        description_html=parsed.description_html,
        booking_text=parsed.booking_text,
        line=parsed.line,
        date_line=parsed.line,
        time_line=parsed.time_line,
        year_inferred=True,
    )
    if year is not None and year != parsed.date.year:
        written = dates.WrittenDate(
            day=parsed.date.day,
            month=parsed.date.month,
            year=None,
            weekday=parsed.date.weekday(),
            text=f"{parsed.date:%A} {parsed.date.day} {parsed.date:%B}",
            rest="",
        )
        placed = dates.place(written, years=[], given_year=year, today=parsed.date)
        session.date = placed.date
        if placed.problem:
            text = lines[parsed.line - 1] if 0 < parsed.line <= len(lines) else ""
            session.flags.append(Flag(parsed.line, placed.problem, text))
    return session

"""What reading a flyer gives: a draft of the programme, for the organiser to check and
correct before anything is saved (issue 16).

The reader (flyers/reading.py: read_flyer) fills these in from pasted text, HTML, DOCX or a
text PDF; the back office's preview shows them as an editable table; importing.py creates
the draft programme from the corrected rows. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Flag:
    """Something the reader could not read, or a doubt, on the line where it stands.

    ``line`` is 1-based in FlyerReading.lines (0: about the flyer as a whole)."""

    line: int
    message: str
    text: str = ""  # the line as it stands, for showing it in place


@dataclass
class DraftSession:
    """One session as read. A value that could not be read is empty (None or ""), with a flag
    saying so: the preview asks for it."""

    date: dt.date | None = None
    title: str = ""
    subtitle: str = ""
    start: dt.time | None = None
    end: dt.time | None = None
    delivery: str = ""  # "online" or "in_person" (Session.Delivery), "" when not stated
    platform: str = ""  # "Microsoft Teams", "Zoom"...
    venue: str = ""
    room: str = ""
    address: str = ""
    description_html: str = ""  # sanitised: simple inline formatting and paragraphs only
    booking_text: str = ""  # "Book Your Place", "Email prevent@... to book"...
    line: int = 0  # where the session starts in FlyerReading.lines
    flags: list[Flag] = field(default_factory=list)
    # The date's year was not written and was worked out (weekday and date, or nearest
    # today); year_doubtful when more than one year fitted or there was no weekday to check.
    year_inferred: bool = False
    year_doubtful: bool = False
    # The lines the date (its day heading) and the time were read from (0: none), so that a
    # problem with either is named on its own line.
    date_line: int = 0
    time_line: int = 0


@dataclass
class FlyerReading:
    """The whole flyer as read."""

    title: str
    sessions: list[DraftSession]
    lines: list[str]  # the flyer as plain text lines, as read (markup gone)
    flags: list[Flag] = field(default_factory=list)  # lines that belong to no session
    source_kind: str = "text"  # "text", "html", "docx", "pdf", "seed"
    # True when some date had no year and more than one year would fit: the preview asks
    # the organiser which year (read_flyer's ``year`` answers it).
    needs_year: bool = False

    def all_flags(self) -> list[Flag]:
        """Every flag, the flyer's and each session's, once each, in the order of the lines."""
        seen: dict[tuple[int, str], Flag] = {}
        for flag in [*self.flags, *(flag for session in self.sessions for flag in session.flags)]:
            seen.setdefault((flag.line, flag.message), flag)
        return sorted(seen.values(), key=lambda flag: flag.line)

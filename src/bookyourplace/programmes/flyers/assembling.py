"""From a flyer's lines to its sessions: which line is a day, a title, a time, a place, a way
to book or a description, and to which session each belongs.

Flyers lay sessions out in many ways: a day heading with several sessions under it, each
starting with its time ("9.30am – 11am  Understanding Prevent") or with its title and the
details after ("Time: …", "Where: …"); a table with a row per session; a list item per
session. The reader goes through the lines once, in order, keeping the day and the session
it is filling in, and starts a new session at a day, a table row or list item, a time that
the current session already has, or a title followed by a session's details. What it could
not read it flags on its line; what belongs to no session it flags too, except the flyer's
own heading and introduction (before the first day), which give the programme's title.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import nh3

from bookyourplace.programmes.flyers import dates, details, times
from bookyourplace.programmes.flyers.draft import DraftSession, Flag, FlyerReading
from bookyourplace.programmes.flyers.extracting import Line, Source
from bookyourplace.programmes.seed import DEFAULT_TITLE

# Simple inline formatting and paragraphs are all a description needs; Session.save
# sanitises again.
DESCRIPTION_TAGS = {"p", "b", "strong", "i", "em", "sup", "sub"}
# Longer than this, a line is a sentence of a description, not a title.
TITLE_MAX = 150
PROGRAMME_TITLE_MAX = 200
SESSION_TITLE_MAX = 250

TIME_HELP = "write it like 10:00 – 12:00 or 10am – 12pm"
NO_TIME = "No time was found for this session."
NO_DATE = "No date was found for this session: there is no day above it."
NO_TITLE = "No title was found for this session."
LOOSE_LINE = "This line does not belong to any session."

_LEADING_BOLD = re.compile(r"^\s*<b>(.*?)</b>(.*)$", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?)])")
# What follows a session's title (and shows that the line before it is one).
_DETAIL_KINDS = {"time", "date", "where", "platform", "room", "address"}


class _Day:
    def __init__(self, placed: dates.PlacedDate | None, line: int, text: str):
        self.placed = placed
        self.line = line
        self.text = text


class _Open:
    """The session being filled in, with what the reader needs to know about it."""

    def __init__(self, session: DraftSession):
        self.session = session
        self.paragraphs: list[list[str]] = []  # each a list of line fragments
        self.paragraph_open = False
        self.time_flagged = False
        self.gap = False  # a blank line since the title: what follows is not its subtitle

    @property
    def has_details(self) -> bool:
        s = self.session
        return bool(
            s.start or s.end or s.delivery or s.booking_text or self.paragraphs or self.time_flagged or s.subtitle
        )


class Assembler:
    def __init__(self, source: Source, *, today: dt.date, year: int | None):
        self.source = source
        self.items = source.items
        self.today = today
        self.given_year = year
        self.sessions: list[DraftSession] = []
        self.flags: list[Flag] = []
        self.title = ""
        self.title_from_heading = False
        self.day: _Day | None = None
        self.open: _Open | None = None
        self.started = False  # a day or a session has been seen: the introduction is over
        self.years: list[int] = []  # years the introduction names ("April–May 2026")

    def reading(self) -> FlyerReading:
        previous = (0, 0)
        for index, item in enumerate(self.items):
            if item.header:
                continue
            if item.blank or not item.text:
                self._end_paragraph()
                continue
            # A new list item or table row; or out of a table, into a line below it (a pasted
            # table without headings may be the seed's layout, its rows running on).
            container = (item.table if (item.column or self.source.kind in {"docx", "html"}) else 0, item.list_item)
            if item.starts_block or container != previous:
                self._close()
            previous = container
            self._line(item, index)
        self._close()
        flags = list(self.flags)
        if not self.sessions:
            flags.insert(0, Flag(0, "No sessions were found: each session needs a date, a title and a time."))
        return FlyerReading(
            title=self.title or DEFAULT_TITLE,
            sessions=self.sessions,
            lines=self.source.lines,
            flags=flags,
            source_kind=self.source.kind,
            needs_year=any(session.year_doubtful for session in self.sessions),
        )

    # --- One line ------------------------------------------------------------------------------

    def _line(self, item: Line, index: int) -> None:
        text = item.text
        written = dates.date_at_start(text)
        # A date alone in another column is a day heading across the table's width.
        day_across = written is not None and not written.rest and item.column not in {"date", "time", "start", "end"}
        if item.column and item.starts_cell and not day_across and self._cell(item):
            return
        if written and len(written.rest) <= TITLE_MAX:
            if written.rest and dates.date_at_start(written.rest):
                self._introduction(item)  # "Monday 19 – Friday 23 January 2026": the week, not a day
            else:
                self._new_day(written, item)
                if written.rest:
                    self._after_date(written.rest, item)
            return
        if dates.weekday_only(text):
            self._close()
            self.day = _Day(None, item.number, text)
            self.started = True
            return
        if details.label_at_start(text):
            self._labelled(item)
            return
        found = times.times_at_edge(text)
        if found:
            self._timed(found, item)
            return
        if self.open and not self.open.session.delivery and details.says_where(text):
            self._set_place(details.place(text), item)
            return
        if self.open and not self.open.session.venue and self.open.session.delivery != "online":
            if details.looks_like_address(text):
                self._set_place(details.place(text, label="venue"), item)
                return
        if details.is_booking(text):
            if self.open and not self.open.session.booking_text:
                self.open.session.booking_text = text
            return
        self._text(item, index)

    def _after_date(self, rest: str, item: Line) -> None:
        """What follows a date on its line: a time, a title, or both."""
        found = times.times_at_edge(rest)
        if found:
            self._timed(found, item)
        elif details.label_at_start(rest):
            self._labelled(item, text=rest)
        elif details.says_where(rest) and details.title_and_mark(rest)[0] == rest:
            self._start(item)
            self._set_place(details.place(rest), item)
        else:
            self._start(item, title_html=_html_after(item.html, rest), title=rest)

    def _cell(self, item: Line) -> bool:
        """The first line of a cell in a table with headings: read as its column says."""
        kind = item.column
        if kind == "date":
            written = dates.date_at_start(item.text)
            if written:
                self._set_day(written, item)
            else:  # "TBC": this row has no date, whatever the row above had
                self.day = _Day(None, item.number, item.text)
            self._ensure_open(item)
            self._day_to_session(self.open)
            if written and written.rest:
                self._after_date(written.rest, item)
            return True
        if kind in {"time", "start", "end"}:
            self._ensure_open(item)
            self._set_times(item.text, item, only=kind if kind != "time" else "")
            return True
        if kind == "title":
            if self.open and self.open.session.title:
                self._close()
            self._ensure_open(item)
            self._set_title(item.html, item.text, item)
            return True
        if kind in {"where", "platform", "room", "address"}:
            self._ensure_open(item)
            self._set_place(details.place(item.text, label=kind), item)
            return True
        if kind == "booking":
            self._ensure_open(item)
            self.open.session.booking_text = item.text
            return True
        if kind in {"description", "note", "subtitle"}:
            self._ensure_open(item)
            if kind == "subtitle" and not self.open.session.subtitle:
                self.open.session.subtitle = _strip_end(item.text, ".")
            else:
                self._describe(item)
            return True
        return False

    def _labelled(self, item: Line, *, text: str = "") -> None:
        for kind, label, value in details.labelled_parts(text or item.text):
            self._detail(kind, label, value, item)

    def _detail(self, kind: str, label: str, value: str, item: Line) -> None:
        if kind == "title":
            if self.open and (self.open.session.title or self.open.has_details):
                self._close()
            self._ensure_open(item)
            self._set_title(_html_after(item.html, value), value, item)
            return
        if kind == "time" and self.open and (self.open.session.start or self.open.time_flagged):
            self._close()
        self._ensure_open(item)
        session = self.open.session
        if kind == "time":
            self._set_times(value, item)
        elif kind == "date":
            written = dates.date_at_start(value)
            if written:
                self._set_day(written, item)
                self._day_to_session(self.open)
                if written.rest:
                    self._set_times(written.rest, item)
            elif times.times_at_edge(value, labelled=True):
                self._set_times(value, item)
            else:
                self.day = _Day(None, item.number, value)
                self._day_to_session(self.open)
        elif kind in {"where", "platform", "room", "address"}:
            self._set_place(details.place(value, label=kind), item)
        elif kind == "booking":
            session.booking_text = value or session.booking_text
        elif kind == "subtitle" and not session.subtitle:
            session.subtitle = _strip_end(value, ".")
        elif value:  # a description, or a detail the draft has no place for ("Speaker: …")
            self._describe(item, html=_html_escape(value if kind == "description" else f"{label}: {value}"))

    def _timed(self, found: times.TimesFound, item: Line) -> None:
        """A line starting or ending with a time range: a session's time, and maybe its title."""
        # "10am – 12pm  Online via Zoom" says where; "10am – 12pm  In person: Case study" is a title.
        marked_title, _mark = details.title_and_mark(found.rest)
        rest_is_place = bool(found.rest) and details.says_where(found.rest) and marked_title == found.rest
        current = self.open
        if found.rest and not rest_is_place:
            if current and not current.session.title and not current.session.start and not current.paragraphs:
                current.session.line = item.number
            else:
                self._close()
                self._start(item)
            self._set_title(_html_after(item.html, found.rest), found.rest, item)
        elif not (current and current.session.start is None and not current.time_flagged):
            self._close()
            self._start(item)
        self._apply_times(found, item, item.text)
        if rest_is_place:
            self._set_place(details.place(found.rest), item)

    def _text(self, item: Line, index: int) -> None:
        text = item.text
        current = self.open
        if current is None:
            if self.day is None and not self.started and not (self.title and self._title_ahead(index)):
                self._introduction(item)
            elif len(text) <= TITLE_MAX:
                self._start(item)
                self._set_title(item.html, text, item)
            else:
                self._flag(item, LOOSE_LINE)
            return
        session = current.session
        if not session.title and not current.paragraphs and len(text) <= TITLE_MAX:
            self._set_title(item.html, text, item)
            return
        short = len(text) <= TITLE_MAX
        if (
            short
            and (current.has_details or current.gap)
            and (item.heading or (not text.endswith(".") and self._title_ahead(index)))
        ):
            self._close()
            self._start(item)
            self._set_title(item.html, text, item)
            return
        if (
            short
            and not (current.has_details or current.gap)
            and not text.endswith((".", "!", "?"))
            and not self._continues(index)
        ):
            session.subtitle = _strip_end(_title_and_subtitle(item.html, text)[0], ".")
            return
        self._describe(item)

    def _continues(self, index: int) -> bool:
        """A line of pasted text or a PDF that runs on into the next: part of a paragraph."""
        item = self.items[index]
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        return bool(
            item.wraps
            and following
            and following.wraps
            and following.text
            and not following.heading
            and not details.label_at_start(following.text)
            and not times.times_at_edge(following.text)
            and not dates.date_at_start(following.text)
        )

    def _title_ahead(self, index: int) -> bool:
        """A line followed by a session's details (a time, "Venue:", "Online via Zoom") is the
        title of the next session, not more of this one's description."""
        seen = 0
        for position in range(index + 1, len(self.items)):
            item = self.items[position]
            if item.blank:
                return False  # a title and its details are not apart
            if not item.text or item.header:
                continue
            if item.starts_block:
                return False
            if item.column:
                return item.column in _DETAIL_KINDS
            text = item.text
            if dates.date_at_start(text) or dates.weekday_only(text):
                return False
            if details.label_at_start(text) in _DETAIL_KINDS or times.times_at_edge(text) or details.says_where(text):
                return True
            seen += 1
            # A subtitle may come between the title and the details.
            if seen == 2 or len(text) > TITLE_MAX or text.endswith((".", "!", "?")):
                return False
        return False

    def _introduction(self, item: Line) -> None:
        """The flyer's heading and introduction: its first heading, or else its first line, is
        the programme's title (a web page may start with a line of its site's own)."""
        self.years.extend(int(year) for year in dates.YEAR_IN_TEXT.findall(item.text))
        if self.title_from_heading or len(item.text) > PROGRAMME_TITLE_MAX or dates.date_at_start(item.text):
            return
        if not self.title or item.heading:
            self.title = _strip_end(item.text, ":") or self.title
            self.title_from_heading = item.heading

    # --- Sessions ------------------------------------------------------------------------------

    def _new_day(self, written: dates.WrittenDate, item: Line) -> None:
        self._close()
        self._set_day(written, item)

    def _set_day(self, written: dates.WrittenDate, item: Line) -> None:
        if written.year is not None:
            self.years = [written.year, *(year for year in self.years if year != written.year)]
        placed = dates.place(written, years=self.years, given_year=self.given_year, today=self.today)
        self.day = _Day(placed, item.number, written.text)
        self.started = True

    def _ensure_open(self, item: Line) -> None:
        if self.open is None:
            self._start(item)

    def _start(self, item: Line, *, title_html: str = "", title: str = "") -> None:
        self._close()
        self.started = True
        session = DraftSession(line=item.number)
        self.open = _Open(session)
        if self.day:
            self._day_to_session(self.open)
        if title:
            self._set_title(title_html, title, item)

    def _day_to_session(self, current: _Open) -> None:
        day, session = self.day, current.session
        session.date = day.placed.date if day.placed else None
        session.date_line = day.line
        session.flags = [flag for flag in session.flags if flag.line != day.line]
        if day.placed is None:
            session.flags.append(Flag(day.line, f"“{day.text}” has no date: say which date.", self._text_of(day.line)))
            return
        session.year_inferred = day.placed.year_inferred
        session.year_doubtful = day.placed.year_doubtful
        if day.placed.problem:
            session.flags.append(Flag(day.line, day.placed.problem, self._text_of(day.line)))

    def _set_title(self, fragment: str, text: str, item: Line) -> None:
        current = self.open
        title, subtitle = _title_and_subtitle(fragment, text)
        title, mark = details.title_and_mark(title)
        current.session.title = title[:SESSION_TITLE_MAX]
        if subtitle and not current.session.subtitle:
            current.session.subtitle = subtitle[:SESSION_TITLE_MAX]
        if mark and not current.session.delivery:
            self._set_place(mark, item)

    def _set_times(self, value: str, item: Line, *, only: str = "") -> None:
        found = times.times_at_edge(value, labelled=True)
        if found and only == "end":
            found = times.TimesFound(None, found.start, found.rest, found.readable)
        self._apply_times(found, item, value)

    def _apply_times(self, found: times.TimesFound | None, item: Line, value: str) -> None:
        current = self.open
        session = current.session
        if found is None or not found.readable:
            current.time_flagged = True
            session.time_line = item.number
            self._flag_session(item, f"The time “{value.strip()}” could not be read: {TIME_HELP}.")
            return
        session.time_line = session.time_line or item.number
        session.start = found.start or session.start
        session.end = found.end or session.end

    def _set_place(self, place: details.Place, item: Line) -> None:
        session = self.open.session
        session.delivery = place.delivery or session.delivery
        session.platform = session.platform or place.platform
        session.venue = session.venue or place.venue
        session.room = session.room or place.room
        session.address = session.address or place.address

    def _describe(self, item: Line, *, html: str = "") -> None:
        """Add the line to the description: a paragraph of its own, or (pasted text, a PDF)
        the next line of the paragraph before. A labelled detail (``html``) stands alone."""
        current = self.open
        wraps = item.wraps and not html
        if current.paragraph_open and wraps:
            current.paragraphs[-1].append(item.html)
        else:
            current.paragraphs.append([html or item.html])
        current.paragraph_open = wraps

    def _end_paragraph(self) -> None:
        if self.open:
            self.open.paragraph_open = False
            self.open.gap = True

    def _close(self) -> None:
        """Finish the session being filled in: its description, and what is missing."""
        current, self.open = self.open, None
        if current is None:
            return
        session = current.session
        session.description_html = _description(current.paragraphs)
        if not (current.has_details or session.description_html):
            # A title and nothing else: a line that belongs to no session.
            self.flags.append(Flag(session.line, LOOSE_LINE, self._text_of(session.line)))
            return
        missing = []
        if not session.title:
            missing.append(Flag(session.line, NO_TITLE, self._text_of(session.line)))
        if session.date is None and not any(flag.line == session.date_line for flag in session.flags):
            missing.append(Flag(session.line, NO_DATE, self._text_of(session.line)))
        if session.start is None and not current.time_flagged:
            missing.append(Flag(session.line, NO_TIME, self._text_of(session.line)))
        session.flags.extend(missing)
        session.flags.sort(key=lambda flag: flag.line)
        self.sessions.append(session)

    # --- Flags ---------------------------------------------------------------------------------

    def _flag(self, item: Line, message: str) -> None:
        self.flags.append(Flag(item.number, message, self._text_of(item.number)))

    def _flag_session(self, item: Line, message: str) -> None:
        self.open.session.flags.append(Flag(item.number, message, self._text_of(item.number)))

    def _text_of(self, line: int) -> str:
        return self.source.lines[line - 1] if 0 < line <= len(self.source.lines) else ""


def _title_and_subtitle(fragment: str, text: str) -> tuple[str, str]:
    """'<b>Title:</b> Subtitle.' gives both, as in the seed; otherwise it is all title."""
    match = _LEADING_BOLD.match(fragment or "")
    if match:
        bold, after = _plain(match[1]), _plain(match[2])
        if bold and after:
            return _strip_end(bold, ":."), _strip_end(after, ".")
    return _strip_end(text, ":."), ""


def _html_after(fragment: str, rest: str) -> str:
    """The markup of the part of a line after its date or time, when it can be found."""
    plain = _plain(fragment)
    if plain.endswith(rest) and fragment.count("<") < 40:
        for start in range(len(fragment)):
            if fragment[start] == "<" or start == 0:
                candidate = fragment[start:]
                if _plain(candidate) == rest:
                    return candidate
    return _html_escape(rest)


def _description(paragraphs: list[list[str]]) -> str:
    texts = [_tidy_html(" ".join(parts)) for parts in paragraphs]
    texts = [text for text in texts if _plain(text)]
    if not texts:
        return ""
    if len(texts) == 1:
        return texts[0]
    return "".join(f"<p>{text}</p>" for text in texts)


def _tidy_html(fragment: str) -> str:
    """Sanitised, with the spacing a flyer's editor leaves tidied ('phenomenon</i> ,')."""
    cleaned = nh3.clean(fragment, tags=DESCRIPTION_TAGS - {"p"}, attributes={})
    cleaned = re.sub(r"\s+", " ", cleaned)
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", cleaned).strip()


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub("", fragment))).strip()


def _html_escape(text: str) -> str:
    return html.escape(text, quote=False)


def _strip_end(text: str, characters: str) -> str:
    """Drop one trailing punctuation mark, so 'Including ‘764’.' keeps its inner full stop."""
    text = text.strip()
    return text[:-1].rstrip() if text and text[-1] in characters else text


def assemble(source: Source, *, today: dt.date, year: int | None) -> FlyerReading:
    return Assembler(source, today=today, year=year).reading()

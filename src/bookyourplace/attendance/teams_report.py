"""Read the attendance report Microsoft Teams gives an organiser (Meeting > Attendance >
Download): who was in the meeting and for how long.

Pure functions over the file's bytes, no database: ``read_report(data)`` returns a
``TeamsReport`` or raises ``TeamsReportError`` with a message that says what is wrong.

What Teams writes varies (see ../shared/reference/domain-notes.md), and all of it is read:
UTF-16 (either byte order, with a BOM) or UTF-8; tab-separated, or comma-separated once Excel
has saved it again; the sectioned report ("1. Summary", "2. Participants", "3. In-Meeting
Activities") and the older flat one ("Full Name", "User Action", "Timestamp"); dates as the
downloader's computer writes them (20/01/2026, 10:01:05 or 1/20/26, 10:01:05 AM); headers in
any case, in any order, with columns we do not need. Cells are only ever text here: nothing
that looks like a formula is evaluated, and none is echoed into an error message.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from bookyourplace.attendance.errors import TeamsReportError

MAX_BYTES = 5 * 1024 * 1024  # settings.BYP_TEAMS_REPORT_MAX_BYTES passes the configured one
MAX_LINE_CHARS = 4_000  # a real line is well under 500 characters
MAX_LINES = 100_000  # 1,000 people joining ten times each is 10,000 lines

ORGANISER, PRESENTER, ATTENDEE = "organiser", "presenter", "attendee"

# A cell starting with one of these is what spreadsheets run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Participant:
    """One person in the meeting, their joins added up."""

    name: str
    email: str = ""  # lower case; "" when Teams did not give one
    upn: str = ""  # the sign-in name ("Participant ID (UPN)"), lower case
    role: str = ATTENDEE  # ORGANISER, PRESENTER or ATTENDEE
    seconds: int = 0  # time in the meeting, overlapping joins counted once
    first_join: datetime | None = None
    last_leave: datetime | None = None

    @property
    def minutes(self) -> int:
        # Whole minutes, rounded down: 44 min 59 s of a 60-minute session is not 75%.
        return self.seconds // 60

    @property
    def is_attendee(self) -> bool:
        return self.role == ATTENDEE


@dataclass(frozen=True)
class TeamsReport:
    title: str
    starts_at: datetime | None  # local time of the meeting, as the file gives it (no offset)
    ends_at: datetime | None
    participants: tuple[Participant, ...]
    layout: str  # "sectioned" or "flat"

    @property
    def meeting_date(self) -> date | None:
        if self.starts_at is not None:
            return self.starts_at.date()
        joins = [p.first_join for p in self.participants if p.first_join is not None]
        return min(joins).date() if joins else None


def read_report(data: bytes, *, max_bytes: int = MAX_BYTES, meeting_date: date | None = None) -> TeamsReport:
    """The report in ``data``, or TeamsReportError saying what is wrong with the file.

    ``meeting_date`` (the session's date) settles dates like 5/6/26 that read as a day or a
    month first, when nothing in the file itself does."""
    if len(data) > max_bytes:
        raise too_big(max_bytes)
    if not data.strip():
        raise TeamsReportError(_("The file is empty."))
    text = decode(data)
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise TeamsReportError(
            _("The file has more than %(count)s lines, more than any attendance report.") % {"count": f"{MAX_LINES:,}"}
        )
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise TeamsReportError(
                _("Line %(number)d is too long to be part of an attendance report.") % {"number": number}
            )
    rows = _rows(text)
    return _Reader(rows, meeting_date).report()


# --- Bytes to text ---------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-16 by its BOM (as Teams writes it), else UTF-8, else the Windows
    code page Excel uses when it saves a CSV. Anything with control characters is not text."""
    if data.startswith(b"PK\x03\x04"):
        raise TeamsReportError(
            _("This is an Excel workbook. Upload the .csv file Teams downloads, or save the workbook as CSV.")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        data = data[2:]
    elif b"\x00" in data[:4096]:
        # UTF-16 that lost its BOM: ASCII text has a NUL beside every character.
        encoding = _utf16_without_bom(data)
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8-sig":
            raise TeamsReportError(_("This file is not text.")) from None
        text = data.decode("cp1252", errors="replace")
    if any(_is_control(c) for c in text):
        raise TeamsReportError(_("This file is not text."))
    return text


def _utf16_without_bom(data: bytes) -> str:
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.6 and even == 0:
        return "utf-16-le"
    if even > half * 0.6 and odd == 0:
        return "utf-16-be"
    raise TeamsReportError(_("This file is not text."))


def _is_control(c: str) -> bool:
    return c not in "\t\r\n" and unicodedata.category(c) == "Cc"


def too_big(max_bytes: int) -> TeamsReportError:
    """The refusal of a file over the limit (also said by the upload, which stops reading it)."""
    size = f"{max_bytes / (1024 * 1024):g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes / 1024:g} KB"
    return TeamsReportError(_("The file is larger than %(size)s.") % {"size": size})


# --- Text to rows ----------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    """The file's rows, split by whichever of tab and comma makes a report header appear with
    the most columns we know (Teams writes tabs; Excel's "CSV" commas). A name with a comma is
    one cell either way: quoted in a comma file, and plain in a tab one."""
    best: list[list[str]] | None = None
    best_score = -1
    for delimiter in ("\t", ","):
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            rows = [[_clean(cell) for cell in row] for row in reader]
        except csv.Error:
            # A quotation mark that never closes swallows the rest of the file.
            continue
        score = max((len(_columns(row)) for row in rows[:MAX_LINES] if _is_header(row)), default=0)
        if score > best_score:
            best, best_score = rows, score
    return best or []


def _clean(cell: str) -> str:
    # Non-breaking spaces and a stray BOM are what Teams and Excel leave in cells.
    return " ".join(cell.replace("\ufeff", "").replace("\xa0", " ").split())


def _key(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


# Header words (lower case, punctuation as spaces) -> the column they are.
COLUMNS = {
    "name": "name",
    "full name": "name",
    "participant name": "name",
    "display name": "name",
    "first join": "first_join",
    "first join time": "first_join",
    "join time": "join",
    "last leave": "last_leave",
    "last leave time": "last_leave",
    "leave time": "leave",
    "in meeting duration": "duration",
    "duration": "duration",
    "attendance duration": "duration",
    "time in meeting": "duration",
    "email": "email",
    "email address": "email",
    "participant id upn": "upn",
    "participant id": "upn",
    "upn": "upn",
    "user principal name": "upn",
    "role": "role",
    "user action": "action",
    "action": "action",
    "timestamp": "timestamp",
    "time stamp": "timestamp",
}


def _columns(row: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        column = COLUMNS.get(_key(cell))
        if column is not None and column not in found:
            found[column] = index
    return found


def _is_header(row: Sequence[str]) -> bool:
    columns = _columns(row)
    return "name" in columns and len(columns) >= 2


SECTION = re.compile(r"^\s*(\d)\s*\.\s*(\S.*)$")


def _section(row: Sequence[str]) -> int | None:
    """1, 2 or 3 for a section's title row ("2. Participants"; the words are translated in
    other languages, the numbers are not)."""
    if not row or any(row[1:]):
        return None
    match = SECTION.match(row[0])
    return int(match.group(1)) if match else None


# --- Dates and durations ---------------------------------------------------------------------------

DATE_TIME = re.compile(
    r"^(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{1,4}),?\s*(?:T\s*)?"
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AaPp]\.?\s*[Mm]\.?)?$"
)
DURATION_PART = re.compile(r"(\d+)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b", re.IGNORECASE)
CLOCK_DURATION = re.compile(r"^(\d+):(\d{2}):(\d{2})$")


def parse_duration(text: str) -> int | None:
    """Seconds in "1h 27m 51s", "45m 3s", "19s" (or "1:27:51" from Excel); None if it is not one."""
    text = text.strip()
    if not text:
        return None
    if match := CLOCK_DURATION.match(text):
        hours, minutes, seconds = (int(g) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    parts = DURATION_PART.findall(text)
    if not parts or DURATION_PART.sub("", text).strip():
        return None
    total = 0
    for number, unit in parts:
        unit = unit.lower()
        total += int(number) * (3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1)
    return total


@dataclass
class _DateText:
    a: int
    b: int
    year: int
    time: tuple[int, int, int]
    iso: bool
    ampm: str
    short_year: bool = False

    @classmethod
    def parse(cls, text: str) -> "_DateText | None":
        match = DATE_TIME.match(text.strip())
        if not match:
            return None
        g = match.groupdict()
        hour, minute, second = int(g["h"]), int(g["m"]), int(g["s"] or 0)
        ampm = (g["ampm"] or "").replace(".", "").replace(" ", "").lower()
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        if len(g["a"]) == 4:  # 2026-01-20 10:01:05
            return cls(int(g["b"]), int(g["c"]), int(g["a"]), (hour, minute, second), True, ampm)
        if len(g["c"]) not in (2, 4):
            return None
        short_year = len(g["c"]) == 2
        year = int(g["c"]) + (2000 if short_year else 0)
        return cls(int(g["a"]), int(g["b"]), year, (hour, minute, second), False, ampm, short_year)

    def as_datetime(self, day_first: bool) -> datetime | None:
        if self.iso:
            month, day = self.a, self.b
        else:
            day, month = (self.a, self.b) if day_first else (self.b, self.a)
        try:
            return datetime(self.year, month, day, *self.time)
        except ValueError:
            return None


def _day_first(dates: Iterable[_DateText], meeting_date: date | None) -> bool:
    """Whether the file writes the day before the month (UK) or after it (US).

    Decided once for the whole file, since one computer wrote every date in it: a first
    number over 12 can only be a day, a second one over 12 only a day too (so the month came
    first). When no date settles it (every date's day is 12 or less), the date of the session
    being imported decides: the reading that puts the meeting on that day is the right one.
    Failing that, a 12-hour clock or a two-digit year is how a US computer writes dates."""
    dates = [d for d in dates if not d.iso]
    if any(d.a > 12 for d in dates):
        if any(d.b > 12 for d in dates):
            raise TeamsReportError(_("The dates in this file are written in two different orders."))
        return True
    if any(d.b > 12 for d in dates):
        return False
    if dates and meeting_date is not None:
        first = dates[0]
        if first.as_datetime(True) and first.as_datetime(True).date() == meeting_date:
            return True
        if first.as_datetime(False) and first.as_datetime(False).date() == meeting_date:
            return False
    return not any(d.ampm or d.short_year for d in dates)


# --- The report ------------------------------------------------------------------------------------


@dataclass
class _Person:
    name: str
    email: str = ""
    upn: str = ""
    role: str = ATTENDEE
    # (join, leave, seconds): either end may be unknown; seconds from a Duration cell, if any.
    stays: list[tuple[datetime | None, datetime | None, int | None]] = field(default_factory=list)
    listed_seconds: int | None = None  # the Participants section's In-Meeting Duration
    first_join: datetime | None = None
    last_leave: datetime | None = None

    @property
    def key(self) -> str:
        return identity(self.name, self.email, self.upn)


def identity(name: str, email: str, upn: str) -> str:
    """Who a row is about, to add one person's rows together: their email, else their sign-in
    name, else their name (with any "(EXT)": a guest may share a colleague's name)."""
    return f"email:{email}" if email else f"upn:{upn}" if upn else "name:" + " ".join(name.casefold().split())


def normalise_name(name: str) -> str:
    """A name as matching compares it: case, spaces and Teams' "(EXT)" (external) suffix aside."""
    name = re.sub(r"\s*\((?:ext|external|guest|unverified)\)\s*$", "", name.strip(), flags=re.IGNORECASE)
    return " ".join(name.casefold().split())


def _role(text: str) -> str:
    key = _key(text)
    if "organi" in key:  # Organizer, Organiser, Co-organizer
        return ORGANISER
    if "presenter" in key:
        return PRESENTER
    return ATTENDEE


def _email(text: str) -> str:
    text = text.strip().lower()
    return text if "@" in text and " " not in text else ""


def _quoted(cell: str) -> str:
    """A cell for an error message: short, and a formula is described, not repeated."""
    if cell.startswith(FORMULA_STARTS[:4]):
        return _("a formula")
    return f"“{cell[:40]}”"


class _Reader:
    def __init__(self, rows: list[list[str]], meeting_date: date | None):
        self.rows = rows
        self.meeting_date = meeting_date
        self.summary: dict[str, str] = {}
        self.title = ""

    def report(self) -> TeamsReport:
        sections = self._sections()
        participants_table = sections.get(2)
        activities_table = sections.get(3)
        flat_table = None
        if participants_table is None:
            # Older reports have no sections: one table of joins and leaves.
            flat_table = self._flat_table()
            if flat_table is None:
                raise TeamsReportError(_("This file is not a Teams attendance report: it has no Participants section."))
        self.day_first = _day_first(self._all_dates(), self.meeting_date)
        starts_at = self._summary_time("start")
        ends_at = self._summary_time("end")
        if flat_table is not None:
            people, first, last = self._read_flat(*flat_table)
            starts_at = starts_at or first
            ends_at = ends_at or last
            layout = "flat"
        else:
            people = self._read_participants(*participants_table)
            if activities_table is not None:
                self._read_activities(people, *activities_table)
            layout = "sectioned"
        return TeamsReport(
            title=self.title,
            starts_at=starts_at,
            ends_at=ends_at,
            participants=tuple(self._finish(person, ends_at) for person in people.values()),
            layout=layout,
        )

    # Sections

    def _sections(self) -> dict[int, tuple[list[str], dict[str, int], list[tuple[int, list[str]]]]]:
        """Each numbered section's header, its columns and its rows (with line numbers)."""
        found: dict[int, tuple[list[str], dict[str, int], list[tuple[int, list[str]]]]] = {}
        current: int | None = None
        header: list[str] | None = None
        for number, row in enumerate(self.rows, start=1):
            section = _section(row)
            if section is not None:
                current, header = section, None
                continue
            if not any(row):
                continue
            if current == 1:
                self._summary_row(row)
            elif current in (2, 3):
                if header is None:
                    if _is_header(row):
                        header = row
                        found[current] = (row, _columns(row), [])
                    continue
                found[current][2].append((number, row))
        # A Participants table must name people and say how long they stayed.
        if 2 in found and "duration" not in found[2][1] and 3 not in found:
            raise TeamsReportError(
                _("This file is not a Teams attendance report: its Participants section has no In-Meeting Duration.")
            )
        return found

    def _summary_row(self, row: list[str]) -> None:
        cells = [c for c in row if c]
        if len(cells) >= 2:
            self.summary[_key(cells[0])] = cells[1]
            if "title" in _key(cells[0]) and not self.title:
                self.title = cells[1]

    def _summary_time(self, which: str) -> datetime | None:
        for key, value in self.summary.items():
            if which in key.split() and "time" in key.split():
                return self._when(value, 0, required=False)
        return None

    def _flat_table(self):
        for index, row in enumerate(self.rows):
            if not _is_header(row):
                continue
            columns = _columns(row)
            if "action" in columns and "timestamp" in columns:
                body = [(n, r) for n, r in enumerate(self.rows[index + 1 :], start=index + 2) if any(r)]
                return row, columns, body
        return None

    def _all_dates(self) -> list[_DateText]:
        found = []
        for row in self.rows:
            for cell in row:
                if cell[:1].isdigit() and (parsed := _DateText.parse(cell)) is not None:
                    found.append(parsed)
        return found

    # Cells

    def _cell(self, row: list[str], columns: dict[str, int], name: str) -> str:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else ""

    def _when(self, text: str, line: int, *, required: bool = True) -> datetime | None:
        if not text:
            return None
        parsed = _DateText.parse(text)
        moment = parsed.as_datetime(self.day_first) if parsed is not None else None
        if moment is None and required:
            raise TeamsReportError(
                _("Line %(line)d: %(cell)s is not a date and time like 20/01/2026, 10:01:05.")
                % {"line": line, "cell": _quoted(text)}
            )
        return moment

    def _duration(self, text: str, line: int) -> int | None:
        if not text:
            return None
        seconds = parse_duration(text)
        if seconds is None:
            raise TeamsReportError(
                _("Line %(line)d: %(cell)s is not a length of time like 1h 27m 51s.")
                % {"line": line, "cell": _quoted(text)}
            )
        return seconds

    def _person(self, people: dict[str, _Person], row, columns, *, by_name: bool = False) -> _Person | None:
        name = self._cell(row, columns, "name")
        email = _email(self._cell(row, columns, "email"))
        upn = self._cell(row, columns, "upn").strip().lower()
        if not (name or email or upn):
            return None
        key = identity(name, email, upn)
        person = people.get(key)
        if person is None and by_name and not email and not upn:
            # An activities table without emails: the Participants row of the same name.
            same_name = [p for p in people.values() if p.name.casefold() == name.casefold()]
            person = same_name[0] if len(same_name) == 1 else None
        if person is None:
            person = people[key] = _Person(name=name, email=email, upn=upn)
        if "role" in columns:
            role = _role(self._cell(row, columns, "role"))
            # Someone who presented for part of the meeting is listed as a presenter.
            if role != ATTENDEE:
                person.role = ORGANISER if ORGANISER in (role, person.role) else role
        return person

    # The two layouts

    def _read_participants(self, header, columns, body) -> dict[str, _Person]:
        if "name" not in columns:
            raise TeamsReportError(_("This file is not a Teams attendance report: it has no Name column."))
        people: dict[str, _Person] = {}
        for line, row in body:
            person = self._person(people, row, columns)
            if person is None:
                continue
            seconds = self._duration(self._cell(row, columns, "duration"), line)
            if seconds is not None:
                person.listed_seconds = (person.listed_seconds or 0) + seconds
            join = self._when(self._cell(row, columns, "first_join") or self._cell(row, columns, "join"), line)
            leave = self._when(self._cell(row, columns, "last_leave") or self._cell(row, columns, "leave"), line)
            person.first_join = min(filter(None, (person.first_join, join)), default=None)
            person.last_leave = max(filter(None, (person.last_leave, leave)), default=None)
        return people

    def _read_activities(self, people: dict[str, _Person], header, columns, body) -> None:
        for line, row in body:
            person = self._person(people, row, columns, by_name=True)
            if person is None:
                continue
            join = self._when(self._cell(row, columns, "join") or self._cell(row, columns, "first_join"), line)
            leave = self._when(self._cell(row, columns, "leave") or self._cell(row, columns, "last_leave"), line)
            person.stays.append((join, leave, self._duration(self._cell(row, columns, "duration"), line)))

    def _read_flat(self, header, columns, body) -> tuple[dict[str, _Person], datetime | None, datetime | None]:
        people: dict[str, _Person] = {}
        events: list[tuple[datetime, int, _Person, bool]] = []
        for order, (line, row) in enumerate(body):
            person = self._person(people, row, columns)
            if person is None:
                continue
            action = _key(self._cell(row, columns, "action"))
            moment = self._when(self._cell(row, columns, "timestamp"), line)
            if moment is None:
                continue
            if action.startswith("join"):
                events.append((moment, order, person, True))
            elif action.startswith(("left", "leave")):
                events.append((moment, order, person, False))
        if not events:
            raise TeamsReportError(_("This file is not a Teams attendance report: nobody joined or left the meeting."))
        events.sort(key=lambda e: (e[0], e[1]))
        first, last = events[0][0], events[-1][0]
        open_since: dict[int, datetime] = {}
        for moment, _order, person, joined in events:
            if joined:
                open_since.setdefault(id(person), moment)
            else:
                # A leave with no join: they were in before the report began.
                person.stays.append((open_since.pop(id(person), first), moment, None))
        for person in people.values():
            if id(person) in open_since:
                # A join with no leave runs to the end of the meeting.
                person.stays.append((open_since.pop(id(person)), None, None))
        return people, first, last

    def _finish(self, person: _Person, meeting_end: datetime | None) -> Participant:
        stays = [(join, leave or meeting_end, seconds) for join, leave, seconds in person.stays]
        if stays:
            seconds = _time_present(stays)
            joins = [s[0] for s in stays if s[0] is not None]
            leaves = [s[1] for s in stays if s[1] is not None]
            first_join = min(joins, default=person.first_join)
            last_leave = max(leaves, default=person.last_leave)
        else:
            seconds = person.listed_seconds or 0
            first_join, last_leave = person.first_join, person.last_leave
        return Participant(
            name=person.name,
            email=person.email,
            upn=person.upn,
            role=person.role,
            seconds=seconds,
            first_join=first_join,
            last_leave=last_leave,
        )


def _time_present(stays: list[tuple[datetime | None, datetime | None, int | None]]) -> int:
    """Seconds in the meeting over every join. Where each join's times are known, joins that
    overlap (a laptop and a phone at once) count once; otherwise their durations are added."""
    if all(join is not None and leave is not None for join, leave, _s in stays):
        total, reached = 0, None
        for join, leave, _seconds in sorted(stays, key=lambda s: s[0]):
            if reached is None or join >= reached:
                total += int((leave - join).total_seconds())
                reached = leave
            elif leave > reached:
                total += int((leave - reached).total_seconds())
                reached = leave
        return max(total, 0)
    total = 0
    for join, leave, seconds in stays:
        if seconds is None and join is not None and leave is not None:
            seconds = int((leave - join).total_seconds())
        total += max(seconds or 0, 0)
    return total

"""Read a programme from the text of a partnership's flyer.

Organisers already publish their week of sessions as a flyer: a title line, then one row
per session with the day, the title, "Time: … Delivery: … Registration: …" and a
description, in cells separated by tabs and marked up with <b>, <i>, <sup> and <p>.
Importing that text saves retyping it. The parser touches no database, so it can be
tested on its own and a bad file is rejected before anything is saved.
"""

import datetime as dt
import html
import re
from dataclasses import dataclass

import nh3

from bookyourplace.programmes.errors import ProgrammeError

DEFAULT_TITLE = "Imported programme"

# How far from today to look for a year where the weekday fits; any real flyer is well inside.
YEAR_SEARCH_RANGE = 10

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

# "Monday 19th January", once the markup is gone.
DAY_HEADING = re.compile(
    rf"^({'|'.join(WEEKDAYS)})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+({'|'.join(MONTHS)})$",
    re.IGNORECASE,
)
TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*[–—-]\s*(\d{1,2}):(\d{2})$")
FIELD_LABEL = re.compile(r"\b(Time|Delivery|Registration)\s*:", re.IGNORECASE)
PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
LEADING_BOLD = re.compile(r"^\s*<b>(.*?)</b>(.*)$", re.IGNORECASE | re.DOTALL)
ROOM = re.compile(r"^(.*?)[\s,]*\b(Room\b.*)$", re.IGNORECASE)

# The flyer writes platforms the way people say them; attendees see the product's name.
PLATFORMS = {
    "ms teams": "Microsoft Teams",
    "teams": "Microsoft Teams",
    "microsoft teams": "Microsoft Teams",
    "zoom": "Zoom",
}

# Simple inline formatting is all a description needs; Session.save sanitises again.
DESCRIPTION_TAGS = {"b", "strong", "i", "em", "sup", "sub"}

EXPECTED_TIME = "expected 'Time: HH:MM – HH:MM'"
EXPECTED_DELIVERY = "expected 'Delivery: Online MS Teams' or a venue such as 'Delivery: Friargate Room 1.4'"


class SeedFormatError(ProgrammeError):
    """The flyer text is not in the expected shape. The message names the line to fix."""


@dataclass(frozen=True)
class ParsedSession:
    date: dt.date
    title: str
    subtitle: str
    start: dt.time
    end: dt.time
    delivery: str  # "online" or "in_person", as Session.Delivery
    platform: str
    venue: str
    room: str
    description_html: str
    # Where it was read from, and how to book ("Book Your Place"), for the flyer reader.
    booking_text: str = ""
    line: int = 0
    time_line: int = 0


@dataclass(frozen=True)
class ParsedProgramme:
    title: str
    sessions: list[ParsedSession]


@dataclass(frozen=True)
class _Cell:
    """One tab-separated cell and the line it came from, so errors can point at it."""

    line: int
    html: str


def parse_flyer(text: str, *, today: dt.date | None = None) -> ParsedProgramme:
    """Parse the flyer text; raise SeedFormatError naming the line if it cannot be read.

    The flyer gives no year, so each date is placed in the year, nearest to `today`, in
    which it falls on the weekday the flyer says.
    """
    if not text.strip():
        raise SeedFormatError("the file is empty: expected a '# Title' line and one row per session")
    today = today or dt.date.today()
    blocks = _session_blocks(text.splitlines())
    if not blocks:
        raise SeedFormatError(
            "no sessions found: expected rows starting with a day such as '<b>Monday 19<sup>th</sup> January</b>'"
        )
    sessions = [_parse_session(heading, cells, today) for heading, cells in blocks]
    return ParsedProgramme(title=_programme_title(text.splitlines()), sessions=sessions)


def _programme_title(lines: list[str]) -> str:
    for line in lines:
        if line.strip().startswith("# "):
            return _plain_text(line.strip()[2:]) or DEFAULT_TITLE
    return DEFAULT_TITLE


def _session_blocks(lines: list[str]) -> list[tuple[_Cell, list[_Cell]]]:
    """Group the rows into sessions: a day heading, then every cell up to the next heading.

    Lines before the first heading are the flyer's banner and are not needed.
    """
    blocks: list[tuple[_Cell, list[_Cell]]] = []
    for number, line in enumerate(lines, start=1):
        cells = [_Cell(number, cell) for cell in line.split("\t") if cell.strip()]
        if cells and DAY_HEADING.match(_plain_text(cells[0].html)):
            blocks.append((cells[0], cells[1:]))
        elif cells and blocks:
            blocks[-1][1].extend(cells)
    return blocks


def _parse_session(heading: _Cell, cells: list[_Cell], today: dt.date) -> ParsedSession:
    title_cell, details, description = _layout(heading, cells)
    title, subtitle = _title_and_subtitle(title_cell.html)
    if not title:
        raise SeedFormatError(
            f"line {title_cell.line}: expected the session title, such as '<b>Self-Initiated Terrorism</b>'"
        )
    fields = _fields(details)
    start, end = _time_range(fields.get("time", ""), details.line)
    delivery, platform, venue, room = _delivery(fields.get("delivery", ""), details.line)
    return ParsedSession(
        date=_session_date(heading, today),
        title=title,
        subtitle=subtitle,
        start=start,
        end=end,
        delivery=delivery,
        platform=platform,
        venue=venue,
        room=room,
        description_html=_description(description.html) if description else "",
        booking_text=fields.get("registration", ""),
        line=heading.line,
        time_line=details.line,
    )


def _layout(heading: _Cell, cells: list[_Cell]) -> tuple[_Cell, _Cell, _Cell | None]:
    """(title, details, description) cells, whichever of the flyer's two layouts is used.

    Either the title cell holds <p>s with the title first and the details after, or the
    details follow on the next line; the description, if any, is the cell after them.
    """
    if not cells:
        raise SeedFormatError(f"line {heading.line}: expected the session title after the day, separated by a tab")
    title_cell, *rest = cells
    title_html, details_html = _split_paragraphs(title_cell.html)
    if details_html:
        details = _Cell(title_cell.line, details_html)
    elif rest:
        details, *rest = rest
    else:
        raise SeedFormatError(f"line {title_cell.line}: {EXPECTED_TIME} after the session title")
    if len(rest) > 1:
        raise SeedFormatError(f"line {rest[1].line}: unexpected text after the session description")
    return _Cell(title_cell.line, title_html), details, (rest[0] if rest else None)


def _split_paragraphs(cell_html: str) -> tuple[str, str]:
    """A cell written as <p>s holds the title in its first paragraph and the details after."""
    paragraphs = PARAGRAPH.findall(cell_html)
    if not paragraphs:
        return cell_html, ""
    return paragraphs[0], " ".join(paragraphs[1:])


def _fields(details: _Cell) -> dict[str, str]:
    """{'time': '13:00 – 15:00', 'delivery': 'Online MS Teams', 'registration': ...}."""
    parts = FIELD_LABEL.split(_plain_text(details.html))
    labels, values = parts[1::2], parts[2::2]
    if not labels:
        raise SeedFormatError(f"line {details.line}: {EXPECTED_TIME}")
    return {label.lower(): value.strip() for label, value in zip(labels, values, strict=True)}


def _title_and_subtitle(title_html: str) -> tuple[str, str]:
    """'<b>Title:</b> Subtitle.' gives both; bold text on its own is all title, colons and all."""
    match = LEADING_BOLD.match(title_html)
    if not match:
        return _strip_end(_plain_text(title_html), ":."), ""
    bold, after = _plain_text(match[1]), _plain_text(match[2])
    if not after:
        return _strip_end(bold, ":."), ""
    return _strip_end(bold, ":."), _strip_end(after, ".")


def _strip_end(text: str, characters: str) -> str:
    """Drop one trailing punctuation mark, so 'Including ‘764’.' keeps its inner full stop."""
    text = text.strip()
    return text[:-1].rstrip() if text and text[-1] in characters else text


def _time_range(text: str, line: int) -> tuple[dt.time, dt.time]:
    match = TIME_RANGE.match(text)
    if not match:
        raise SeedFormatError(f"line {line}: {EXPECTED_TIME}")
    try:
        start = dt.time(int(match[1]), int(match[2]))
        end = dt.time(int(match[3]), int(match[4]))
    except ValueError:
        raise SeedFormatError(f"line {line}: {EXPECTED_TIME} with real times of day, not {text!r}") from None
    if end <= start:
        raise SeedFormatError(f"line {line}: the session must end after it starts ({text!r})")
    return start, end


def _delivery(text: str, line: int) -> tuple[str, str, str, str]:
    """(delivery, platform, venue, room): 'Online MS Teams' or 'Friargate Room 1.4'."""
    if not text:
        raise SeedFormatError(f"line {line}: {EXPECTED_DELIVERY}")
    platform = re.sub(r"^online\b[\s:,–-]*", "", text, flags=re.IGNORECASE)
    if platform != text or text.lower() in PLATFORMS:
        return "online", PLATFORMS.get(platform.lower(), platform), "", ""
    match = ROOM.match(text)
    if not match:
        return "in_person", "", text, ""
    return "in_person", "", match[1].strip(" ,"), match[2].strip()


def _session_date(heading: _Cell, today: dt.date) -> dt.date:
    """The date the heading names, in the year nearest today where the weekday agrees."""
    weekday, day, month = DAY_HEADING.match(_plain_text(heading.html)).groups()
    candidates = []
    for year in range(today.year - YEAR_SEARCH_RANGE, today.year + YEAR_SEARCH_RANGE + 1):
        try:
            candidate = dt.date(year, MONTHS.index(month.lower()) + 1, int(day))
        except ValueError:  # 30 February, or 29 February outside a leap year
            continue
        if candidate.weekday() == WEEKDAYS.index(weekday.lower()):
            candidates.append(candidate)
    if not candidates:
        raise SeedFormatError(
            f"line {heading.line}: {weekday} {day} {month} does not fall on a {weekday} "
            f"in any year within {YEAR_SEARCH_RANGE} years of {today.year}"
        )
    return min(candidates, key=lambda candidate: abs((candidate - today).days))


def _description(cell_html: str) -> str:
    """Keep simple formatting, tidy the spacing the flyer's editor left ('phenomenon</i> ,')."""
    cleaned = nh3.clean(cell_html, tags=DESCRIPTION_TAGS, attributes={})
    cleaned = re.sub(r"\s+", " ", cleaned)
    return re.sub(r"\s+([,.;:!?)])", r"\1", cleaned).strip()


def _plain_text(fragment: str) -> str:
    """Text without markup or entities, whitespace collapsed: '19<sup>th</sup>' -> '19th'."""
    without_tags = re.sub(r"<[^>]*>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(without_tags)).strip()

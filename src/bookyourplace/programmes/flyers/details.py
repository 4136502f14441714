"""A session's details as flyers write them: where it is (online on a platform, or in person
at a venue, room and address), how to book, and the labels in front of them ("Time:",
"Venue:", "Where:"...). Plain functions of one line of text each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The platform as attendees know it, from the ways flyers write it (first match wins).
PLATFORMS = (
    (re.compile(r"\bmicrosoft\s+teams\b|\bms\s*teams\b|\bteams\b", re.IGNORECASE), "Microsoft Teams"),
    (re.compile(r"\bzoom\b", re.IGNORECASE), "Zoom"),
    (re.compile(r"\bgoogle\s+meet\b|\bgoogle\s+hangouts?\b", re.IGNORECASE), "Google Meet"),
    (re.compile(r"\b(?:cisco\s+)?webex\b", re.IGNORECASE), "Webex"),
    (re.compile(r"\bskype\b", re.IGNORECASE), "Skype"),
    (re.compile(r"\bgoto\s*webinar\b", re.IGNORECASE), "GoTo Webinar"),
    (re.compile(r"\bgoto\s*meeting\b", re.IGNORECASE), "GoTo Meeting"),
)
_ONLINE_WORD = re.compile(r"^(?:online|virtual(?:ly)?|remote(?:ly)?|webinar|live\s+online)\b", re.IGNORECASE)
_IN_PERSON_WORD = re.compile(r"^(?:in[\s-]*person|face[\s-]*to[\s-]*face|on[\s-]*site|classroom)\b", re.IGNORECASE)
_PLATFORM_ONLY = re.compile(
    r"^(?:via\s+|on\s+)?(?:microsoft\s+teams|ms\s*teams|teams|zoom|google\s+meet|webex|skype)\b", re.IGNORECASE
)
# What may follow "Online" on a line that says where a session is, not a title ("Online safety").
_AFTER_ONLINE = re.compile(
    r"^(?:$|[(:,;|–—-]|(?:via|on|using|through|with|by|session|event|only|meeting|platform)\b)", re.IGNORECASE
)
_AFTER_IN_PERSON = re.compile(r"^(?:$|[(:,;|–—-]|(?:at|in|session|event|only|training)\b)", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^(?:(?:in[\s-]*person|face[\s-]*to[\s-]*face|on[\s-]*site|classroom)(?:\s+(?:session|event|training))?"
    r"|venue|location|held)?[\s:,;|–—-]*(?:(?:at|in)\s+)?",
    re.IGNORECASE,
)
_ROOM_PART = re.compile(
    r"^(?:room|rm|suite|floor|level|(?:main\s+|lecture\s+|sports\s+|function\s+)?hall|"
    r"(?:meeting|training|committee|conference|board|council|seminar|function)\s+(?:room|suite|chamber)|boardroom)\b",
    re.IGNORECASE,
)
_ROOM_INSIDE = re.compile(r"^(.*?)[\s,]*\b((?:room|suite)\s+\S.*)$", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)

# "(In-Person)", " – Face to face", "In person:" in a title: how it is delivered, not its name.
_TITLE_MARK_END = re.compile(r"\s*(?:[(\[]([^()\[\]]{1,60})[)\]]|\s[–—-]\s+([^–—-]{1,60}))\s*[.:]?\s*$")
_TITLE_MARK_START = re.compile(
    r"^\s*[(\[]?\s*(in[\s-]*person|face[\s-]*to[\s-]*face|online)\s*[)\]]?\s*[:–—|-]\s*", re.IGNORECASE
)

LABELS = {
    "time": "time", "times": "time", "timing": "time", "timings": "time",
    "date": "date", "day": "date", "when": "date", "date and time": "date", "date & time": "date",
    "venue": "where", "location": "where", "where": "where", "delivery": "where", "format": "where",
    "place": "where", "platform": "platform", "room": "room", "address": "address",
    "registration": "booking", "register": "booking", "booking": "booking", "book": "booking",
    "how to book": "booking", "to book": "booking", "booking link": "booking", "bookings": "booking",
    "title": "title", "session": "title", "course": "title", "subtitle": "subtitle",
    "description": "description", "details": "description", "about": "description", "summary": "description",
    "speaker": "note", "speakers": "note", "facilitator": "note", "facilitators": "note",
    "presenter": "note", "presenters": "note", "trainer": "note", "delivered by": "note", "led by": "note",
    "audience": "note", "who should attend": "note", "suitable for": "note", "cost": "note", "price": "note",
}  # fmt: skip
_LABEL_WORDS = "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True))
_LABEL_AT_START = re.compile(rf"^\s*({_LABEL_WORDS})\s*:", re.IGNORECASE)
# The labels that may follow each other on one line ("Time: 13:00 – 15:00  Delivery: Online").
_DETAIL_LABEL = re.compile(
    r"(?<![\w/])(time|times|date|when|venue|location|where|delivery|format|platform|room|address|"
    r"registration|register|booking|book|how to book)\s*:(?!//)",
    re.IGNORECASE,
)
# Headings of a table's columns: what each column holds.
COLUMNS = LABELS | {
    "day": "date", "days": "date", "dates": "date", "day and date": "date", "date/day": "date",
    "session": "title", "sessions": "title", "session title": "title", "topic": "title", "event": "title",
    "workshop": "title", "training": "title", "name": "title", "course title": "title",
    "start": "start", "start time": "start", "starts": "start", "end": "end", "end time": "end",
    "finish": "end", "finish time": "end", "ends": "end",
    "venue/platform": "where", "where/how": "where", "online or in person": "where", "mode": "where",
    "information": "description", "more information": "description", "overview": "description",
    "book your place": "booking", "link": "booking", "places": "note", "notes": "note",
}  # fmt: skip

_BOOKING = re.compile(
    r"^(?:(?:book\s+(?:your|a)\s+place|book\s+now|book\s+here|book\s+online|register\s+(?:now|here|online|at|via)|"
    r"(?:click|tap)\s+here\s+to\s+(?:book|register)|to\s+(?:book|register|reserve)|booking\s+(?:is\s+)?"
    r"(?:essential|required|via|at|through)|places\s+can\s+be\s+booked|reserve\s+(?:your|a)\s+place)\b"
    r"|(?:book|register|sign\s+up)\s*[.!]?$)",
    re.IGNORECASE,
)
_EMAIL_TO_BOOK = re.compile(r"\S+@\S+\.\S+.{0,40}\bto\s+(?:book|register|reserve)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    delivery: str  # "online", "in_person" or "" when the text does not say
    platform: str = ""
    venue: str = ""
    room: str = ""
    address: str = ""


def platform_in(text: str) -> str:
    for pattern, name in PLATFORMS:
        if pattern.search(text):
            return name
    return ""


def says_where(text: str) -> bool:
    """A line that says where a session is, without a label: "Online via Zoom", "MS Teams",
    "In person – The Core, Room 3". Not a title such as "Online safety for parents"."""
    text = text.strip()
    if len(text) > 200:
        return False
    online = _ONLINE_WORD.match(text)
    if online:
        return bool(_AFTER_ONLINE.match(text[online.end() :].lstrip()))
    in_person = _IN_PERSON_WORD.match(text)
    if in_person:
        return bool(_AFTER_IN_PERSON.match(text[in_person.end() :].lstrip()))
    return bool(_PLATFORM_ONLY.match(text)) and len(text) <= 60


def place(text: str, *, label: str = "where") -> Place:
    """Where a session is, from what follows "Where:" (or a line that says_where).

    ``label`` "platform" means online whatever the words; "room" and "address" in person."""
    text = text.strip(" .;")
    if label == "platform":
        return Place("online", platform=platform_in(text) or text)
    if label == "room":
        return Place("in_person", room=text)
    if label == "address":
        return Place("in_person", address=text)
    if label == "venue":
        return _in_person(text)
    platform = platform_in(text)
    if platform or _ONLINE_WORD.match(text):
        return Place("online", platform=platform)
    if not text:
        return Place("")
    return _in_person(_LEAD_IN.sub("", text, count=1))


def _in_person(text: str) -> Place:
    """'Friargate Room 1.4', 'Council House, Committee Room 2, Earl Street, Coventry CV1 5RR'."""
    venue, room, address = "", "", []
    for part in (part.strip(" ()") for part in re.split(r",|\n|;", text)):
        if not part:
            continue
        if not room and _ROOM_PART.match(part):
            room = part
        elif not venue:
            inside = None if _POSTCODE.search(part) else _ROOM_INSIDE.match(part)
            if inside and inside[1] and not room:
                venue, room = inside[1].strip(" ,"), inside[2].strip()
            else:
                venue = part
        else:
            address.append(part)
    return Place("in_person", venue=venue, room=room, address=", ".join(address))


def looks_like_address(text: str) -> bool:
    """A line with no label that is a place: "The Core, Room 3, Theatre Square, Solihull B91 3RG"."""
    text = text.strip()
    if len(text) > 150 or text.endswith((".", "!", "?")):
        return False
    parts = [part.strip() for part in text.split(",")]
    return bool(_POSTCODE.search(text)) or (len(parts) > 1 and any(_ROOM_PART.match(part) for part in parts))


def title_and_mark(title: str) -> tuple[str, Place | None]:
    """'Local Case Study (In-Person)' -> ('Local Case Study', in person); a platform or
    "Online" in brackets likewise. Other brackets ("(O9A)") are part of the title."""
    match = _TITLE_MARK_END.search(title)
    if match:
        mark = (match[1] or match[2] or "").strip()
        if mark and (says_where(mark) or _IN_PERSON_WORD.fullmatch(mark)):
            return title[: match.start()].rstrip(" :–—-"), place(mark)
    match = _TITLE_MARK_START.match(title)
    if match and title[match.end() :].strip():
        return title[match.end() :].strip(), place(match[1])
    return title, None


def label_at_start(text: str) -> str:
    """The kind of label the line starts with ("time", "where"...), or ""."""
    match = _LABEL_AT_START.match(text)
    return LABELS[_normal(match[1])] if match else ""


def labelled_parts(text: str) -> list[tuple[str, str, str]]:
    """[(kind, label, value)...] of a line that starts with a label; several details may share
    one line ("Time: 13:00 – 15:00  Delivery: Online MS Teams  Registration: Book Your Place")."""
    first = _LABEL_AT_START.match(text)
    if not first:
        return []
    parts: list[tuple[str, str, str]] = []
    label, start = first[1], first.end()
    for match in _DETAIL_LABEL.finditer(text, first.end()):
        parts.append((LABELS[_normal(label)], label, text[start : match.start()].strip(" ,;|")))
        label, start = match[1], match.end()
    parts.append((LABELS[_normal(label)], label, text[start:].strip(" ,;|")))
    return parts


def column_kind(heading: str) -> str:
    return COLUMNS.get(_normal(heading.strip(" :*")), "")


def is_booking(text: str) -> bool:
    text = text.strip()
    return bool(_BOOKING.match(text) or _EMAIL_TO_BOOK.search(text[:200]))


def _normal(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().lower())

"""The times flyers write: "13:00 – 15:00", "9.30am – 11am", "12 noon to 1.30pm", "midday",
"10am - 12pm", "9.30 – 11.00", "1pm".

A time without am or pm is read on the 24-hour clock, except that an hour from 1 to 6
written without a leading zero ("1.30 – 3.30") is the afternoon: nobody trains at 1.30am.
A bare hour ("10 – 12") is a time only where the flyer says it is one ("Time: 10 – 12").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MERIDIEM = r"(?:a\.?m\.?|p\.?m\.?)(?![a-z])"
_ONE = (
    r"(?:(?P<{n}word>12\s*noon|12\s*midday|noon|midday|midnight)"
    r"|(?P<{n}hour>\d{{1,2}})(?:[:.](?P<{n}minute>\d{{2}}))?(?:\s*(?P<{n}meridiem>" + _MERIDIEM + r"))?)"
    r"(?:\s*hrs?\b)?"
)
_RANGE = re.compile(
    r"(?:from\s+)?" + _ONE.format(n="s") + r"\s*(?:–|—|-|to|until|till)\s*" + _ONE.format(n="e") + r"(?!\s*\d)",
    re.IGNORECASE,
)
_SINGLE = re.compile(r"(?:from\s+|at\s+|starts?\s+)?" + _ONE.format(n="s") + r"(?![\d/])", re.IGNORECASE)
_EDGE = re.compile(r"^[\s,:;|()\[\]–—-]+|[\s,:;|()\[\]–—-]+$")
_SEPARATORS = re.compile(r"^[\s,:;|–—-]+|[\s,:;|–—-]+$")
# Only the end of a line is searched for a range written after the title ("Talk, 10am–12pm").
_TAIL_LENGTH = 60


@dataclass(frozen=True)
class TimesFound:
    start: dt.time | None
    end: dt.time | None
    rest: str  # the line without the times
    readable: bool = True  # False: looked like times but are not real times of day (25:00)


def times_at_edge(text: str, *, labelled: bool = False) -> TimesFound | None:
    """A time range (or, if ``labelled``, a single time) at the start or end of ``text``."""
    match = _RANGE.match(text.lstrip())
    if match and (labelled or _definite(match, "s") or _definite(match, "e")):
        return _found(match, text.lstrip()[match.end() :], labelled=labelled)
    tail_start = max(0, len(text) - _TAIL_LENGTH)
    for match in _RANGE.finditer(text, tail_start):
        if not _EDGE.sub("", text[match.end() :]) and (_definite(match, "s") or _definite(match, "e")):
            return _found(match, text[: match.start()], labelled=labelled)
    if labelled:
        match = _SINGLE.match(text.lstrip())
        if match:
            start = _one(match, "s")
            rest = text.lstrip()[match.end() :]
            return TimesFound(start, None, _tidy(rest), readable=start is not None)
    return None


def _found(match: re.Match, rest: str, *, labelled: bool) -> TimesFound:
    start, end = _one(match, "s"), _one(match, "e")
    if start is None or end is None:
        return TimesFound(None, None, _tidy(rest), readable=False)
    start, end = _same_half_of_day(match, start, end)
    return TimesFound(start, end, _tidy(rest))


def _definite(match: re.Match, side: str) -> bool:
    """Written so that it can only be a time: minutes, am/pm, or noon."""
    return bool(match[f"{side}word"] or match[f"{side}minute"] or match[f"{side}meridiem"])


def _one(match: re.Match, side: str) -> dt.time | None:
    word = match[f"{side}word"]
    if word:
        return dt.time(0, 0) if word.lower() == "midnight" else dt.time(12, 0)
    hour, minute = int(match[f"{side}hour"]), int(match[f"{side}minute"] or 0)
    meridiem = (match[f"{side}meridiem"] or "").lower().replace(".", "")
    if minute > 59:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif hour > 23:
        return None
    elif 1 <= hour <= 6 and not match[f"{side}hour"].startswith("0"):
        hour += 12
    return dt.time(hour, minute)


def _same_half_of_day(match: re.Match, start: dt.time, end: dt.time) -> tuple[dt.time, dt.time]:
    """'11 – 1pm' is 11:00–13:00, '1 – 3pm' 13:00–15:00: one side's am/pm serves both."""
    start_meridiem, end_meridiem = match["smeridiem"], match["emeridiem"]
    if start_meridiem and not end_meridiem and match["ehour"] and end <= start and end.hour < 12:
        end = end.replace(hour=end.hour + 12)
    if end_meridiem and not start_meridiem and match["shour"]:
        hour = int(match["shour"]) % 12
        morning, afternoon = start.replace(hour=hour), start.replace(hour=hour + 12)
        start = afternoon if afternoon < end else morning
    return start, end


def _tidy(text: str) -> str:
    """The rest of the line, without the separators and any bracket the times were in."""
    text = _SEPARATORS.sub("", text).strip()
    if text.endswith(("(", "[")):
        text = _SEPARATORS.sub("", text[:-1])
    if text.startswith((")", "]")):
        text = _SEPARATORS.sub("", text[1:])
    return text.strip()

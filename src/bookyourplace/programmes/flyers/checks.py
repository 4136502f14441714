"""What an organiser should check in a flyer's sessions before creating the programme: shown
beside each row of the preview, for the rows as read and again as corrected.

Warnings, not refusals: a session may really start at 6pm and end at 9.30pm. What stops a
session being created at all is importing.py's (draft_problems).
"""

from __future__ import annotations

import datetime as dt
import re

from bookyourplace.programmes.flyers.draft import DraftSession

# Training outside these hours is rare enough that a time outside them is probably misread
# (am for pm, or the 24-hour clock taken for the 12-hour one).
EARLIEST = dt.time(7, 0)
LATEST = dt.time(21, 0)


def draft_warnings(sessions: list[DraftSession]) -> list[list[str]]:
    """One list of plain-English warnings per session, in the same order."""
    titles = [_normal(session.title) for session in sessions]
    repeated = {title for title in titles if title and titles.count(title) > 1}
    return [_warnings(session, repeated_title=_normal(session.title) in repeated) for session in sessions]


def _warnings(session: DraftSession, *, repeated_title: bool) -> list[str]:
    warnings = []
    if not session.title.strip():
        warnings.append("No title")
    elif repeated_title:
        warnings.append("Another session has the same title")
    if session.date is None:
        warnings.append("No date")
    if session.start is None:
        warnings.append("No start time")
    if session.end is None:
        warnings.append("No end time")
    if session.start and session.end and session.end <= session.start:
        warnings.append("The end time is not after the start time")
    outside = [time for time in (session.start, session.end) if time and not EARLIEST <= time <= LATEST]
    if outside:
        warnings.append(f"{_clock(outside[0])} is outside 07:00 to 21:00: check am and pm")
    if session.delivery == "in_person":
        missing = [name for name, value in (("venue", session.venue), ("room", session.room)) if not value.strip()]
        if missing:
            warnings.append(f"In person, but no {' or '.join(missing)} given")
    return warnings


def _normal(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def _clock(time: dt.time) -> str:
    return f"{time:%H:%M}"

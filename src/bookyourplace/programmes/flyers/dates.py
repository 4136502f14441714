"""The dates flyers write, and the year they leave out.

"Monday 19th January", "Mon 19 Jan 2026", "Tuesday, 3rd March", "19/01/2026", "19 January",
"January 19th, 2026". A date without its year is placed by its weekday (the year nearest
today in which that date falls on that weekday), or in the year the flyer gives at the top
("April–May 2026"), or in the year the caller gives; when none of these settles it, the date
is a guess and says so (``doubtful``), so that the organiser is asked.

The patterns are short and anchored, so a long line cannot make them slow.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bookyourplace.programmes.seed import MONTHS, WEEKDAYS, YEAR_SEARCH_RANGE

WEEKDAY_NAMES = tuple(day.capitalize() for day in WEEKDAYS)
MONTH_NAMES = tuple(month.capitalize() for month in MONTHS)

_WEEKDAY_WORDS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_MONTH_WORDS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True)) + r")\.?,?\s+(?:the\s+)?"
_MONTH = "(?P<month>" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?:\s?(?:st|nd|rd|th)\b)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
# Day before month ("19th January 2026") or month before day ("January 19th, 2026").
_DAY_MONTH = re.compile(
    rf"(?:{_WEEKDAY})?(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH}(?![a-z]){_YEAR}", re.IGNORECASE
)
_MONTH_DAY = re.compile(rf"(?:{_WEEKDAY})?{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL}(?![\d:.]){_YEAR}", re.IGNORECASE)
# 19/01/2026, 19.01.26 (day first, as in the UK) and 2026-01-19.
_NUMERIC = re.compile(
    rf"(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?P<sep>[/.])(?P<month>\d{{1,2}})(?P=sep)(?P<year>\d{{4}}|\d{{2}})(?!\d)",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?:" + _WEEKDAY + r")?(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s,:;|–—-]+")
YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class WrittenDate:
    """A date as the flyer writes it: the year and weekday only if written."""

    day: int
    month: int
    year: int | None
    weekday: int | None  # 0 Monday
    text: str  # as written, for messages
    rest: str  # what follows it on the line


@dataclass(frozen=True)
class PlacedDate:
    """A written date placed in a year, with anything the organiser should check."""

    date: dt.date | None
    year_inferred: bool = False
    year_doubtful: bool = False
    problem: str = ""


def date_at_start(text: str) -> WrittenDate | None:
    """The date at the start of ``text`` ("Monday 19th January – 10am…"), or None."""
    text = text.lstrip()
    for pattern in (_DAY_MONTH, _MONTH_DAY, _ISO, _NUMERIC):
        match = pattern.match(text)
        if match:
            written = _written(match, text)
            if written:
                return written
    return None


def _written(match: re.Match, text: str) -> WrittenDate | None:
    month = match["month"]
    month_number = int(month) if month.isdigit() else _MONTH_WORDS[month.lower()]
    year = match["year"]
    year_number = None
    if year:
        year_number = int(year) + 2000 if len(year) == 2 else int(year)
    day = int(match["day"])
    if not (1 <= month_number <= 12 and 1 <= day <= 31):
        return None
    weekday = match["weekday"]
    return WrittenDate(
        day=day,
        month=month_number,
        year=year_number,
        weekday=_WEEKDAY_WORDS[weekday.lower()] if weekday else None,
        text=match[0].strip(" ,"),
        rest=_SEPARATOR.sub("", text[match.end() :]).strip(),
    )


def weekday_only(text: str) -> bool:
    """A line that is just a weekday ("Monday"): a day heading with no date."""
    return text.strip(" :,.").lower() in _WEEKDAY_WORDS


def place(written: WrittenDate, *, years: list[int], given_year: int | None, today: dt.date) -> PlacedDate:
    """Put ``written`` in a year: its own, else the caller's (``given_year``), else one of the
    flyer's (``years``, from its heading) where the weekday fits, else the nearest today where
    the weekday fits. Without a weekday or a year to go on, the nearest is a guess (doubtful)."""
    if written.year is not None:
        return _as_written(written, written.year)
    if given_year is not None:
        return _as_written(written, given_year, inferred=True)
    if years:
        fitting = [year for year in years if _fits(written, year)]
        if fitting:
            return PlacedDate(_date(written, fitting[0]), year_inferred=True)
        if written.weekday is None or len(years) == 1:
            return _as_written(written, years[0], inferred=True)
    guess = _nearest_date(written, today)
    if guess is None:
        return PlacedDate(None, problem=f"There is no {_day_month(written)}: check the date.")
    if written.weekday is not None:
        near = [year for year in _years_near(today) if _fits(written, year)]
        if near:
            nearest = min(near, key=lambda year: abs((_date(written, year) - today).days))
            return PlacedDate(_date(written, nearest), year_inferred=True)
        return PlacedDate(
            guess,
            year_inferred=True,
            year_doubtful=True,
            problem=(
                f"{written.text} is not a {WEEKDAY_NAMES[written.weekday]} in any year near {today.year}: "
                "check the date and say which year."
            ),
        )
    return PlacedDate(
        guess,
        year_inferred=True,
        year_doubtful=True,
        problem=(
            f"{written.text} has no year and no day of the week, so the year is a guess ({guess.year}): say which year."
        ),
    )


def _as_written(written: WrittenDate, year: int, *, inferred: bool = False) -> PlacedDate:
    date = _date(written, year)
    if date is None:
        return PlacedDate(None, problem=f"There is no {_day_month(written)} {year}: check the date.")
    if written.weekday is not None and date.weekday() != written.weekday:
        return PlacedDate(
            date,
            year_inferred=inferred,
            problem=(
                f"{written.text}: {date.day} {MONTH_NAMES[date.month - 1]} {date.year} is a "
                f"{WEEKDAY_NAMES[date.weekday()]}, not a {WEEKDAY_NAMES[written.weekday]}. Check the day and date."
            ),
        )
    return PlacedDate(date, year_inferred=inferred)


def _fits(written: WrittenDate, year: int) -> bool:
    date = _date(written, year)
    return date is not None and (written.weekday is None or date.weekday() == written.weekday)


def _date(written: WrittenDate, year: int) -> dt.date | None:
    try:
        return dt.date(year, written.month, written.day)
    except ValueError:  # 30 February, 29 February outside a leap year, a year out of range
        return None


def _years_near(today: dt.date) -> range:
    return range(today.year - YEAR_SEARCH_RANGE, today.year + YEAR_SEARCH_RANGE + 1)


def _nearest_date(written: WrittenDate, today: dt.date) -> dt.date | None:
    dates = [date for year in _years_near(today) if (date := _date(written, year))]
    return min(dates, key=lambda date: abs((date - today).days), default=None)


def _day_month(written: WrittenDate) -> str:
    return f"{written.day} {MONTH_NAMES[written.month - 1]}"

"""The details a person gives when they book, and the checks every face's booking passes."""

import unicodedata
from dataclasses import dataclass

from bookyourplace.bookings.errors import InvalidAttendeeDetails


@dataclass(frozen=True, kw_only=True)
class AttendeeDetails:
    first_name: str
    last_name: str
    email: str
    organisation: str
    sector: str
    job_title: str
    access_needs: str = ""
    line_manager_email: str = ""
    mobile_number: str = ""  # +447..., normalised (bookings/mobile_numbers.py)
    text_reminder_wanted: bool = False
    # The language they booked in (settings.LANGUAGES; empty: the site's): their emails' language.
    language: str = ""


# Line and paragraph separators are not Cc/Cf but break lines all the same.
_LINE_SEPARATORS = {"\u2028", "\u2029"}
# Zero-width (non-)joiners are Cf but belong in names written in Persian, Hindi, Malayalam
# and others (and in emoji); they break nothing.
_JOINERS = {"\u200c", "\u200d"}


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs, and invisible control or format characters such as right-to-left
    overrides (Unicode categories Cc and Cf but for the joiners, and U+2028/U+2029).
    Ordinary spaces are fine."""
    return any(
        ch in _LINE_SEPARATORS or (unicodedata.category(ch) in ("Cc", "Cf") and ch not in _JOINERS) for ch in text
    )


# The attendee's details that go into email headers, invites and exports as one line.
ONE_LINE_FIELDS = ("first_name", "last_name", "organisation", "job_title")


def check_attendee(attendee: AttendeeDetails) -> None:
    """Refuse details no one types: every face (public form, back office, API) books
    through book_place, so the rule holds whichever one is used."""
    if any(has_control_characters(getattr(attendee, name)) for name in ONE_LINE_FIELDS):
        raise InvalidAttendeeDetails()


def normalise_email(email: str) -> str:
    return email.strip().lower()

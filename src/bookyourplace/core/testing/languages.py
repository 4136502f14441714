"""For the tests of the Welsh pages and emails: the English left in a Welsh rendering.

A page (or email) is rendered twice, in English and in Welsh. Every piece of visible text
(text between tags, and the words of alt, aria-label, title and placeholder attributes) of
the Welsh one that reads exactly as in the English one, or that still has English words
in it, is English left over, once the words that are the same in both languages are set
aside: the organisation's own words (names, titles, descriptions, places), people's names
and addresses, numbers, times and web addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

_ATTRIBUTES = {"alt", "aria-label", "title", "placeholder"}
# Words that read the same in Welsh (or are names of things), and Welsh words spelt as
# English ones.
SAME_IN_BOTH = {
    "pdf",
    "a4",
    "qr",
    "ics",
    "html",
    "sector",
    "poster",
    "cymraeg",
    "english",
    "outlook",
    "microsoft",
    "teams",
    "gov",
    "uk",
    "notify",
    "gdpr",
    "ico",
    "ehrc",
    "eass",
    "ecni",
    "wcag",
    "aa",
    "axe-core",
    "book",
    "your",
    "place",  # "Book Your Place", the software's name
    "word",
    "braille",
    "am",
    "i",
    "a",
    "o",
    "yn",
    "ar",
    "y",
    "dim",
}
# English words that no Welsh sentence has: one of them in a Welsh text is English left over.
ENGLISH_WORDS = {
    "the",
    "you",
    "your",
    "and",
    "of",
    "with",
    "this",
    "that",
    "booking",
    "bookings",
    "session",
    "sessions",
    "please",
    "email",
    "waiting",
    "list",
    "cancel",
    "certificate",
    "feedback",
    "privacy",
    "notice",
    "statement",
    "accessibility",
    "page",
    "back",
    "continue",
    "enter",
    "select",
    "there",
    "is",
    "are",
    "not",
    "have",
    "has",
    "will",
    "our",
    "for",
    "by",
    "from",
    "until",
    "open",
    "closed",
    "left",
    "full",
    "skip",
    "main",
    "content",
    "support",
    "links",
    "error",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        for name, value in attrs:
            if name in _ATTRIBUTES and value:
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.pieces.append(data)


def pieces_of(text: str, *, html: bool = True) -> list[str]:
    """The visible pieces of text, whitespace tidied, empty ones left out."""
    if html:
        parser = _Text()
        parser.feed(text)
        raw = parser.pieces
    else:
        raw = text.splitlines()
    return [tidy for piece in raw if (tidy := " ".join(piece.split()))]


_SET_ASIDE = re.compile(
    r"https?://\S+|/\S*|\S+@\S+|\b\d[\d:./-]*\b|\b[A-Z0-9]{3,}(?:-[A-Z0-9]{2,})+\b|\b[A-Z0-9]{6,}\b"
)


def _words(piece: str, allowed: Iterable[str]) -> list[str]:
    for value in sorted((a for a in allowed if a), key=len, reverse=True):
        piece = piece.replace(value, " ")
    piece = _SET_ASIDE.sub(" ", piece)
    return [word for word in re.findall(r"[A-Za-zÀ-ÿŵŷŴŶ’'-]+", piece) if word.strip("-’'")]


def english_left(english: str, welsh: str, *, allowed: Iterable[str] = (), html: bool = True) -> list[str]:
    """The pieces of the Welsh rendering that are still English (empty when none)."""
    allowed = list(allowed)
    english_pieces = set(pieces_of(english, html=html))
    left = []
    for piece in pieces_of(welsh, html=html):
        words = [word.strip("-’'").lower() for word in _words(piece, allowed)]
        words = [word for word in words if word and word not in SAME_IN_BOTH]
        if not words:
            continue
        unchanged = piece in english_pieces
        if unchanged or any(word in ENGLISH_WORDS for word in words):
            left.append(piece)
    return left


# The shared fixtures' own words (src/conftest.py, bookings/testing.py): the same in both languages.
FIXTURE_WORDS = [
    "Coventry Prevent Partnership",
    "Coventry Prevent Week",
    "Coventry City Council",
    "Self-Initiated Terrorism",
    "How to spot the signs.",
    "Cameras on, please.",
    "Microsoft Teams",
    "Alex Smith",
    "Alex",
    "Smith",
    "Book Your Place",
]


def email_in(language: str, render, email, booking) -> tuple[str, str, str]:
    """The subject, text and HTML of ``render(email, booking)`` for a booking made in ``language``."""
    booking.language = language
    message = render(email, booking)
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return message.subject, message.body, html


def english_left_in_email(render, email, booking) -> list[str]:
    """What of the email is still English when the booking was made in Welsh."""
    english = email_in("en-gb", render, email, booking)
    welsh = email_in("cy", render, email, booking)
    return [
        *english_left(english[0], welsh[0], allowed=FIXTURE_WORDS, html=False),
        *english_left(english[1], welsh[1], allowed=FIXTURE_WORDS, html=False),
        *english_left(english[2], welsh[2], allowed=FIXTURE_WORDS),
    ]

"""Every email about a booking made in Welsh is in Welsh: subject, text, HTML and the
calendar invite's words, with Welsh dates; a booking made in English gets English."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.bookings import email_content
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.invites import REQUEST
from bookyourplace.core.testing.languages import FIXTURE_WORDS as OWN_WORDS
from bookyourplace.core.testing.languages import english_left
from bookyourplace.notifications.models import Email

# The organiser's own words (a message) are not ours to translate.
KINDS = [kind for kind in EmailKind if kind != EmailKind.MESSAGE]


def _invite_words(invite: str) -> str:
    """The words of an invite a person reads: its summary, description and location."""
    unfolded = invite.replace("\r\n ", "").replace("\n ", "")
    words = []
    for line in unfolded.splitlines():
        name, _, value = line.partition(":")
        if name.split(";")[0] in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            words.append(value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";"))
    return "\n".join(words)


def _rendered(email, booking, language):
    booking.language = language
    message = email_content.render_email(email, booking)
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    invite = next((a[1] for a in message.attachments if a[0] == "invite.ics"), "")
    if isinstance(invite, bytes):
        invite = invite.decode()
    return message.subject, message.body, html, _invite_words(invite)


def _booking_for(kind, session):
    waiting = kind in (EmailKind.WAITING_LIST_JOINED, EmailKind.PLACE_OFFERED, EmailKind.OFFER_EXPIRED)
    if waiting:
        bookings_testing.book(session, "first@example.org")
    booking = bookings_testing.book(session, "alex.smith@coventry.gov.uk", waiting=waiting)
    booking.offer_expires_at = timezone.now() + timedelta(days=1)
    booking.hold_expires_at = timezone.now() + timedelta(hours=1)
    booking.line_manager_email = "manager@coventry.gov.uk"
    return booking


@pytest.mark.parametrize("kind", KINDS)
def test_each_email_of_a_welsh_booking_is_in_welsh(make_session, kind):
    capacity = 1 if kind in (EmailKind.WAITING_LIST_JOINED, EmailKind.PLACE_OFFERED, EmailKind.OFFER_EXPIRED) else 5
    session = make_session(capacity=capacity)
    booking = _booking_for(kind, session)
    email = Email(
        kind=kind,
        to=booking.email,
        include_joining_details=True,
        invite_method=REQUEST if kind == EmailKind.CONFIRMATION else "",
    )

    english = _rendered(email, booking, "en-gb")
    welsh = _rendered(email, booking, "cy")

    subject, text, html, invite = welsh
    assert subject != english[0]
    assert english_left(english[0], subject, allowed=OWN_WORDS, html=False) == []
    assert english_left(english[1], text, allowed=OWN_WORDS, html=False) == []
    assert english_left(english[2], html, allowed=OWN_WORDS) == []
    assert english_left(english[3], invite, allowed=OWN_WORDS, html=False) == []
    if email.invite_method:
        assert invite and invite != english[3]
    assert '<html lang="cy">' in html and '<html lang="en-GB">' in english[2]


def test_dates_in_a_welsh_email_are_welsh(make_session, programme):
    starts = timezone.datetime(timezone.now().year + 2, 1, 18, 13, 0, tzinfo=programme.tz)
    day = timezone.localtime(starts, programme.tz)
    weekday = ["Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn", "Dydd Sul"][
        day.weekday()
    ]
    session = make_session(starts_at=starts, ends_at=starts + timedelta(hours=2))
    booking = bookings_testing.book(session, "alex.smith@coventry.gov.uk")
    email = Email(kind=EmailKind.REMINDER, to=booking.email)

    subject, text, _html, _invite = _rendered(email, booking, "cy")

    assert f"{weekday} 18 Ionawr {day.year}, 13:00 tan 15:00" in subject
    assert f"{weekday} 18 Ionawr {day.year}" in text and "January" not in text


def test_an_english_booking_gets_english(session):
    booking = bookings_testing.book(session, "alex.smith@coventry.gov.uk")

    assert booking.language == "en-gb"
    subject, *_ = _rendered(Email(kind=EmailKind.CONFIRMATION, to=booking.email), booking, booking.language)
    assert subject == "Booking confirmed: Self-Initiated Terrorism"

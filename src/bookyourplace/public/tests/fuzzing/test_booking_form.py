"""The booking form answers any post clearly: random and hostile fields, raw bytes, too much
data, duplicated and stray fields, the wrong content type, uploads; what passes is shown and
sent safely."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data
from bookyourplace.public.tests.fuzzing.hostile_input import (
    BAD_REQUEST,
    FIELDS,
    FORM_ERROR,
    FUZZ,
    HOSTILE,
    IMG,
    RAW_BODIES,
    SCALE,
    SCRIPT,
    assert_bystander_untouched,
    assert_clear_answer_to_booking,
    assert_our_page,
    book_path,
    booking_posts,
    encoded,
    short_id,
)

pytestmark = pytest.mark.django_db


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

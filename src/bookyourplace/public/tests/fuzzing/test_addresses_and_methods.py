"""Every other way in answers clearly: a post without a good CSRF token, the wrong method, any
query string, any manage token or odd address, any body to cancel or accept, any slug or number."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.public.tests.fuzzing.hostile_input import (
    BAD_REQUEST,
    CANNOT_BOOK,
    FORM_EXPIRED,
    FUZZ,
    HOSTILE,
    NOT_FOUND,
    RAW_BODIES,
    SCALE,
    SCRIPT,
    any_text,
    assert_bystander_untouched,
    assert_our_page,
    book_path,
    booking_posts,
    encoded,
    public_get_paths,
    short_id,
)

pytestmark = pytest.mark.django_db


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

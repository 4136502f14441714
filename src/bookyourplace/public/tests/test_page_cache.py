"""The public programme and session pages come from a cache, yet always say what is true now.

A booking, a cancellation or an organiser's change made anywhere (another web process, the
back office, the worker) shows on the very next request: the cache is checked against the
programme's version in the database, which every such change raises.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from bookyourplace.bookings import services, session_changes
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import editing, publishing, sessions
from bookyourplace.programmes.models import Programme
from bookyourplace.public import page_cache

ORGANISER = Actor(label="Organiser")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return text_of(response)


# --- Places left ---------------------------------------------------------------------------------


def test_a_booking_changes_the_programme_page_at_once(client, programme, make_session, attendee_details):
    # Arrange: the page is cached while four places are left
    session = make_session(capacity=4)
    assert "4 places left" in page(client, programme.get_absolute_url())

    # Act: a booking made outside this request (another process, the back office)
    services.book_place(session_id=session.pk, attendee=attendee_details())

    # Assert
    text = page(client, programme.get_absolute_url())
    assert "3 places left" in text
    assert "4 places left" not in text


def test_a_booking_changes_the_session_page_at_once(client, make_session, attendee_details):
    session = make_session(capacity=2)
    assert "2 places left" in page(client, session.get_absolute_url())

    services.book_place(session_id=session.pk, attendee=attendee_details())

    assert "1 place left" in page(client, session.get_absolute_url())


def test_the_last_place_taken_shows_fully_booked_at_once(client, programme, make_session, attendee_details):
    session = make_session(capacity=1)
    assert "1 place left" in page(client, programme.get_absolute_url())

    services.book_place(session_id=session.pk, attendee=attendee_details())

    assert "Fully booked" in page(client, programme.get_absolute_url())
    assert "Fully booked" in page(client, session.get_absolute_url())


def test_a_booking_through_the_form_changes_the_page_the_person_goes_back_to(client, programme, make_session):
    session = make_session(capacity=3)
    assert "3 places left" in page(client, programme.get_absolute_url())

    response = client.post(
        f"/programmes/{programme.slug}/sessions/{session.pk}/book/",
        {
            "first_name": "Alex",
            "last_name": "Smith",
            "email": "alex@coventry.gov.uk",
            "organisation": "Coventry City Council",
            "sector": "schools",
            "job_title": "Teacher",
            "consent": "yes",
        },
    )

    assert response.status_code == 302
    assert "2 places left" in page(client, programme.get_absolute_url())


def test_a_cancellation_frees_the_place_on_the_page_at_once(client, programme, make_session, attendee_details):
    session = make_session(capacity=1)
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())
    assert "Fully booked" in page(client, programme.get_absolute_url())

    services.cancel_booking(booking_id=booking.pk)

    text = page(client, programme.get_absolute_url())
    assert "Fully booked" not in text
    assert "1 place left" in text


def test_a_rejection_that_frees_a_place_shows_at_once(client, programme, make_session, attendee_details):
    from bookyourplace.bookings import approvals

    session = make_session(capacity=1, approval_mode="approval")
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())
    assert "Fully booked" in page(client, session.get_absolute_url())

    approvals.reject_booking(booking_id=booking.pk, reason="Not eligible", actor=ORGANISER)

    assert "1 place left" in page(client, session.get_absolute_url())


# --- Organisers' changes -------------------------------------------------------------------------


def test_more_places_show_at_once(client, programme, make_session):
    session = make_session(capacity=2)
    assert "2 places left" in page(client, programme.get_absolute_url())

    session_changes.change_session(session_id=session.pk, capacity=3, actor=ORGANISER)

    assert "3 places left" in page(client, programme.get_absolute_url())


def test_a_cancelled_session_shows_cancelled_at_once(client, programme, make_session):
    session = make_session()
    assert "Cancelled" not in page(client, programme.get_absolute_url())

    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER)

    assert "Cancelled" in page(client, programme.get_absolute_url())
    assert "Cancelled" in page(client, session.get_absolute_url())


def test_a_new_title_and_a_new_session_show_at_once(client, programme, make_session):
    make_session(title="First briefing")
    assert "First briefing" in page(client, programme.get_absolute_url())

    editing.change_programme(programme=programme, title="Prevent Week 2027", summary="", actor=ORGANISER)
    make_session(title="Second briefing")

    text = page(client, programme.get_absolute_url())
    assert "Prevent Week 2027" in text
    assert "Second briefing" in text


def test_an_unpublished_programme_disappears_at_once(client, programme, session):
    page(client, programme.get_absolute_url())
    page(client, session.get_absolute_url())

    publishing.set_programme_status(programme=programme, status=Programme.Status.DRAFT, actor=ORGANISER)

    assert client.get(programme.get_absolute_url()).status_code == 404
    assert client.get(session.get_absolute_url()).status_code == 404


def test_a_session_added_by_an_organiser_shows_at_once(client, programme, make_session):
    first = make_session(title="First briefing")
    assert "Workshop to Raise Awareness" not in page(client, programme.get_absolute_url())

    sessions.create_session(
        programme=programme,
        actor=ORGANISER,
        title="Workshop to Raise Awareness",
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        capacity=20,
        joining_url="https://teams.microsoft.com/l/meetup-join/another",
    )

    assert "Workshop to Raise Awareness" in page(client, programme.get_absolute_url())


def test_new_booking_rules_make_the_pages_render_afresh(client, programme, session):
    page(client, programme.get_absolute_url())
    version = Programme.objects.get(pk=programme.pk).page_version

    editing.change_programme_rules(programme=programme, approval_mode="approval", actor=ORGANISER)

    assert Programme.objects.get(pk=programme.pk).page_version > version


def test_a_programme_saved_with_an_old_copy_does_not_bring_back_an_old_page(
    client, programme, make_session, attendee_details
):
    # Arrange: a copy of the programme read before a booking raised its version
    session = make_session(capacity=4)
    stale_copy = Programme.objects.get(pk=programme.pk)
    assert "4 places left" in page(client, programme.get_absolute_url())
    services.book_place(session_id=session.pk, attendee=attendee_details())
    assert "3 places left" in page(client, programme.get_absolute_url())

    # Act: saving the old copy must not write its old version back
    editing.change_programme(programme=stale_copy, title=stale_copy.title, summary="Updated", actor=ORGANISER)

    # Assert
    text = page(client, programme.get_absolute_url())
    assert "3 places left" in text
    assert "Updated" in text


# --- What the cache does and keeps -----------------------------------------------------------------


def test_a_page_that_has_not_changed_costs_one_query(client, programme, session, django_assert_num_queries):
    page(client, programme.get_absolute_url())
    page(client, session.get_absolute_url())

    with django_assert_num_queries(1):
        page(client, programme.get_absolute_url())
    with django_assert_num_queries(1):
        page(client, session.get_absolute_url())


def test_a_cached_page_is_served_whole_with_the_headers_of_the_first(client, programme, session):
    first = client.get(programme.get_absolute_url())
    second = client.get(programme.get_absolute_url())

    assert second.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "X-Content-Type-Options"):
        assert second[header] == first[header]
    assert not second.cookies


def test_the_inline_script_is_allowed_by_its_hash_not_a_nonce(client, programme):
    import base64
    import hashlib

    response = client.get(programme.get_absolute_url())
    (script,) = re.findall(r"<script>(.*?)</script>", response.content.decode())
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()

    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    assert "nonce" not in response["Content-Security-Policy"]


def test_tracking_parameters_in_a_link_get_the_same_up_to_date_page(
    client, programme, make_session, attendee_details, django_assert_num_queries
):
    session = make_session(capacity=3)
    url = programme.get_absolute_url()
    assert "3 places left" in page(client, url + "?utm_source=email&utm_campaign=prevent-week")
    with django_assert_num_queries(1):
        assert "3 places left" in page(client, url + "?utm_source=newsletter")

    services.book_place(session_id=session.pk, attendee=attendee_details())

    assert "2 places left" in page(client, url + "?utm_source=email&utm_campaign=prevent-week")


def test_after_every_booking_the_cached_pages_equal_freshly_rendered_ones(
    client, programme, make_session, attendee_details, settings
):
    # Bookings that change nothing shown leave the cached copies in place; this walks a
    # session from empty to full and onto its waiting list and checks the cached pages
    # against pages rendered with an empty cache after every step.
    settings.BYP_FEW_PLACES_LEFT = 3
    session = make_session(capacity=6)
    urls = [programme.get_absolute_url(), session.get_absolute_url()]
    seen = set()
    for n in range(8):
        cached = [page(client, url) for url in urls]
        cache.clear()
        fresh = [page(client, url) for url in urls]
        assert cached == fresh, f"after {n} bookings"
        seen.add(fresh[1])
        services.book_place(
            session_id=session.pk, attendee=attendee_details(f"person{n}@coventry.gov.uk"), join_waiting_list=True
        )
    assert len(seen) >= 4  # "Book your place", 3, 2 and 1 places left, "Fully booked"


def test_the_joining_link_is_not_in_a_cached_page(client, programme, session, attendee_details):
    services.book_place(session_id=session.pk, attendee=attendee_details())
    for _ in range(2):
        assert session.joining_url not in client.get(programme.get_absolute_url()).content.decode()
        assert session.joining_url not in client.get(session.get_absolute_url()).content.decode()


def test_a_page_lives_only_until_the_next_booking_opens_or_closes(make_session):
    now = timezone.now()

    assert page_cache.lifetime([now + timedelta(seconds=90), None, now - timedelta(hours=1)], now) == 90
    assert page_cache.lifetime([now + timedelta(days=30)], now) == 600
    assert page_cache.lifetime([now + timedelta(milliseconds=500)], now) == 0


def test_booking_closing_by_the_clock_shows_without_any_change(client, programme, make_session, time_machine):
    # Arrange: the page is cached a few seconds before booking closes
    closes = timezone.now() + timedelta(seconds=3)
    session = make_session(booking_closes_at=closes)
    assert "Booking closed" not in page(client, programme.get_absolute_url())
    assert "Booking closed" not in page(client, session.get_absolute_url())

    # Act: the moment passes (the clock is moved, for the cache's expiry too); nothing in the
    # database changes
    time_machine.move_to(closes + timedelta(seconds=0.1))

    # Assert
    assert "Booking closed" in page(client, programme.get_absolute_url())
    assert "Booking closed" in page(client, session.get_absolute_url())


def test_a_cache_that_cannot_be_reached_costs_speed_not_the_page(client, programme, make_session, monkeypatch):
    class Unreachable:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache server down")

        set = get

    make_session(capacity=3)
    monkeypatch.setattr(page_cache, "cache", Unreachable())

    for _ in range(2):
        assert "3 places left" in page(client, programme.get_absolute_url())


def test_a_refusal_in_a_rush_reads_the_version_once_and_looks_only_for_the_address(
    client, programme, make_session, attendee_details, django_assert_num_queries
):
    # Most people in a rush on the last places are refused: each such post reads the
    # session's version once (its row and its "fully booked" page then come from the cache)
    # and looks for the address typed among the bookings (someone already booked is sent
    # their link again); nothing queues for the session's lock.
    from bookyourplace.core.testing import booking_form_data

    session = make_session(capacity=1)
    services.book_place(session_id=session.pk, attendee=attendee_details("first@coventry.gov.uk"))
    url = f"/programmes/{programme.slug}/sessions/{session.pk}/book/"
    first = client.post(url, booking_form_data(email="second@coventry.gov.uk"))
    assert first.status_code == 409

    with django_assert_num_queries(2) as queries:
        again = client.post(url, booking_form_data(email="third@coventry.gov.uk"))

    assert again.status_code == 409
    assert "fully booked" in text_of(again).lower()
    assert "FOR UPDATE" not in " ".join(q["sql"] for q in queries.captured_queries)

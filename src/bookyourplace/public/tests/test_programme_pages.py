"""The programme and session pages: sessions by day with their state, only what is public."""

import re
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from bookyourplace.bookings import services
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.public.tests.pages import SECRET_LINK, book_url

# --- Programme and session pages ------------------------------------------------------------


def test_programme_page_groups_sessions_under_their_day(client, programme, make_session):
    monday = timezone.datetime(2027, 1, 18, 13, 0, tzinfo=programme.tz)
    make_session(title="School Massacre Phenomenon", subtitle="High-School Violence", starts_at=monday)
    make_session(
        title="From Investigation to Conviction",
        starts_at=monday + timedelta(days=3, hours=-1, minutes=-15),
        delivery=Session.Delivery.IN_PERSON,
        venue="Friargate",
        room="Room 1.4",
        platform="",
        joining_url="",
    )

    page = text_of(client.get(programme.get_absolute_url()))

    assert "Monday 18 January 2027 School Massacre Phenomenon High-School Violence Time: 13:00 to 15:00" in page
    assert "Delivery: Online: Microsoft Teams" in page
    assert "Thursday 21 January 2027 From Investigation to Conviction Time: 11:45 to 13:45" in page
    assert "Delivery: In person: Room 1.4, Friargate" in page


def test_programme_page_shows_each_sessions_state(client, programme, make_session, attendee_details):
    make_session(title="Open session", capacity=50)
    few = make_session(title="Nearly full session", capacity=4)
    full = make_session(title="Full session", capacity=1)
    make_session(title="Past session", starts_at=timezone.now() - timedelta(days=2))
    make_session(title="Cancelled session", status=Session.Status.CANCELLED)
    services.book_place(session_id=few.pk, attendee=attendee_details("a@example.org"))
    services.book_place(session_id=full.pk, attendee=attendee_details("a@example.org"))

    page = text_of(client.get(programme.get_absolute_url()))

    assert re.search(r"Open session .*? Book your place : Open session", page)
    assert re.search(r"Nearly full session .*? 3 places left", page)
    assert re.search(r"Full session .*? Fully booked", page)
    assert re.search(r"Past session .*? Booking closed", page)
    assert re.search(r"Cancelled session .*? Cancelled", page)
    assert page.count("Book your place") == 2  # only the open and nearly full sessions


def test_programme_page_costs_the_same_queries_for_one_session_or_many(
    client, programme, make_session, django_assert_num_queries, attendee_details
):
    session = make_session()
    services.book_place(session_id=session.pk, attendee=attendee_details())
    client.get(programme.get_absolute_url())  # warm the session/auth machinery
    cache.clear()  # measure rendering, not the page cache (test_page_cache.py)
    with django_assert_num_queries(3) as one:  # the page's version, the programme, its sessions
        client.get(programme.get_absolute_url())
    for n in range(4):
        extra = make_session(title=f"Extra {n}")
        services.book_place(session_id=extra.pk, attendee=attendee_details(f"p{n}@example.org"))

    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(programme.get_absolute_url())


def test_draft_programme_is_not_public(client, programme, session):
    Programme.objects.update(status=Programme.Status.DRAFT)

    assert client.get(programme.get_absolute_url()).status_code == 404
    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(book_url(session)).status_code == 404


def test_joining_link_never_appears_on_public_pages(client, programme, session, attendee_details):
    services.book_place(session_id=session.pk, attendee=attendee_details())
    pages = [
        client.get("/"),
        client.get(programme.get_absolute_url()),
        client.get(session.get_absolute_url()),
        client.get(book_url(session)),
        client.post(book_url(session), booking_form_data(email="")),
        client.post(book_url(session), booking_form_data(), follow=True),
        client.post(book_url(session), booking_form_data(), follow=True),  # already booked
    ]

    for page in pages:
        assert SECRET_LINK not in page.content.decode()
        assert "secret-joining-link" not in page.content.decode()


def test_session_page_shows_every_public_detail(client, make_session):
    session = make_session(
        title="Order of Nine Angles (O9A)",
        subtitle="Occultist Extremism and Prevent",
        description="<p>This briefing provides an overview of the <b>Order of Nine Angles</b>.</p>",
    )

    page = text_of(client.get(session.get_absolute_url()))

    assert "Order of Nine Angles (O9A) Occultist Extremism and Prevent" in page
    assert "This briefing provides an overview of the Order of Nine Angles ." in page
    assert "Delivery Online: Microsoft Teams" in page
    assert "We send the joining link to confirmed attendees by email" in page


def test_session_description_is_stored_sanitised(make_session):
    session = make_session(description='<p onclick="steal()">Hi<script>alert(1)</script> <b>there</b></p>')

    assert Session.objects.get(pk=session.pk).description == "<p>Hi <b>there</b></p>"

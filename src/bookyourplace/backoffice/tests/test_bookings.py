"""Organisers find and read the bookings of a session.

Cancelling, adding and re-sending for someone are in test_bookings_on_someones_behalf.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookyourplace.accounts.testing import staff
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import text_of
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Organiser, Programme


def references_in(response) -> list[str]:
    """The booking references listed in the table, top to bottom."""
    return re.findall(r'href="/backoffice/bookings/\d+/">(BYP-\w+)</a>', response.content.decode())


@pytest.fixture
def other_booking(make_session, book):
    """A booking on another organiser's programme, which nobody here may see."""
    warwick = Organiser.objects.create(
        name="Warwickshire Prevent", slug="warwickshire", contact_email="prevent@warwickshire.example"
    )
    theirs = Programme.objects.create(
        organiser=warwick, title="Warwickshire Week", slug="warwickshire-week", status=Programme.Status.PUBLISHED
    )
    return book(make_session(programme=theirs), "kim@warwickshire.example", first_name="Kim", last_name="Secret")


def bookings_url(session, **query):
    url = reverse("backoffice:session_bookings", args=[session.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


# --- The list ------------------------------------------------------------------------------


def test_bookings_list_shows_each_booking_of_the_session(client, coordinator, session, make_session, book):
    alex = book(
        session, "alex.smith@coventry.gov.uk", organisation="Coventry City Council", sector="childrens_services"
    )
    book(make_session(title="Another session"), "elsewhere@example.org", first_name="Elsewhere")

    response = client.get(bookings_url(session))

    page = text_of(response)
    assert references_in(response) == [alex.reference]
    assert (
        f"{alex.reference} Alex Smith alex.smith@coventry.gov.uk Coventry City Council Local authority children's services Confirmed"
        in page
    )
    assert "Elsewhere" not in page
    assert "1 booking" in page


def test_search_finds_name_email_organisation_or_reference_in_any_case(client, coordinator, session, book):
    alex = book(
        session,
        "alex.smith@coventry.gov.uk",
        first_name="Alex",
        last_name="Smith",
        organisation="Coventry City Council",
    )
    sam = book(session, "sam.patel@nhs.net", first_name="Sam", last_name="Patel", organisation="University Hospitals")

    assert references_in(client.get(bookings_url(session, q="ALEX+smith"))) == [alex.reference]
    assert references_in(client.get(bookings_url(session, q="NHS.NET"))) == [sam.reference]
    assert references_in(client.get(bookings_url(session, q="hospitals"))) == [sam.reference]
    assert references_in(client.get(bookings_url(session, q=sam.reference.lower()))) == [sam.reference]
    nothing = client.get(bookings_url(session, q="nobody"))
    assert references_in(nothing) == []
    assert "No bookings match your search" in text_of(nothing)


def test_filters_narrow_the_list_by_status_and_sector(client, coordinator, session, book):
    nurse = book(session, "nurse@nhs.net", sector="health")
    teacher = book(session, "teacher@school.example", sector="schools")
    gone = book(session, "gone@nhs.net", sector="health")
    bookings.cancel_booking(booking_id=gone.pk)

    assert references_in(client.get(bookings_url(session, status="cancelled"))) == [gone.reference]
    assert references_in(client.get(bookings_url(session, sector="health"))) == [nurse.reference, gone.reference]
    assert references_in(client.get(bookings_url(session, sector="health", status="confirmed"))) == [nurse.reference]
    assert references_in(client.get(bookings_url(session, sector="schools"))) == [teacher.reference]
    hand_edited = client.get(bookings_url(session, status="lost", sector="health"))
    assert references_in(hand_edited) == [nurse.reference, gone.reference]
    assert "There is a problem" not in text_of(hand_edited)


def test_clicking_a_column_heading_sorts_by_it_and_clicking_again_reverses(client, coordinator, session, book):
    smith = book(session, "smith@example.org", first_name="Alex", last_name="Smith", organisation="Zeta Academy")
    adams = book(session, "adams@example.org", first_name="Ben", last_name="adams", organisation="Beta School")
    brown = book(session, "brown@example.org", first_name="Cara", last_name="Brown", organisation="Alpha Trust")

    by_name = client.get(bookings_url(session, sort="name"))
    assert references_in(by_name) == [adams.reference, brown.reference, smith.reference]
    assert re.search(
        r'<th scope="col" class="govuk-table__header" aria-sort="ascending"><a [^>]*href="\?sort=-name"',
        by_name.content.decode(),
    )

    by_name_reversed = client.get(bookings_url(session, sort="-name"))
    assert references_in(by_name_reversed) == [smith.reference, brown.reference, adams.reference]
    assert 'aria-sort="descending"' in by_name_reversed.content.decode()

    assert references_in(client.get(bookings_url(session, sort="organisation"))) == [
        brown.reference,
        adams.reference,
        smith.reference,
    ]
    assert references_in(client.get(bookings_url(session, sort="-booked_at"))) == [
        brown.reference,
        adams.reference,
        smith.reference,
    ]
    unknown = client.get(bookings_url(session, sort="password"))
    assert references_in(unknown) == [smith.reference, adams.reference, brown.reference]  # when booked


def test_sorting_by_status_puts_cancelled_first(client, coordinator, session, book):
    kept = book(session, "kept@example.org")
    gone = book(session, "gone@example.org")
    bookings.cancel_booking(booking_id=gone.pk)

    assert references_in(client.get(bookings_url(session, sort="status"))) == [gone.reference, kept.reference]


def test_long_lists_come_in_pages_of_fifty_that_keep_the_search_and_sort(client, coordinator, make_session, book):
    session = make_session(capacity=100)
    made = [book(session, f"person{n:02}@nhs.net", last_name=f"Person {n:02}") for n in range(60)]
    book(session, "someone@school.example", last_name="Zed")

    first = client.get(bookings_url(session, q="nhs", sort="name"))
    second = client.get(bookings_url(session, q="nhs", sort="name", page=2))

    assert references_in(first) == [booking.reference for booking in made[:50]]
    assert references_in(second) == [booking.reference for booking in made[50:]]
    html = first.content.decode()
    assert '<nav class="govuk-pagination"' in html
    assert 'href="?q=nhs&amp;sort=name&amp;page=2" rel="next"' in html
    assert 'aria-current="page">1</a>' in html
    assert "60 bookings found" in text_of(first)
    assert 'href="?q=nhs&amp;sort=name&amp;page=1" rel="prev"' in second.content.decode()


def test_the_list_needs_as_many_queries_for_sixty_bookings_as_for_one(
    client, coordinator, make_session, book, django_assert_num_queries
):
    session = make_session(capacity=100)
    book(session, "first@example.org")
    client.get(bookings_url(session))  # the first request of a signed-in browser may do extra work
    with CaptureQueriesContext(connection) as for_one:
        client.get(bookings_url(session))
    for n in range(59):
        book(session, f"person{n}@example.org")

    with django_assert_num_queries(len(for_one)):
        response = client.get(bookings_url(session))

    assert len(references_in(response)) == 50


# --- One booking -----------------------------------------------------------------------------


def test_booking_page_shows_every_detail_and_records_that_it_was_seen(client, coordinator, session, book):
    booking = book(
        session,
        "sam.patel@nhs.net",
        first_name="Sam",
        last_name="Patel",
        access_needs="British Sign Language interpreter",
    )

    response = client.get(reverse("backoffice:booking", args=[booking.pk]))

    page = text_of(response)
    assert response.status_code == 200
    for detail in (booking.reference, "Sam", "Patel", "sam.patel@nhs.net", "Coventry City Council", "Social worker"):
        assert detail in page
    assert "Access needs British Sign Language interpreter" in page
    assert "no-store" in response["Cache-Control"]
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED_BOOKING)
    assert views.count() == 1
    event = views.get()
    assert (event.actor, event.ip_address, event.subject_type, event.subject_id) == (
        coordinator,
        "127.0.0.1",
        "booking",
        str(booking.pk),
    )
    assert booking.reference in event.summary


def test_a_viewer_can_read_bookings_but_not_change_them(client, viewer, session, book):
    booking = book(session, "alex.smith@coventry.gov.uk")

    assert client.get(bookings_url(session)).status_code == 200
    detail = client.get(reverse("backoffice:booking", args=[booking.pk]))
    assert detail.status_code == 200
    assert "Cancel this booking" not in text_of(detail)
    assert "Add a booking" not in text_of(client.get(bookings_url(session)))

    cancel_url = reverse("backoffice:booking_cancel", args=[booking.pk])
    new_url = reverse("backoffice:session_booking_new", args=[session.pk])
    assert client.get(cancel_url).status_code == 403
    assert client.post(cancel_url, {"reason": "Because"}).status_code == 403
    assert client.get(new_url).status_code == 403
    assert client.post(new_url, {}).status_code == 403
    assert client.post(reverse("backoffice:booking_resend", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.is_confirmed
    assert Booking.objects.count() == 1
    assert Email.objects.filter(kind="confirmation").count() == 1


def test_another_organisers_bookings_are_not_found(client, viewer, other_booking):
    session = other_booking.session

    for url in (
        bookings_url(session),
        reverse("backoffice:session_booking_new", args=[session.pk]),
        reverse("backoffice:booking", args=[other_booking.pk]),
        reverse("backoffice:booking_cancel", args=[other_booking.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("backoffice:booking_resend", args=[other_booking.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED_BOOKING).exists()


def test_an_organiser_sees_only_bookings_of_programmes_they_run(client, organiser, programme, make_session, book):
    theirs = Programme.objects.create(
        organiser=organiser, title="Someone else's week", slug="other-week", status="published"
    )
    booking = book(make_session(programme=theirs), "alex@example.org")
    client.force_login(staff(organiser, "organiser", programme))

    assert client.get(reverse("backoffice:booking", args=[booking.pk])).status_code == 404


# --- The session page links here -------------------------------------------------------------


def test_session_page_links_to_its_bookings(client, coordinator, session):
    page = client.get(reverse("backoffice:session", args=[session.pk])).content.decode()

    assert f'href="{bookings_url(session)}">View bookings' in page
    assert f'href="{reverse("backoffice:session_booking_new", args=[session.pk])}">Add a booking' in page


def test_session_page_offers_a_viewer_the_bookings_only_to_read(client, viewer, session):
    page = client.get(reverse("backoffice:session", args=[session.pk])).content.decode()

    assert "View bookings" in page
    assert "Add a booking" not in page

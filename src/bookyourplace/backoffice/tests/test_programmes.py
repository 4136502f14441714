"""An organiser runs a programme week from the back office."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookyourplace.accounts.testing import staff
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import text_of
from bookyourplace.programmes.models import Programme, Session


@pytest.fixture
def coordinator(client, organiser, programme):
    user = staff(organiser, "organiser", programme, last_name="")
    client.force_login(user)
    return user


def session_form(**overrides):
    data = {
        "title": "Self-Initiated Terrorism",
        "date": "2027-01-20",
        "start_time": "13:00",
        "end_time": "14:30",
        "delivery": "online",
        "platform": "Microsoft Teams",
        "joining_url": "https://teams.microsoft.com/l/meetup-join/abc",
        "capacity": "40",
    }
    data.update(overrides)
    return data


def test_dashboard_shows_places_at_a_glance(client, coordinator, make_session, attendee_details):
    session = make_session(title="The COM Network", capacity=10)
    for n in range(3):
        bookings.book_place(session_id=session.pk, attendee=attendee_details(f"p{n}@example.org"))
    bookings.cancel_booking(booking_id=Booking.objects.first().pk)

    page = text_of(client.get(reverse("backoffice:dashboard")))

    assert re.search(
        r"The COM Network .*? 10 2 1 8 0 0 0", page
    )  # places, confirmed, cancelled, left, to approve, offers, waiting


def test_dashboard_costs_the_same_queries_however_many_sessions(
    client, coordinator, make_session, django_assert_num_queries
):
    make_session()
    client.get(reverse("backoffice:dashboard"))
    with CaptureQueriesContext(connection) as one_session:
        client.get(reverse("backoffice:dashboard"))
    for n in range(5):
        make_session(title=f"Extra {n}")

    with django_assert_num_queries(len(one_session.captured_queries)):
        client.get(reverse("backoffice:dashboard"))


def test_creating_a_programme_starts_a_draft_the_creator_can_run(client, coordinator):
    response = client.post(reverse("backoffice:programme_new"), {"title": "Safeguarding Week", "summary": "Five days."})

    programme = Programme.objects.get(title="Safeguarding Week")
    assert response["Location"] == reverse("backoffice:programme", args=[programme.pk])
    assert programme.status == Programme.Status.DRAFT
    assert coordinator.staff.programmes.filter(pk=programme.pk).exists()


def test_adding_a_session_explains_each_problem(client, coordinator, programme):
    response = client.post(
        reverse("backoffice:session_new", args=[programme.pk]),
        session_form(delivery="in_person", venue="", room="", joining_url="", end_time="12:00"),
    )

    summary = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', response.content.decode())
    assert summary == [
        ("id_end_time", "The end time must be after the start time"),
        ("id_venue", "Enter the venue or room for an in-person session"),
    ]
    assert Session.objects.count() == 0


def test_adding_a_session_puts_it_on_the_public_programme(client, coordinator, programme):
    response = client.post(reverse("backoffice:session_new", args=[programme.pk]), session_form())

    session = Session.objects.get()
    assert response["Location"] == reverse("backoffice:session", args=[session.pk])
    assert session.starts_at == dt.datetime(2027, 1, 20, 13, 0, tzinfo=programme.tz)
    assert "Self-Initiated Terrorism" in text_of(client.get(programme.get_absolute_url()))


def test_changing_the_room_emails_every_attendee_the_new_details(
    client, coordinator, make_session, attendee_details, run_worker
):
    session = make_session(delivery="in_person", venue="Friargate", room="Room 1.4", joining_url="", platform="")
    booking = bookings.book_place(session_id=session.pk, attendee=attendee_details())
    tz = session.programme.tz

    response = client.post(
        reverse("backoffice:session_edit", args=[session.pk]),
        session_form(
            title=session.title,
            date=session.starts_at.astimezone(tz).date().isoformat(),
            start_time=session.starts_at.astimezone(tz).strftime("%H:%M"),
            end_time=session.ends_at.astimezone(tz).strftime("%H:%M"),
            delivery="in_person",
            venue="Friargate",
            room="Room 2.1",
            joining_url="",
            capacity="20",
        ),
        follow=True,
    )
    run_worker()

    assert "1 attendee is being emailed the new details with an updated calendar invite" in text_of(response)
    update = mail.outbox[-1]
    assert update.to == [booking.email]
    assert update.subject == f"Session changed: {session.title}"
    assert "In person: Room 2.1, Friargate" in update.body


def test_cancelling_a_session_shows_everywhere(client, coordinator, session, attendee_details, run_worker):
    booking = bookings.book_place(session_id=session.pk, attendee=attendee_details())

    client.post(reverse("backoffice:session_cancel", args=[session.pk]), {"reason": "Speaker unwell"})
    run_worker()

    assert re.search(rf"{session.title} .*? Cancelled", text_of(client.get(session.programme.get_absolute_url())))
    manage = text_of(client.get(reverse("public:manage", args=[manage_token(booking)])))
    assert "This session has been cancelled by the organiser." in manage
    assert mail.outbox[-1].subject == f"Session cancelled: {session.title}"


def test_publishing_is_refused_until_online_sessions_have_links(client, coordinator, programme, make_session):
    Programme.objects.update(status=Programme.Status.DRAFT)
    make_session(title="No link yet", joining_url="")

    response = client.post(reverse("backoffice:programme_publish", args=[programme.pk]), follow=True)

    assert "Add a joining link to the online session 'No link yet' before publishing." in text_of(response)
    assert Programme.objects.get().status == Programme.Status.DRAFT


def test_unpublishing_hides_the_programme(client, coordinator, programme, session):
    client.post(reverse("backoffice:programme_unpublish", args=[programme.pk]))

    assert client.get(programme.get_absolute_url()).status_code == 404


def test_copying_a_programme_keeps_weekdays_and_leaves_bookings_behind(
    client, coordinator, programme, make_session, attendee_details
):
    tz = programme.tz
    monday = make_session(title="Monday", starts_at=dt.datetime(2026, 12, 7, 13, 0, tzinfo=tz))
    make_session(title="Thursday", starts_at=dt.datetime(2026, 12, 10, 11, 45, tzinfo=tz))
    bookings.book_place(session_id=monday.pk, attendee=attendee_details())

    response = client.post(
        reverse("backoffice:programme_copy", args=[programme.pk]),
        {"title": "Coventry Prevent Week 2027", "first_day": "2027-12-06"},
    )

    copy = Programme.objects.get(title="Coventry Prevent Week 2027")
    assert response["Location"] == reverse("backoffice:programme", args=[copy.pk])
    assert copy.status == Programme.Status.DRAFT
    local = [
        (s.title, s.starts_at.astimezone(tz).strftime("%A %d %B %Y %H:%M")) for s in copy.sessions.order_by("starts_at")
    ]
    assert local == [("Monday", "Monday 06 December 2027 13:00"), ("Thursday", "Thursday 09 December 2027 11:45")]
    assert Booking.objects.filter(session__programme=copy).count() == 0

"""Manage your booking: the private page a booking's link opens, its calendar invite and
cancelling."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookyourplace.bookings import services
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import text_of
from bookyourplace.programmes.models import Session
from bookyourplace.public.tests.pages import SECRET_LINK, manage_url_for

# --- Manage your booking --------------------------------------------------------------------


@pytest.fixture
def booking(session, attendee_details):
    return services.book_place(
        session_id=session.pk, attendee=attendee_details(first_name="<script>alert('x')</script>")
    )


def test_manage_page_shows_the_booking_and_the_joining_link(client, booking):
    response = client.get(manage_url_for(booking))

    html = response.content.decode()
    page = text_of(response)
    assert f"Your booking {booking.reference}" in page
    assert "Confirmed" in page
    assert f'href="{SECRET_LINK}"' in html
    assert "Cameras on, please." in page
    assert "Download the calendar invitation (.ics)" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html


def test_manage_page_is_private(client, booking):
    response = client.get(manage_url_for(booking))

    assert response["Referrer-Policy"] == "same-origin"  # no Referer to any other site
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


@pytest.mark.parametrize("token", ["x" * 32, "short", "a" * 300, "%00%00", "' OR 1=1 --"])
def test_wrong_manage_link_gets_a_plain_not_found_page(client, booking, token):
    response = client.get(f"/booking/{token}/")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert booking.email not in response.content.decode()


def test_calendar_download_is_the_current_invite(client, booking):
    response = client.get(reverse("public:manage_calendar", kwargs={"token": manage_token(booking)}))

    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert response["Content-Disposition"] == f'attachment; filename="{booking.reference}.ics"'
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == booking.session.starts_at


@pytest.mark.parametrize(
    "status, method, event_status",
    [
        (Booking.Status.CONFIRMED, "REQUEST", "CONFIRMED"),
        (Booking.Status.PENDING, "REQUEST", "TENTATIVE"),
        (Booking.Status.WAITING, "REQUEST", "TENTATIVE"),
        (Booking.Status.OFFERED, "REQUEST", "TENTATIVE"),
        (Booking.Status.UNCONFIRMED_EMAIL, "REQUEST", "TENTATIVE"),
        (Booking.Status.REJECTED, "CANCEL", "CANCELLED"),
        (Booking.Status.OFFER_EXPIRED, "CANCEL", "CANCELLED"),
        (Booking.Status.HOLD_EXPIRED, "CANCEL", "CANCELLED"),
        (Booking.Status.CANCELLED, "CANCEL", "CANCELLED"),
    ],
)
def test_calendar_download_says_how_sure_the_place_is(client, booking, status, method, event_status):
    # A calendar must not show a place waiting for approval as a confirmed meeting, nor keep
    # one that was not approved or ran out.
    Booking.objects.filter(pk=booking.pk).update(status=status)

    response = client.get(reverse("public:manage_calendar", kwargs={"token": manage_token(booking)}))

    assert response["Content-Type"] == f"text/calendar; charset=utf-8; method={method}"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == method
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == event_status


def test_cancelling_asks_for_confirmation_first(client, booking):
    response = client.get(reverse("public:cancel", kwargs={"token": manage_token(booking)}))

    assert "Are you sure you want to cancel your booking?" in text_of(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancelling_frees_the_place_and_hides_the_joining_link(client, booking):
    token = manage_token(booking)

    response = client.post(reverse("public:cancel", kwargs={"token": token}), follow=True)

    page = text_of(response)
    assert "Your booking has been cancelled" in page
    assert SECRET_LINK not in response.content.decode()
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    calendar = client.get(reverse("public:manage_calendar", kwargs={"token": token}))
    assert calendar["Content-Type"].endswith("method=CANCEL")
    assert Calendar.from_ical(calendar.content).walk("VEVENT")[0]["SEQUENCE"] == 1


def test_manage_page_after_the_start_says_whom_to_contact(client, booking):
    Session.objects.update(starts_at=timezone.now() - timedelta(minutes=10))

    page = text_of(client.get(manage_url_for(booking)))

    assert "Cancel my booking" not in page
    assert "This booking can no longer be cancelled online. Contact prevent@coventry.example" in page


def test_manage_page_of_a_cancelled_session_says_so_and_hides_the_link(client, booking):
    Session.objects.update(status=Session.Status.CANCELLED)

    response = client.get(manage_url_for(booking))

    assert "This session has been cancelled by the organiser." in text_of(response)
    assert SECRET_LINK not in response.content.decode()

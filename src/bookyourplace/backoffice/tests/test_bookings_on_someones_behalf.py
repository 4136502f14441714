"""Organisers look after a booking for the person who made it: they cancel it with a reason,
book someone who phoned, and send the confirmation again."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookyourplace.backoffice.tests.test_bookings import references_in
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import places_taken
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent

# --- Cancelling for someone ------------------------------------------------------------------


def test_cancelling_for_someone_needs_a_reason(client, coordinator, session, book):
    booking = book(session, "alex.smith@coventry.gov.uk")
    url = reverse("backoffice:booking_cancel", args=[booking.pk])

    assert "Reason" in text_of(client.get(url))
    response = client.post(url, {"reason": "  "})

    assert "There is a problem Enter the reason for cancelling" in text_of(response)
    booking.refresh_from_db()
    assert booking.is_confirmed


def test_cancelling_for_someone_frees_the_place_and_emails_them_the_reason(
    client, coordinator, make_session, book, run_worker
):
    session = make_session(capacity=1)
    booking = book(session, "alex.smith@coventry.gov.uk")
    run_worker()
    mail.outbox.clear()

    response = client.post(
        reverse("backoffice:booking_cancel", args=[booking.pk]),
        {"reason": "The session is for health staff only."},
        follow=True,
    )

    assert f"Booking {booking.reference} cancelled" in text_of(response)
    booking.refresh_from_db()
    assert booking.is_cancelled
    assert booking.cancellation_reason == "The session is for health staff only."
    assert places_taken(session) == 0
    run_worker()
    assert [message.to for message in mail.outbox] == [["alex.smith@coventry.gov.uk"]]
    assert "The session is for health staff only." in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CANCELLED_BOOKING, actor=coordinator).count() == 1


# --- Booking someone who phoned --------------------------------------------------------------


def phoned(**overrides):
    """The booking form as an organiser fills it in for someone who phoned, who has access needs."""
    return booking_form_data(**{"access_needs": "Step-free access", **overrides})


def test_adding_a_booking_for_someone_who_phoned_books_and_emails_them(client, coordinator, session):
    url = reverse("backoffice:session_booking_new", args=[session.pk])
    assert "I have told them about the privacy notice" in text_of(client.get(url))

    response = client.post(url, phoned(), follow=True)

    booking = Booking.objects.get()
    assert (booking.full_name, booking.email, booking.access_needs) == (
        "Sam Patel",
        "sam.patel@nhs.net",
        "Step-free access",
    )
    assert f"Booked {booking.reference} for Sam Patel" in text_of(response)
    assert references_in(response) == [booking.reference]
    assert list(Email.objects.values_list("kind", "to")) == [("confirmation", "sam.patel@nhs.net")]
    assert AuditEvent.objects.get(action=AuditEvent.Action.BOOKED).actor == coordinator


def test_adding_a_booking_checks_the_form_like_the_public_page(client, coordinator, session):
    response = client.post(
        reverse("backoffice:session_booking_new", args=[session.pk]), phoned(email="not-an-email", consent="")
    )

    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter an email address in the correct format" in page
    assert "Confirm that you have told them about the privacy notice" in page
    assert not Booking.objects.exists()


def test_adding_a_booking_refuses_a_line_break_in_a_name_and_hides_the_honeypot(client, coordinator, session):
    url = reverse("backoffice:session_booking_new", args=[session.pk])
    assert 'class="byp-honeypot" aria-hidden="true"' in client.get(url).content.decode()

    response = client.post(url, phoned(last_name="Patel\nBcc: everyone@example.org"))

    assert "There is a problem Last name must not contain line breaks or special characters" in text_of(response)
    assert not Booking.objects.exists()


def test_adding_a_booking_to_a_full_session_says_it_is_fully_booked(client, coordinator, make_session, book):
    session = make_session(capacity=1)
    book(session, "first@example.org")

    response = client.post(reverse("backoffice:session_booking_new", args=[session.pk]), phoned())

    assert "There is a problem Sorry, this session is fully booked." in text_of(response)
    assert not Booking.objects.filter(email="sam.patel@nhs.net").exists()


def test_adding_a_booking_for_someone_already_booked_makes_no_second_booking(client, coordinator, session, book):
    book(session, "sam.patel@nhs.net")

    response = client.post(
        reverse("backoffice:session_booking_new", args=[session.pk]), phoned(email="Sam.Patel@NHS.net")
    )

    assert "This email address already has a place on this session" in text_of(response)
    assert Booking.objects.filter(email="sam.patel@nhs.net").count() == 1


def test_adding_a_booking_after_booking_closed_is_refused(client, coordinator, make_session):
    session = make_session(booking_closes_at=timezone.now() - timedelta(hours=1))

    response = client.post(reverse("backoffice:session_booking_new", args=[session.pk]), phoned())

    assert "Sorry, booking for this session has closed." in text_of(response)
    assert not Booking.objects.exists()


# --- Re-sending the confirmation -------------------------------------------------------------


def test_resending_the_confirmation_queues_it_again(client, coordinator, session, book):
    booking = book(session, "alex.smith@coventry.gov.uk")

    response = client.post(reverse("backoffice:booking_resend", args=[booking.pk]), follow=True)

    assert "Confirmation re-sent to alex.smith@coventry.gov.uk" in text_of(response)
    assert Email.objects.filter(kind="confirmation", to="alex.smith@coventry.gov.uk").count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESENT_CONFIRMATION, actor=coordinator).count() == 1


def test_resending_needs_a_post(client, coordinator, session, book):
    booking = book(session, "alex.smith@coventry.gov.uk")

    assert client.get(reverse("backoffice:booking_resend", args=[booking.pk])).status_code == 405
    assert Email.objects.filter(kind="confirmation").count() == 1


def test_a_cancelled_booking_has_no_confirmation_to_resend(client, coordinator, session, book):
    booking = book(session, "alex.smith@coventry.gov.uk")
    bookings.cancel_booking(booking_id=booking.pk)

    response = client.post(reverse("backoffice:booking_resend", args=[booking.pk]), follow=True)

    assert "Only a confirmed booking has a confirmation to re-send." in text_of(response)
    assert Email.objects.filter(kind="confirmation").count() == 1

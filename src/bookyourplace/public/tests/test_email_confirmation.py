"""Confirm your email address first (issue 10, point 5): a place held until the emailed link
is used, released if it is not, and the line manager told only once it is confirmed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings import email_confirmation, periodic, reminders, services
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import places_taken
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import ApprovalMode, EmailConfirmation, Programme

SECRET_LINK = "https://teams.microsoft.com/l/meetup-join/secret-joining-link"


def book_url(session):
    return reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})


def manage_url_for(booking):
    return reverse("public:manage", kwargs={"token": manage_token(booking)})


def confirm_url_for(booking):
    return reverse("public:confirm_email", kwargs={"token": manage_token(booking)})


def status_of(booking) -> str:
    booking.refresh_from_db()
    return booking.status


@pytest.fixture
def trusted_programme(programme):
    programme.approval_mode = ApprovalMode.TRUSTED_DOMAINS
    programme.trusted_domains = "nhs.net"
    programme.save()
    return programme


@pytest.fixture
def confirm_always(programme):
    programme.email_confirmation = EmailConfirmation.ALWAYS
    programme.save()
    return programme


def test_trusted_domains_hold_the_place_until_the_email_address_is_confirmed(
    client, trusted_programme, make_session, run_worker
):
    session = make_session()

    response = client.post(book_url(session), booking_form_data(line_manager_email="boss@nhs.net"), follow=True)

    booking = Booking.objects.get()
    assert booking.status == Booking.Status.UNCONFIRMED_EMAIL
    assert timedelta(minutes=29) < booking.hold_expires_at - timezone.now() <= timedelta(minutes=30)
    assert "open the link in the email within 30 minutes" in text_of(response)
    run_worker()
    # Only the person is emailed, asked to confirm; not yet the line manager, nor the joining link.
    [asked] = mail.outbox
    assert asked.to == ["sam.patel@nhs.net"]
    assert asked.subject == f"Confirm your email address to keep your place: {session.title}"
    assert manage_token(booking) in asked.body and booking.reference in asked.body
    assert SECRET_LINK not in asked.body
    assert places_taken(session) == 1  # the place is held meanwhile


def test_opening_the_emailed_link_confirms_nothing_until_the_button_is_pressed(
    client, trusted_programme, make_session, run_worker
):
    session = make_session()
    client.post(book_url(session), booking_form_data(line_manager_email="boss@nhs.net"))
    booking = Booking.objects.get()
    run_worker()
    mail.outbox.clear()

    # A mail scanner (Safe Links) opens the link, and tries the confirm address with a GET.
    page = client.get(manage_url_for(booking))
    scanner = client.get(confirm_url_for(booking))

    assert "Confirm your email address" in text_of(page) and "Confirm my place" in text_of(page)
    assert SECRET_LINK not in page.content.decode()
    assert scanner.status_code == 405
    assert status_of(booking) == Booking.Status.UNCONFIRMED_EMAIL
    run_worker()
    assert mail.outbox == []

    # The person presses "Confirm my place".
    confirmed = client.post(confirm_url_for(booking), follow=True)

    assert status_of(booking) == Booking.Status.CONFIRMED
    assert "Your place is confirmed" in text_of(confirmed)
    assert SECRET_LINK in confirmed.content.decode()
    run_worker()
    # Now, and only now, the confirmation and the line manager's copy (issue 10, point 4).
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("boss@nhs.net", f"Sam Patel has booked: {session.title}"),
        ("sam.patel@nhs.net", f"Booking confirmed: {session.title}"),
    ]
    assert AuditEvent.objects.filter(summary__startswith=f"Email address confirmed: {booking.reference}").exists()


def test_confirming_an_address_outside_the_trusted_domains_leaves_it_pending_and_tells_no_manager(
    client, trusted_programme, make_session, run_worker
):
    session = make_session()
    client.post(book_url(session), booking_form_data(email="sam@gmail.com", line_manager_email="boss@nhs.net"))
    booking = Booking.objects.get()

    client.post(confirm_url_for(booking))

    assert status_of(booking) == Booking.Status.PENDING
    run_worker()
    assert [(m.to[0], m.subject) for m in mail.outbox][-1] == (
        "sam@gmail.com",
        f"Booking received, waiting for approval: {session.title}",
    )
    assert not any(m.to == ["boss@nhs.net"] for m in mail.outbox)


def test_a_hold_not_confirmed_in_time_is_released_to_the_next_person_waiting(
    client, confirm_always, make_session, attendee_details, run_worker
):
    session = make_session(capacity=1)
    client.post(book_url(session), booking_form_data(email="invented@nhs.net"))
    held = Booking.objects.get()
    # The session is full meanwhile: the next person joins the waiting list (no extra step:
    # an offer is accepted only through its emailed link, which proves the address).
    waiting = services.book_place(
        session_id=session.pk, attendee=attendee_details("next@example.org"), join_waiting_list=True
    )
    assert waiting.status == Booking.Status.WAITING
    version = Programme.objects.get().page_version

    result = periodic.run_once(now=held.hold_expires_at + timedelta(seconds=1))

    assert result["holds_released"] == 1
    assert status_of(held) == Booking.Status.HOLD_EXPIRED
    assert status_of(waiting) == Booking.Status.OFFERED
    assert Programme.objects.get().page_version > version
    assert (
        AuditEvent.objects.filter(summary__contains=f"{held.reference}")
        .filter(summary__contains="not confirmed in time")
        .exists()
    )
    # Too late to confirm now; the page says so and nothing changes.
    response = client.post(confirm_url_for(held), follow=True)
    assert "The time to confirm your email address has run out" in text_of(response)
    assert status_of(held) == Booking.Status.HOLD_EXPIRED
    assert "Email not confirmed in time" in text_of(client.get(manage_url_for(held)))
    run_worker()
    assert not any("invented@nhs.net" in m.to for m in mail.outbox if "Booking confirmed" in m.subject)


def test_a_hold_cannot_be_confirmed_after_it_runs_out_even_before_it_is_released(
    confirm_always, make_session, attendee_details
):
    session = make_session()
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())

    with pytest.raises(services.BookingError):
        email_confirmation.confirm_email(booking_id=booking.pk, now=booking.hold_expires_at)

    assert status_of(booking) == Booking.Status.UNCONFIRMED_EMAIL


def test_an_unconfirmed_hold_gets_no_reminder(confirm_always, make_session, attendee_details):
    session = make_session(starts_at=timezone.now() + timedelta(hours=12))
    held = services.book_place(session_id=session.pk, attendee=attendee_details("held@example.org"))
    confirmed = services.book_place(session_id=session.pk, attendee=attendee_details("ok@example.org"))
    email_confirmation.confirm_email(booking_id=confirmed.pk)
    Booking.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now() - timedelta(days=10))

    reminders.send_due_reminders(now=timezone.now())

    assert Email.objects.filter(kind=EmailKind.REMINDER, booking=confirmed).exists()
    assert not Email.objects.filter(kind=EmailKind.REMINDER, booking=held).exists()


def test_never_confirms_at_once_even_with_trusted_domains(trusted_programme, make_session, attendee_details):
    trusted_programme.email_confirmation = EmailConfirmation.NEVER
    trusted_programme.save()
    session = make_session()

    booking = services.book_place(session_id=session.pk, attendee=attendee_details("sam@nhs.net"))

    assert booking.status == Booking.Status.CONFIRMED


def test_an_open_programme_books_at_once_by_default(make_session, attendee_details):
    assert (
        services.book_place(session_id=make_session().pk, attendee=attendee_details()).status
        == Booking.Status.CONFIRMED
    )


def test_a_place_given_straight_from_the_waiting_list_is_held_for_confirmation(
    confirm_always, make_session, attendee_details
):
    session = make_session(capacity=1, confirm_from_waiting_list=True)
    first = services.book_place(
        session_id=session.pk, attendee=attendee_details("first@example.org"), address_proven=True
    )
    waiting = services.book_place(
        session_id=session.pk, attendee=attendee_details("next@example.org"), join_waiting_list=True
    )

    services.cancel_booking(booking_id=first.pk)

    assert status_of(waiting) == Booking.Status.UNCONFIRMED_EMAIL
    assert waiting.hold_expires_at is not None
    assert Email.objects.filter(booking=waiting, kind=EmailKind.EMAIL_CONFIRMATION).exists()


def test_the_check_your_email_page_gives_no_time_limit_without_confirm_first(client, make_session):
    response = client.post(book_url(make_session()), booking_form_data(), follow=True)

    assert "Check your email" in text_of(response)
    assert "within 30 minutes" not in text_of(response)

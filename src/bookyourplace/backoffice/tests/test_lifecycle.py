"""Organisers approve bookings, watch the waiting list and set a programme's booking rules."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from bookyourplace.accounts.testing import staff
from bookyourplace.bookings import email_confirmation
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import text_of
from bookyourplace.programmes.models import ApprovalMode, Programme


@pytest.fixture
def coordinator(client, organiser, programme):
    user = staff(organiser, "organiser", programme, first_name="", last_name="")
    client.force_login(user)
    return user


@pytest.fixture
def trusted_only(programme):
    Programme.objects.filter(pk=programme.pk).update(
        approval_mode=ApprovalMode.TRUSTED_DOMAINS, trusted_domains="coventry.gov.uk\nnhs.net"
    )


def book_and_confirm_email(session, attendee):
    """Book, and confirm the email address as the person would from the emailed link: with
    trusted domains the place is held until then (issue 10, point 5)."""
    booking = bookings.book_place(session_id=session.pk, attendee=attendee)
    if booking.is_unconfirmed_email:
        booking = email_confirmation.confirm_email(booking_id=booking.pk)
    return booking


def test_a_gmail_booking_waits_while_a_council_booking_is_confirmed(session, trusted_only, attendee_details):
    council = book_and_confirm_email(session, attendee_details("a@coventry.gov.uk"))
    personal = book_and_confirm_email(session, attendee_details("someone@gmail.com"))

    assert (council.status, personal.status) == (Booking.Status.CONFIRMED, Booking.Status.PENDING)


def test_approving_in_bulk_confirms_and_emails_each_person(
    client, coordinator, session, trusted_only, attendee_details, run_worker
):
    people = [book_and_confirm_email(session, attendee_details(f"p{n}@gmail.com")) for n in range(3)]

    response = client.post(
        reverse("backoffice:approvals_decide", args=[session.pk]),
        {"booking": [people[0].pk, people[2].pk], "decision": "approve"},
        follow=True,
    )
    run_worker()

    assert "2 bookings approved." in text_of(response)
    statuses = dict(Booking.objects.values_list("email", "status"))
    assert statuses == {"p0@gmail.com": "confirmed", "p1@gmail.com": "pending", "p2@gmail.com": "confirmed"}
    approved_mail = {m.to[0] for m in mail.outbox if m.subject.startswith("Booking approved")}
    assert approved_mail == {"p0@gmail.com", "p2@gmail.com"}
    assert all("secret-joining-link" in m.body for m in mail.outbox if m.subject.startswith("Booking approved"))


def test_rejecting_needs_a_reason_and_tells_the_person(
    client, coordinator, session, trusted_only, attendee_details, run_worker
):
    person = book_and_confirm_email(session, attendee_details("p@gmail.com"))
    decide = reverse("backoffice:approvals_decide", args=[session.pk])

    without_reason = client.post(decide, {"booking": [person.pk], "decision": "reject"}, follow=True)
    with_reason = client.post(
        decide,
        {"booking": [person.pk], "decision": "reject", "reason": "This briefing is for council staff only."},
        follow=True,
    )
    run_worker()

    assert "Enter the reason for not approving, so people know why" in text_of(without_reason)
    assert "1 booking not approved." in text_of(with_reason)
    assert Booking.objects.get().status == Booking.Status.REJECTED
    rejection = [m for m in mail.outbox if m.subject.startswith("Booking not approved")]
    assert len(rejection) == 1 and "This briefing is for council staff only." in rejection[0].body


def test_approvals_page_lists_pending_bookings_only(client, coordinator, session, trusted_only, attendee_details):
    book_and_confirm_email(session, attendee_details("pending@gmail.com", first_name="Pat"))
    book_and_confirm_email(session, attendee_details("ok@coventry.gov.uk", first_name="Olu"))

    page = text_of(client.get(reverse("backoffice:approvals", args=[session.pk])))

    assert "Pat Smith" in page and "Olu Smith" not in page
    assert "1 booking" in page


def test_waiting_list_page_shows_offers_and_the_queue_in_order(client, coordinator, make_session, attendee_details):
    session = make_session(capacity=1)
    first = book_and_confirm_email(session, attendee_details("first@example.org"))
    for name in ("Ann", "Ben", "Cat"):
        bookings.book_place(
            session_id=session.pk,
            attendee=attendee_details(f"{name.lower()}@example.org", first_name=name),
            join_waiting_list=True,
        )
    bookings.cancel_booking(booking_id=first.pk)

    page = text_of(client.get(reverse("backoffice:waiting_list", args=[session.pk])))

    assert re.search(r"Open offers .*? Ann Smith ann@example.org", page)
    assert re.search(r"Waiting, in order .*? 1 Ben Smith .*? 2 Cat Smith", page)


def test_session_page_counts_the_life_cycle(client, coordinator, make_session, attendee_details):
    session = make_session(capacity=1)
    bookings.book_place(session_id=session.pk, attendee=attendee_details("a@example.org"))
    bookings.book_place(session_id=session.pk, attendee=attendee_details("b@example.org"), join_waiting_list=True)

    page = text_of(client.get(reverse("backoffice:session", args=[session.pk])))

    assert "Waiting for approval 0" in page
    assert "Waiting list 1 See the waiting list" in page
    assert "Places left 0" in page


def test_booking_rules_form_saves_and_validates(client, coordinator, programme):
    url = reverse("backoffice:programme_rules", args=[programme.pk])
    rules = {
        "approval_mode": "trusted_domains",
        "trusted_domains": "",
        "email_confirmation": "always",
        "offer_hold_hours": "12",
        "cancellation_cutoff_hours": "48",
        "reminder_days": "1, 7",
        "joining_reminder_minutes": "30",
        "attendance_threshold_percent": "75",
        "retention_months": "24",
        "access_needs_retention_days": "30",
    }

    refused = client.post(url, rules)
    saved = client.post(url, rules | {"trusted_domains": "coventry.gov.uk\n*.sch.uk"})

    assert "Enter at least one trusted domain, or choose another option" in text_of(refused)
    assert saved.status_code == 302
    programme.refresh_from_db()
    assert (programme.approval_mode, programme.offer_hold_hours, programme.cancellation_cutoff_hours) == (
        "trusted_domains",
        12,
        48,
    )
    assert (programme.reminder_days, programme.joining_reminder_minutes) == ("7,1", 30)
    assert programme.email_confirmation == "always"


def test_booking_rules_ask_whether_email_addresses_are_confirmed_first(client, coordinator, programme):
    url = reverse("backoffice:programme_rules", args=[programme.pk])
    rules = {
        "approval_mode": "open",
        "offer_hold_hours": "24",
        "cancellation_cutoff_hours": "0",
        "reminder_days": "",
        "joining_reminder_minutes": "60",
        "attendance_threshold_percent": "75",
        "retention_months": "24",
        "access_needs_retention_days": "30",
    }

    page = text_of(client.get(url))
    refused = client.post(url, rules | {"email_confirmation": ""})
    saved = client.post(url, rules | {"email_confirmation": "never"})

    assert "Must people confirm their email address before their place is theirs?" in page
    assert "When trusted domains decide" in page
    assert "There is a problem Select whether people must confirm their email address" in text_of(refused)
    assert saved.status_code == 302
    programme.refresh_from_db()
    assert programme.email_confirmation == "never"


def test_reminder_days_must_be_numbers(client, coordinator, programme):
    response = client.post(
        reverse("backoffice:programme_rules", args=[programme.pk]),
        {
            "approval_mode": "open",
            "email_confirmation": "auto",
            "offer_hold_hours": "24",
            "cancellation_cutoff_hours": "0",
            "reminder_days": "five",
            "joining_reminder_minutes": "60",
        },
    )

    assert "Enter whole numbers of days between 1 and 60, separated by commas, like 5, 1" in text_of(response)


def test_bookings_waiting_for_email_confirmation_are_counted_and_can_be_found(
    client, coordinator, programme, make_session, attendee_details
):
    Programme.objects.filter(pk=programme.pk).update(email_confirmation="always")
    session = make_session(capacity=5)
    bookings.book_place(session_id=session.pk, attendee=attendee_details("held@example.org", first_name="Hana"))
    book_and_confirm_email(session, attendee_details("sure@example.org", first_name="Sure"))

    page = text_of(client.get(reverse("backoffice:session", args=[session.pk])))
    held = text_of(
        client.get(reverse("backoffice:session_bookings", args=[session.pk]), {"status": "unconfirmed_email"})
    )

    assert "Confirmed 1" in page and "Waiting for email confirmation 1" in page
    assert "Places left 3" in page  # a held place is taken
    assert "Hana Smith" in held and "Waiting for email confirmation" in held and "Sure Smith" not in held

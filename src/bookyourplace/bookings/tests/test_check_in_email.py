"""The QR code in the emails that confirm a place at an in-person session: an image inside
the email that its HTML shows, the reference in the plain text, and the calendar invite
still the meeting request Outlook reads."""

import email
import email.policy

import pytest
from django.core import mail

from bookyourplace.bookings import approvals, check_in, waiting_list
from bookyourplace.bookings.services import cancel_booking, resend_confirmation
from bookyourplace.bookings.testing import book
from bookyourplace.core.testing.smtp import parse
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode, Session

ORGANISER = Actor(label="Priya (Prevent coordinator)")


@pytest.fixture
def in_person(make_session):
    return make_session(
        delivery=Session.Delivery.IN_PERSON, venue="Council House", room="Room 1.4", joining_url="", platform=""
    )


def sent_to(address: str) -> list:
    """What each message to this address would look like to a mail program, oldest first."""
    return [
        email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        for message in mail.outbox
        if message.to == [address]
    ]


def leaves(message) -> dict[str, list]:
    found: dict[str, list] = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


def related_html(message):
    """The multipart/related part holding the HTML and the images it shows."""
    (related,) = [part for part in message.walk() if part.get_content_type() == "multipart/related"]
    return related


def test_confirmation_shows_the_qr_code_inside_its_html(in_person, run_worker):
    booking = book(in_person, "alex@example.org")

    run_worker()

    (message,) = sent_to("alex@example.org")
    html_part, image = list(related_html(message).iter_parts())
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image.get_content_disposition() == "inline"
    cid = image["Content-ID"].strip("<>")
    assert cid.startswith(f"check-in-code.{booking.reference}@")
    html = html_part.get_content()
    assert f'src="cid:{cid}"' in html
    assert f'alt="QR code to check in, booking {booking.reference}"' in html
    assert "Your check-in code" in html
    # The image is the booking's own code: the same PNG the check-in module draws.
    assert image.get_content() == check_in.qr_code_png(booking)
    assert image.get_content().startswith(b"\x89PNG\r\n\x1a\n")


def test_confirmation_text_gives_the_reference_for_the_door(in_person, run_worker):
    booking = book(in_person, "alex@example.org")

    run_worker()

    (message,) = sent_to("alex@example.org")
    (text,) = leaves(message)["text/plain"]
    assert f"At the door, give your booking reference: {booking.reference}." in text.get_content()


def test_confirmation_with_the_code_is_still_a_meeting_request(in_person, run_worker):
    book(in_person, "alex@example.org")

    run_worker()

    (message,) = sent_to("alex@example.org")
    alternative = next(part for part in message.walk() if part.get_content_type() == "multipart/alternative")
    kinds = [part.get_content_type() for part in alternative.iter_parts()]
    assert kinds == ["text/plain", "multipart/related", "text/calendar"]
    (invite,) = leaves(message)["text/calendar"]
    assert invite.get_param("method") == "REQUEST"
    assert "METHOD:REQUEST" in invite.get_content()
    assert [part.get_filename() for part in leaves(message)["application/ics"]] == ["invite.ics"]


def test_confirmation_sent_over_smtp_keeps_the_image_and_the_invite(smtp_server, in_person, run_worker):
    booking = book(in_person, "alex@example.org")

    run_worker()

    (envelope,) = smtp_server.envelopes
    message = parse(envelope)
    (image,) = leaves(message)["image/png"]
    assert image.get_content() == check_in.qr_code_png(booking)
    (invite,) = leaves(message)["text/calendar"]
    assert invite.get_param("method") == "REQUEST"


def test_online_session_confirmation_has_no_qr_code(session, run_worker):
    book(session, "alex@example.org")

    run_worker()

    (message,) = sent_to("alex@example.org")
    assert "image/png" not in leaves(message)
    assert "check-in" not in leaves(message)["text/html"][0].get_content()
    assert "At the door" not in leaves(message)["text/plain"][0].get_content()


def test_approval_email_carries_the_qr_code(in_person, run_worker):
    in_person.approval_mode = ApprovalMode.APPROVAL
    in_person.save()
    booking = book(in_person, "alex@example.org")
    run_worker()
    (pending,) = sent_to("alex@example.org")
    assert "image/png" not in leaves(pending)

    approvals.approve_booking(booking_id=booking.pk, actor=ORGANISER)
    run_worker()

    _pending, approved = sent_to("alex@example.org")
    assert approved["Subject"].startswith("Booking approved")
    (image,) = leaves(approved)["image/png"]
    assert image.get_content() == check_in.qr_code_png(booking)


def test_place_accepted_from_the_waiting_list_is_confirmed_with_the_qr_code(make_session, run_worker):
    small = make_session(delivery=Session.Delivery.IN_PERSON, venue="Council House", joining_url="", capacity=1)
    first = book(small, "first@example.org")
    waiting = book(small, "second@example.org", waiting=True)
    cancel_booking(booking_id=first.pk, actor=ORGANISER, by_organiser=True)
    waiting_list.accept_offer(booking_id=waiting.pk)

    run_worker()

    subjects_and_images = [
        (message["Subject"].split(":")[0], "image/png" in leaves(message)) for message in sent_to("second@example.org")
    ]
    assert subjects_and_images == [
        ("You are on the waiting list", False),
        ("A place is free for you", False),
        ("Booking confirmed", True),
    ]


def test_resent_confirmation_carries_the_qr_code(in_person, run_worker):
    booking = book(in_person, "alex@example.org")
    run_worker()

    resend_confirmation(booking_id=booking.pk, actor=ORGANISER)
    run_worker()

    assert ["image/png" in leaves(message) for message in sent_to("alex@example.org")] == [True, True]


def test_confirmation_of_a_booking_cancelled_before_sending_has_no_qr_code(in_person, run_worker):
    booking = book(in_person, "alex@example.org")
    cancel_booking(booking_id=booking.pk, actor=ORGANISER)

    run_worker()

    for message in sent_to("alex@example.org"):
        assert "image/png" not in leaves(message)


def test_line_managers_copy_has_no_qr_code(in_person, run_worker):
    book(in_person, "alex@example.org", line_manager_email="boss@example.org")

    run_worker()

    (copy,) = sent_to("boss@example.org")
    assert "image/png" not in leaves(copy)
    assert "check-in" not in leaves(copy)["text/html"][0].get_content()
    (own,) = sent_to("alex@example.org")
    assert "image/png" in leaves(own)

"""Rotating SECRET_KEY (docs/deployment.md): with the old key in SECRET_KEY_FALLBACKS, every
link an attendee holds keeps working, and the emails sent after the rotation carry the same
manage link as those before it."""

import re

import pytest
from django.core import mail

from bookyourplace.bookings.check_in import check_in_token, find_booking_by_check_in_token
from bookyourplace.bookings.links import resend_manage_link
from bookyourplace.bookings.testing import book

OLD_KEY = "the-old-secret-key-that-was-in-use-for-months-0123456789abcdef"
NEW_KEY = "the-new-secret-key-that-replaces-it-after-rotation-fedcba987654"


def manage_path_in_last_email() -> str:
    (found,) = set(re.findall(r"https?://[^/\s]+(/booking/[A-Za-z0-9_-]{32}/)", mail.outbox[-1].body))
    return found


@pytest.mark.django_db
def test_after_a_rotation_a_new_email_carries_the_link_the_attendee_already_has(client, settings, session, run_worker):
    # Arrange: booked, and emailed a link, under the old key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    booking = book(session, "sam@example.org")
    run_worker()
    first_link = manage_path_in_last_email()

    # Act: the key is rotated, the old one kept as a fallback; the attendee asks for the link again
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    booking.manage_link_sent_at = None
    resend_manage_link(booking=booking)
    run_worker()

    # Assert
    assert manage_path_in_last_email() == first_link
    assert client.get(first_link).status_code == 200


@pytest.mark.django_db
def test_a_link_emailed_before_the_rotation_opens_even_once_the_old_key_is_dropped(
    client, settings, session, run_worker
):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    book(session, "sam@example.org")
    run_worker()
    first_link = manage_path_in_last_email()

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []

    # Found by its hash, which needs no key (only a new email could not rebuild it).
    assert client.get(first_link).status_code == 200


@pytest.mark.django_db
def test_a_check_in_code_printed_before_the_rotation_checks_in_while_the_old_key_is_kept(settings, make_session):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    booking = book(make_session(delivery="in_person", venue="Council House"), "sam@example.org")
    printed = check_in_token(booking)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    kept = find_booking_by_check_in_token(printed)
    settings.SECRET_KEY_FALLBACKS = []
    dropped = find_booking_by_check_in_token(printed)

    assert kept == booking
    assert dropped is None  # why the old key stays listed until the sessions are over

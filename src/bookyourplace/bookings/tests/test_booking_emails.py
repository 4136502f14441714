"""The outbox knows no bookings, yet a booking's emails stay tied to it: found from it, and
gone with it (an email holds the person's address)."""

import pytest

from bookyourplace.bookings import services
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.notifications.models import Email

pytestmark = pytest.mark.django_db


def test_a_bookings_emails_are_found_from_it_and_by_it(session, attendee_details):
    alex = services.book_place(session_id=session.pk, attendee=attendee_details("alex@coventry.gov.uk"))
    services.book_place(session_id=session.pk, attendee=attendee_details("bea@coventry.gov.uk"))

    assert [(e.kind, e.to) for e in alex.emails.all()] == [(EmailKind.CONFIRMATION, "alex@coventry.gov.uk")]
    assert list(Email.objects.filter(booking=alex)) == list(alex.emails.all())
    assert Email.objects.filter(booking__session=session).count() == 2


def test_deleting_a_booking_deletes_its_emails_and_no_one_elses(session, attendee_details):
    alex = services.book_place(session_id=session.pk, attendee=attendee_details("alex@coventry.gov.uk"))
    services.book_place(session_id=session.pk, attendee=attendee_details("bea@coventry.gov.uk"))

    alex.delete()

    assert list(Email.objects.values_list("to", flat=True)) == ["bea@coventry.gov.uk"]


def test_deleting_bookings_in_bulk_deletes_their_emails(session, attendee_details):
    for name in ("alex", "bea", "cai"):
        services.book_place(session_id=session.pk, attendee=attendee_details(f"{name}@coventry.gov.uk"))
    assert Email.objects.count() == 3

    session.bookings.all().delete()

    assert Email.objects.count() == 0

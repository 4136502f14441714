"""book_place's fast path writes a booking before it locks the session, and keeps it only if
the place was free under the lock. When it was not, nothing of the attempt may remain: no
booking, no email, no audit entry; the locked path then decides as it always has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookyourplace.bookings import services
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_a_place_gone_by_the_time_of_the_lock_leaves_nothing_of_the_first_attempt(
    make_session, attendee_details, monkeypatch
):
    # Arrange: under the lock, the fast path is told the session is full (as if the last
    # place went just before); the locked path that follows counts for real
    session = make_session(capacity=5)
    real_count_places = services.count_places
    calls = []

    def full_the_first_time(locked_session):
        calls.append(locked_session.pk)
        if len(calls) == 1:
            return locked_session.capacity + 1, 0  # this booking included: it would be one too many
        return real_count_places(locked_session)

    monkeypatch.setattr(services, "count_places", full_the_first_time)

    # Act
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())

    # Assert: one booking, one confirmation, one audit entry: the first attempt left nothing
    assert len(calls) == 2
    assert list(Booking.objects.values_list("pk", flat=True)) == [booking.pk]
    assert list(Email.objects.values_list("booking", "kind")) == [(booking.pk, EmailKind.CONFIRMATION)]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BOOKED).count() == 1
    assert booking.is_confirmed


def test_a_full_session_refuses_and_keeps_nothing_of_the_attempt(make_session, attendee_details):
    session = make_session(capacity=1)
    first = services.book_place(session_id=session.pk, attendee=attendee_details())

    with pytest.raises(services.SessionFull):
        services.book_place(session_id=session.pk, attendee=attendee_details("late@coventry.gov.uk"))

    assert list(Booking.objects.values_list("pk", flat=True)) == [first.pk]
    assert set(Email.objects.values_list("booking", flat=True)) == {first.pk}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BOOKED).count() == 1


def test_an_address_already_booked_gets_its_link_again_and_no_second_booking(make_session, attendee_details):
    session = make_session()
    first = services.book_place(session_id=session.pk, attendee=attendee_details())

    with pytest.raises(services.AlreadyBooked):
        services.book_place(session_id=session.pk, attendee=attendee_details("ALEX.SMITH@coventry.gov.uk "))

    assert list(Booking.objects.values_list("pk", flat=True)) == [first.pk]
    assert list(Email.objects.filter(booking=first).values_list("kind", flat=True)) == [
        EmailKind.CONFIRMATION,
        EmailKind.MANAGE_LINK,
    ]


def test_a_booking_that_changes_what_the_pages_show_raises_the_programme_page_version(
    make_session, attendee_details, settings
):
    # Six places: the first booking leaves five, and "5 places left" now shows
    settings.BYP_FEW_PLACES_LEFT = 5
    session = make_session(capacity=6)
    before = Programme.objects.get(pk=session.programme_id).page_version

    services.book_place(session_id=session.pk, attendee=attendee_details())

    assert Programme.objects.get(pk=session.programme_id).page_version > before


def test_a_booking_that_changes_nothing_shown_leaves_the_page_version(make_session, attendee_details, settings):
    # Fifty places: "Book your place" before and after, so the cached pages stay
    settings.BYP_FEW_PLACES_LEFT = 5
    session = make_session(capacity=50)
    before = Programme.objects.get(pk=session.programme_id).page_version

    services.book_place(session_id=session.pk, attendee=attendee_details())

    assert Programme.objects.get(pk=session.programme_id).page_version == before


def test_a_session_counted_full_by_the_caller_is_refused_without_writing_anything(make_session, attendee_details):
    # Arrange: the last place is taken, and the caller counted as much (as the public pages show it)
    session = make_session(capacity=1)
    services.book_place(session_id=session.pk, attendee=attendee_details("first@coventry.gov.uk"))
    session.places_taken, session.waiting = 1, 0

    # Act
    with CaptureQueriesContext(connection) as queries, pytest.raises(services.SessionFull):
        services.book_place(session_id=session.pk, session=session, attendee=attendee_details("late@coventry.gov.uk"))

    # Assert: no optimistic insert to roll back
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert Booking.objects.count() == 1


def test_a_callers_count_that_says_full_is_the_answer_and_one_that_says_free_is_checked(make_session, attendee_details):
    # The caller's count is the public pages' (the form's POST reads it at their version, which
    # a cancellation raises): trusted to refuse, never to give a place.
    session = make_session(capacity=1)
    first = services.book_place(session_id=session.pk, attendee=attendee_details("first@coventry.gov.uk"))
    services.cancel_booking(booking_id=first.pk)
    session.places_taken, session.waiting = 1, 0
    with pytest.raises(services.SessionFull):
        services.book_place(session_id=session.pk, session=session, attendee=attendee_details("a@coventry.gov.uk"))

    services.book_place(session_id=session.pk, attendee=attendee_details("taken@coventry.gov.uk"))
    session.places_taken, session.waiting = 0, 0
    with pytest.raises(services.SessionFull):
        services.book_place(session_id=session.pk, session=session, attendee=attendee_details("b@coventry.gov.uk"))

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bookyourplace.bookings import services
from bookyourplace.bookings.availability import availability
from bookyourplace.bookings.links import find_booking_by_token, manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email
from bookyourplace.programmes.models import Programme, Session


def test_book_place_confirms_and_queues_one_confirmation(session, attendee_details):
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.reference.startswith("BYP-") and len(booking.reference) == 9
    assert list(Email.objects.values_list("kind", "to", "status")) == [
        ("confirmation", "alex.smith@coventry.gov.uk", "queued")
    ]
    assert mail.outbox == []  # nothing is sent until the worker runs


def test_book_place_stores_email_lower_case_and_trims_names(session, attendee_details):
    booking = services.book_place(
        session_id=session.pk, attendee=attendee_details(email="  Alex.Smith@Coventry.GOV.uk ", first_name=" Alex ")
    )

    assert booking.email == "alex.smith@coventry.gov.uk"
    assert booking.first_name == "Alex"


def test_book_place_with_an_email_already_booked_makes_no_second_booking(session, attendee_details):
    services.book_place(session_id=session.pk, attendee=attendee_details())

    with pytest.raises(services.AlreadyBooked):
        services.book_place(session_id=session.pk, attendee=attendee_details(email="ALEX.SMITH@coventry.gov.uk"))

    assert Booking.objects.count() == 1
    assert list(Email.objects.values_list("kind", flat=True)) == ["confirmation", "manage_link"]


def test_asking_again_and_again_sends_the_manage_link_once_in_the_quiet_period(session, attendee_details):
    services.book_place(session_id=session.pk, attendee=attendee_details())
    for _ in range(3):
        with pytest.raises(services.AlreadyBooked):
            services.book_place(session_id=session.pk, attendee=attendee_details())

    assert Email.objects.filter(kind="manage_link").count() == 1


def test_book_place_after_cancelling_gives_a_new_booking(session, attendee_details):
    first = services.book_place(session_id=session.pk, attendee=attendee_details())
    services.cancel_booking(booking_id=first.pk)

    second = services.book_place(session_id=session.pk, attendee=attendee_details())

    assert second.pk != first.pk
    assert second.reference != first.reference
    assert Booking.objects.filter(status="confirmed").count() == 1


def test_book_place_refuses_when_full(make_session, attendee_details):
    session = make_session(capacity=2)
    services.book_place(session_id=session.pk, attendee=attendee_details("a@example.org"))
    services.book_place(session_id=session.pk, attendee=attendee_details("b@example.org"))

    with pytest.raises(services.SessionFull):
        services.book_place(session_id=session.pk, attendee=attendee_details("c@example.org"))

    assert Booking.objects.count() == 2


def test_a_full_session_answers_a_booked_address_as_any_other_and_emails_it_its_link(make_session, attendee_details):
    # Issue 10, point 7: "You already have a place" here told strangers who had booked.
    session = make_session(capacity=1)
    booked = services.book_place(session_id=session.pk, attendee=attendee_details("a@example.org"))

    with pytest.raises(services.SessionFull) as refusal:
        services.book_place(session_id=session.pk, attendee=attendee_details("a@example.org"))

    assert type(refusal.value) is services.SessionFull
    assert list(Email.objects.filter(booking=booked).values_list("kind", flat=True)) == ["confirmation", "manage_link"]


def test_a_full_session_with_the_waiting_list_asked_for_tells_a_booked_address_it_is_booked(
    make_session, attendee_details
):
    session = make_session(capacity=1)
    services.book_place(session_id=session.pk, attendee=attendee_details("a@example.org"))

    with pytest.raises(services.AlreadyBooked):
        services.book_place(session_id=session.pk, attendee=attendee_details("a@example.org"), join_waiting_list=True)

    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"status": Session.Status.CANCELLED}, services.SessionCancelled),
        ({"booking_closes_at": timezone.now() - timedelta(minutes=1)}, services.BookingClosed),
        ({"booking_opens_at": timezone.now() + timedelta(days=1)}, services.BookingNotOpenYet),
    ],
)
def test_book_place_refuses_outside_the_booking_window(make_session, attendee_details, change, refusal):
    session = make_session(**change)

    with pytest.raises(refusal):
        services.book_place(session_id=session.pk, attendee=attendee_details())

    assert Booking.objects.count() == 0


def test_book_place_refuses_once_the_session_has_started(make_session, attendee_details):
    session = make_session(starts_at=timezone.now() - timedelta(minutes=5))

    with pytest.raises(services.BookingClosed):
        services.book_place(session_id=session.pk, attendee=attendee_details())


def test_book_place_refuses_a_draft_programme(session, attendee_details):
    Programme.objects.update(status=Programme.Status.DRAFT)

    with pytest.raises(services.SessionNotAvailable):
        services.book_place(session_id=session.pk, attendee=attendee_details())


def test_cancel_booking_frees_the_place_at_once(make_session, attendee_details):
    session = make_session(capacity=1)
    booking = services.book_place(session_id=session.pk, attendee=attendee_details("a@example.org"))

    services.cancel_booking(booking_id=booking.pk)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.invite_sequence == 1
    assert availability(Session.objects.get(pk=session.pk)).places_left == 1
    services.book_place(session_id=session.pk, attendee=attendee_details("b@example.org"))


def test_cancel_booking_queues_a_calendar_cancellation(session, attendee_details):
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())

    services.cancel_booking(booking_id=booking.pk)

    cancellation = Email.objects.get(kind="cancellation")
    assert (cancellation.invite_method, cancellation.invite_sequence) == ("CANCEL", 1)


def test_cancelling_twice_sends_one_cancellation(session, attendee_details):
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())

    services.cancel_booking(booking_id=booking.pk)
    services.cancel_booking(booking_id=booking.pk)

    assert Email.objects.filter(kind="cancellation").count() == 1


def test_cancel_booking_is_refused_after_the_session_starts(session, attendee_details):
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=1), ends_at=timezone.now() + timedelta(hours=1)
    )

    with pytest.raises(services.CancellationNotAllowed):
        services.cancel_booking(booking_id=booking.pk)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_find_booking_by_token_returns_the_booking(session, attendee_details):
    booking = services.book_place(session_id=session.pk, attendee=attendee_details())

    assert find_booking_by_token(manage_token(booking)) == booking


@pytest.mark.parametrize(
    "places_booked, label", [(0, "Book your place"), (15, "5 places left"), (19, "1 place left"), (20, "Fully booked")]
)
def test_availability_label_counts_places_left(session, attendee_details, places_booked, label):
    for n in range(places_booked):
        services.book_place(session_id=session.pk, attendee=attendee_details(f"person{n}@example.org"))

    assert availability(Session.objects.get(pk=session.pk)).label == label


@pytest.mark.parametrize("field", ["first_name", "last_name", "organisation", "job_title"])
@pytest.mark.parametrize(
    "value", ["Alex\nBcc: everyone@example.org", "Alex\r", "Alex\x00", "\u202eAlex", "Alex\u2028Smith", "Alex\tSmith"]
)
def test_book_place_refuses_line_breaks_and_control_characters_in_names(session, attendee_details, field, value):
    # Issue 10, point 5: every face books through the service, so it refuses them too.
    with pytest.raises(services.InvalidAttendeeDetails) as refusal:
        services.book_place(session_id=session.pk, attendee=attendee_details(**{field: value}))

    assert "must not contain line breaks or special characters" in str(refusal.value.message)
    assert not Booking.objects.exists() and not Email.objects.exists()


def test_book_place_keeps_names_with_joiners_and_accents(session, attendee_details):
    # Zero-width joiners belong in names in many scripts; they are not refused.
    booking = services.book_place(
        session_id=session.pk, attendee=attendee_details(first_name="Zoë", last_name="می\u200cخواهم")
    )

    assert booking.last_name == "می\u200cخواهم"

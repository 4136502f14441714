"""Feedback keeps its scores and loses its comments: with the programme's people, or at once
when the person is erased."""

from datetime import timedelta

from django.utils import timezone

from bookyourplace.bookings import personal_data as bookings_held
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.feedback import personal_data as held
from bookyourplace.feedback.models import Answer
from bookyourplace.feedback.testing import answer, mark


def answered(session, email="alex@example.org"):
    booking = book(session, email)
    end_session(session)
    mark(booking)
    answer(booking, satisfaction=5, useful="Meeting Alex from Coventry youth services", better="More case studies")
    return booking


def texts():
    return sorted(Answer.objects.exclude(text="").values_list("text", flat=True))


def ratings():
    return sorted(Answer.objects.exclude(rating=None).values_list("rating", flat=True))


def test_comments_go_with_the_programme_and_scores_stay(session):
    answered(session)
    end_session(session, ago=timedelta(days=24 * 31 + 1))

    held.anonymise_due(timezone.now())

    assert texts() == []
    assert ratings() == [5]


def test_comments_stay_within_the_period(session):
    answered(session)

    held.anonymise_due(timezone.now())

    assert texts() == ["Meeting Alex from Coventry youth services", "More case studies"]


def test_erasing_a_person_empties_their_comments_only(session):
    alex, bea = book(session, "alex@example.org"), book(session, "bea@example.org")
    end_session(session)
    for booking, comment in ((alex, "Alex's comment"), (bea, "Bea's comment")):
        mark(booking)
        answer(booking, satisfaction=4, useful=comment)

    changed = held.erase("alex@example.org")

    assert changed == 1
    assert texts() == ["Bea's comment"]
    assert ratings() == [4, 4]


def test_comments_of_a_booking_erased_first_go_at_the_next_run(session):
    booking = answered(session)
    bookings_held.erase("alex@example.org")  # the booking first: the address is gone
    assert held.erase("alex@example.org") == 0

    held.anonymise_due(timezone.now())

    assert texts() == []
    booking.refresh_from_db()
    assert booking.full_name == "Anonymised"


def test_subject_access_shows_the_answers(session):
    answered(session)

    [found] = held.find("alex@example.org")

    assert found.kind == "Feedback"
    assert "More case studies" in found.fields.values()
    assert 5 in found.fields.values()

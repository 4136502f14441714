"""Giving feedback: who may, until when, one response per booking, changed until it closes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.feedback import errors, services
from bookyourplace.feedback.models import Answer, Response, Role, Survey
from bookyourplace.feedback.testing import answer, mark


@pytest.fixture
def alex(session):
    booking = book(session, "alex@coventry.gov.uk", first_name="Alex")
    end_session(session)
    mark(booking)
    return Booking.objects.get(pk=booking.pk)  # with the session as it is now


def test_a_programme_starts_with_the_usual_questions(programme):
    survey = services.survey_for(programme)

    assert [(q.kind, q.scale, q.text) for q in services.questions_of(survey)] == [
        ("rating", "satisfaction", "Overall, how satisfied were you with this session?"),
        (
            "rating",
            "confidence",
            "How confident were you, before this session, in recognising signs of radicalisation?",
        ),
        (
            "rating",
            "confidence",
            "How confident are you now, after this session, in recognising signs of radicalisation?",
        ),
        ("text", "", "What was most useful?"),
        ("text", "", "What could be better?"),
    ]
    assert survey.open_days == 14
    assert services.survey_for(programme) == survey  # made once


def test_answers_are_kept_as_given(alex):
    answer(alex, satisfaction=5, before=2, after=4, useful="The case studies", better="")

    response = Response.objects.get(booking=alex)
    kept = {a.question.role or a.question.text: a.rating or a.text for a in response.answers.select_related("question")}
    assert kept == {
        Role.SATISFACTION: 5,
        Role.CONFIDENCE_BEFORE: 2,
        Role.CONFIDENCE_AFTER: 4,
        "What was most useful?": "The case studies",
    }
    assert services.has_given_feedback(alex)


def test_answering_again_changes_the_one_response(alex):
    answer(alex, satisfaction=2, useful="Not much")

    answer(alex, satisfaction=4, useful="")

    assert Response.objects.filter(booking=alex).count() == 1
    assert sorted(Answer.objects.filter(response__booking=alex).values_list("rating", "text")) == [(4, "")]


def test_answers_can_be_changed_until_the_survey_closes(alex, session):
    last_minute = session.ends_at + timedelta(days=14) - timedelta(minutes=1)
    answer(alex, satisfaction=3, now=last_minute)

    with pytest.raises(errors.SurveyClosed):
        answer(alex, satisfaction=5, now=session.ends_at + timedelta(days=14))

    assert Answer.objects.get(response__booking=alex).rating == 3


def test_the_survey_stays_open_as_many_days_as_the_programme_says(alex, session, programme):
    Survey.objects.create(programme=programme, open_days=3)

    assert services.is_open(session, now=session.ends_at + timedelta(days=2, hours=23))
    assert not services.is_open(session, now=session.ends_at + timedelta(days=3))


def test_the_survey_opens_when_the_session_starts(make_session):
    session = make_session()
    booking = book(session, "early@coventry.gov.uk")
    mark(booking, now=session.starts_at)

    with pytest.raises(errors.SurveyNotOpen):
        services.check_may_answer(booking, now=session.starts_at - timedelta(minutes=1))
    services.check_may_answer(booking, now=session.starts_at)


@pytest.mark.parametrize("outcome", [Outcome.NO_SHOW, None])
def test_only_those_who_came_may_answer(session, outcome):
    booking = book(session, "absent@coventry.gov.uk")
    end_session(session)
    if outcome:
        mark(booking, outcome)

    with pytest.raises(errors.NotAttended):
        answer(booking, satisfaction=5)

    assert not Response.objects.exists()


def test_partly_attending_is_enough_to_answer(session):
    booking = book(session, "partly@coventry.gov.uk")
    end_session(session)
    mark(booking, Outcome.PARTLY_ATTENDED)

    answer(booking, satisfaction=3)

    assert services.has_given_feedback(booking)


def test_satisfaction_must_be_answered_and_nothing_else(alex):
    with pytest.raises(errors.InvalidAnswer) as refusal:
        answer(alex, satisfaction=None, before=3)

    answer(alex, satisfaction=4)

    assert refusal.value.message == "Select how satisfied you were with the session"
    assert Answer.objects.filter(response__booking=alex).count() == 1


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_a_rating_outside_one_to_five_is_refused(alex, rating):
    with pytest.raises(errors.InvalidAnswer):
        answer(alex, satisfaction=rating)


def test_text_is_kept_as_plain_text_within_its_limit(alex):
    with pytest.raises(errors.InvalidAnswer):
        answer(alex, useful="x" * 2001)

    answer(alex, useful="  <b>Tom's</b> =SUM(A1)  ")

    assert Answer.objects.get(response__booking=alex, rating=None).text == "<b>Tom's</b> =SUM(A1)"


def test_bookings_with_feedback_tells_several_at_once(session, django_assert_num_queries):
    people = [book(session, f"p{n}@coventry.gov.uk") for n in range(3)]
    end_session(session)
    for booking in people:
        mark(booking)
    answer(people[0])
    answer(people[2])

    with django_assert_num_queries(1):
        given = services.bookings_with_feedback([b.pk for b in people])

    assert given == {people[0].pk, people[2].pk}
    assert [services.has_given_feedback(b) for b in people] == [True, False, True]


def test_survey_state_says_why_not(alex, session):
    closed = services.state_for(alex, now=session.ends_at + timedelta(days=15))

    assert closed.may_answer is False
    assert isinstance(closed.refusal, errors.SurveyClosed)
    assert services.state_for(alex, now=timezone.now()).may_answer is True

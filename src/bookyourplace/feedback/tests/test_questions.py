"""The programme's questions: reworded, added, removed and reordered, with answers kept."""

import pytest

from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.feedback import errors, services
from bookyourplace.feedback import questions as survey
from bookyourplace.feedback.models import Answer, Kind, Question, Role, Scale
from bookyourplace.feedback.results import session_results
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM


@pytest.fixture
def questions(programme):
    return {q.role or q.text: q for q in services.questions_of(services.survey_for(programme))}


@pytest.fixture
def alex(session):
    booking = book(session, "alex@coventry.gov.uk")
    end_session(session)
    mark(booking)
    return Booking.objects.get(pk=booking.pk)  # with the session as it is now


def wording(programme) -> list[str]:
    return [q.text for q in services.questions_of(services.survey_for(programme))]


def test_rewording_keeps_the_answers_with_the_question(alex, session, questions):
    answer(alex, satisfaction=5, useful="The case studies")
    useful = questions["What was most useful?"]

    survey.reword(question=useful, text="What helped you most?", actor=SYSTEM)

    results = session_results(session)
    assert [(t.question.text, t.comments) for t in results.texts][0] == ("What helped you most?", ["The case studies"])
    assert Answer.objects.get(question=useful).wording == "What was most useful?"  # as it was answered
    assert AuditEvent.objects.filter(action="feedback.survey_changed").count() == 1


def test_a_question_nobody_answered_is_deleted(programme, questions):
    survey.remove_question(question=questions["What could be better?"], actor=SYSTEM)

    assert "What could be better?" not in wording(programme)
    assert not Question.objects.filter(text="What could be better?").exists()


def test_a_question_with_answers_is_taken_off_the_survey_and_its_answers_kept(alex, session, programme, questions):
    answer(alex, satisfaction=4, better="Shorter breaks")

    survey.remove_question(question=questions["What could be better?"], actor=SYSTEM)

    assert "What could be better?" not in wording(programme)
    texts = {t.question.text: t.comments for t in session_results(session).texts}
    assert texts["What could be better?"] == ["Shorter breaks"]


def test_answering_after_a_question_was_removed_keeps_the_earlier_answer_to_it(alex, questions):
    answer(alex, satisfaction=4, better="Shorter breaks")
    survey.remove_question(question=questions["What could be better?"], actor=SYSTEM)

    answer(alex, satisfaction=5)

    assert Answer.objects.filter(question=questions["What could be better?"]).count() == 1


def test_the_confidence_questions_are_removed_together(programme, questions):
    survey.remove_question(question=questions[Role.CONFIDENCE_AFTER], actor=SYSTEM)

    assert wording(programme) == [
        "Overall, how satisfied were you with this session?",
        "What was most useful?",
        "What could be better?",
    ]


def test_the_satisfaction_question_stays(programme, questions):
    with pytest.raises(errors.InvalidQuestion):
        survey.remove_question(question=questions[Role.SATISFACTION], actor=SYSTEM)

    assert len(wording(programme)) == 5


def test_the_confidence_pair_moves_as_one(programme, questions):
    survey.move_question(question=questions[Role.CONFIDENCE_BEFORE], direction=survey.UP, actor=SYSTEM)
    roles_up = [q.role for q in services.questions_of(services.survey_for(programme))]
    survey.move_question(question=questions[Role.CONFIDENCE_AFTER], direction=survey.DOWN, actor=SYSTEM)
    survey.move_question(question=questions[Role.CONFIDENCE_AFTER], direction=survey.DOWN, actor=SYSTEM)
    roles_down = [q.role for q in services.questions_of(services.survey_for(programme))]

    assert roles_up == [Role.CONFIDENCE_BEFORE, Role.CONFIDENCE_AFTER, Role.SATISFACTION, "", ""]
    assert roles_down == [Role.SATISFACTION, "", Role.CONFIDENCE_BEFORE, Role.CONFIDENCE_AFTER, ""]


def test_moving_the_first_question_up_changes_nothing(programme, questions):
    before = wording(programme)

    survey.move_question(question=questions[Role.SATISFACTION], direction=survey.UP, actor=SYSTEM)

    assert wording(programme) == before


def test_an_added_question_is_asked_at_the_end(alex, programme):
    added = survey.add_question(
        survey=services.survey_for(programme),
        kind=Kind.RATING,
        scale=Scale.AGREEMENT,
        text="  The trainer knew the subject well ",
        actor=SYSTEM,
    )

    services.give_feedback(booking=alex, answers={added.pk: 5, services.questions_of(added.survey)[0].pk: 4})

    assert wording(programme)[-1] == "The trainer knew the subject well"
    assert Answer.objects.get(question=added).rating == 5


@pytest.mark.parametrize(
    ("kind", "scale", "text", "field"),
    [
        (Kind.TEXT, "", "   ", "text"),
        (Kind.TEXT, "", "x" * 301, "text"),
        (Kind.RATING, "", "How was lunch?", "scale"),
        ("essay", "", "How was lunch?", "kind"),
    ],
)
def test_a_question_must_have_words_and_a_kind_of_answer(programme, kind, scale, text, field):
    with pytest.raises(errors.InvalidQuestion) as refusal:
        survey.add_question(survey=services.survey_for(programme), kind=kind, scale=scale, text=text, actor=SYSTEM)

    assert refusal.value.field == field
    assert len(wording(programme)) == 5


def test_how_long_the_survey_stays_open_is_the_organisers_choice(programme):
    changed = survey.set_open_days(survey=services.survey_for(programme), open_days=30, actor=SYSTEM)

    with pytest.raises(errors.InvalidQuestion):
        survey.set_open_days(survey=changed, open_days=0, actor=SYSTEM)

    assert services.survey_for(programme).open_days == 30

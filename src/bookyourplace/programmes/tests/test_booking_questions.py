"""The organiser's own booking questions: adding, changing, ordering and removing them, the
checks in plain words, a session's own list, and what each change leaves behind (an audit
entry, the booking form shown afresh)."""

import datetime as dt

import pytest

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import questions
from bookyourplace.programmes.copying import copy_programme
from bookyourplace.programmes.errors import InvalidQuestion, ProgrammeError
from bookyourplace.programmes.models import Programme, Question
from bookyourplace.programmes.questions import QuestionDetails
from bookyourplace.programmes.testing import add_question

pytestmark = pytest.mark.django_db

ORGANISER = Actor(label="Priya (organiser)")
Kind = Question.Kind


def add(programme, label, *, kind=Kind.SHORT_TEXT, **details):
    return add_question(programme, kind, label, **details)


def labels(found) -> list[str]:
    return [question.label for question in found]


def page_version(programme) -> int:
    return Programme.objects.get(pk=programme.pk).page_version


def test_questions_are_asked_in_the_order_they_were_added(programme, session):
    add(programme, "Your dietary requirements")
    add(programme, "Which area you work in", kind=Kind.ONE_CHOICE, choices=("North", "South"))

    assert labels(questions.questions_for(session)) == ["Your dietary requirements", "Which area you work in"]


def test_moving_a_question_changes_the_order_and_stops_at_either_end(programme, session):
    first, second, third = (add(programme, label) for label in ("First", "Second", "Third"))

    questions.move_question(question=third, direction=questions.UP, actor=ORGANISER)
    questions.move_question(question=first, direction=questions.UP, actor=ORGANISER)  # already first
    questions.move_question(question=second, direction=questions.DOWN, actor=ORGANISER)

    assert labels(questions.questions_for(session)) == ["First", "Third", "Second"]


def test_a_question_nobody_answered_is_deleted_when_removed(programme, session):
    dietary = add(programme, "Your dietary requirements")

    questions.remove_question(question=dietary, actor=ORGANISER)

    assert not Question.objects.filter(pk=dietary.pk).exists()
    assert questions.questions_for(session) == []


def test_each_change_is_audited_and_shows_on_the_booking_form_at_once(programme, session):
    before = page_version(programme)

    question = add(programme, "Your dietary requirements")
    after_adding = page_version(programme)
    questions.change_question(
        question=question, details=QuestionDetails(kind=Kind.LONG_TEXT, label="Dietary needs"), actor=ORGANISER
    )
    after_changing = page_version(programme)
    questions.remove_question(question=question, actor=ORGANISER)

    assert before < after_adding < after_changing < page_version(programme)
    summaries = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PROGRAMME, programme_id=programme.pk)
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Booking questions of 'Coventry Prevent Week': added 'Your dietary requirements'",
        "Booking questions of 'Coventry Prevent Week': changed 'Your dietary requirements' to 'Dietary needs'",
        "Booking questions of 'Coventry Prevent Week': removed 'Dietary needs'",
    ]
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) == {"Priya (organiser)"}


@pytest.mark.parametrize(
    ("details", "problems"),
    [
        (QuestionDetails(kind=Kind.SHORT_TEXT, label="   "), {"label": ["Enter the question"]}),
        (
            QuestionDetails(kind=Kind.SHORT_TEXT, label="Q" * 251),
            {"label": ["The question must be 250 characters or fewer"]},
        ),
        (QuestionDetails(kind="colour", label="Favourite colour"), {"kind": ["Select the type of answer"]}),
        (
            QuestionDetails(kind=Kind.ONE_CHOICE, label="Which area you work in", choices=("North", " ", "")),
            {"choices": ["Enter at least two choices, one on each line"]},
        ),
        (
            QuestionDetails(kind=Kind.SEVERAL_CHOICES, label="Topics", choices=("Online harms", "online  harms")),
            {"choices": ["Each choice must be different: “online harms” is there twice"]},
        ),
        (
            QuestionDetails(kind=Kind.ONE_CHOICE, label="Area", hint="H" * 501, choices=("A", "B")),
            {"hint": ["The hint must be 500 characters or fewer"]},
        ),
    ],
)
def test_a_question_that_cannot_be_asked_is_refused_in_plain_words(programme, details, problems):
    with pytest.raises(InvalidQuestion) as refusal:
        questions.add_question(programme=programme, details=details, actor=ORGANISER)

    assert refusal.value.problems == problems
    assert not Question.objects.exists()


def test_every_problem_is_named_at_once(programme):
    with pytest.raises(InvalidQuestion) as refusal:
        add(programme, "", kind=Kind.ONE_CHOICE, choices=("Only one",))

    assert set(refusal.value.problems) == {"label", "choices"}


def test_spaces_and_blank_choice_lines_are_tidied_and_other_kinds_keep_no_choices(programme):
    area = add(programme, "  Which area   you work in ", kind=Kind.ONE_CHOICE, choices=(" North ", "", "South"))
    drives = add(programme, "Do you drive?", kind=Kind.YES_NO, choices=("ignored", "too"))

    assert (area.label, area.choices) == ("Which area you work in", ["North", "South"])
    assert drives.choices == []


def test_a_session_asks_the_programmes_questions_until_it_asks_its_own(programme, make_session):
    session, other = make_session(), make_session(title="Another")
    add(programme, "Your dietary requirements")

    questions.ask_own_questions(session=session, own=True, actor=ORGANISER)
    session.refresh_from_db()
    add(programme, "Your school's name", session=session)
    add(programme, "Which area you work in", kind=Kind.ONE_CHOICE, choices=("North", "South"))

    # Its own list started as a copy of the programme's; later programme questions are not its
    assert labels(questions.questions_for(session)) == ["Your dietary requirements", "Your school's name"]
    assert labels(questions.questions_for(other)) == ["Your dietary requirements", "Which area you work in"]


def test_going_back_to_the_programmes_questions_removes_the_sessions_own(programme, session):
    add(programme, "Your dietary requirements")
    questions.ask_own_questions(session=session, own=True, actor=ORGANISER)
    session.refresh_from_db()
    before = page_version(programme)

    questions.ask_own_questions(session=session, own=False, actor=ORGANISER)
    session.refresh_from_db()

    assert not session.asks_own_questions
    assert not Question.objects.filter(session=session).exists()  # nobody had answered them
    assert labels(questions.questions_for(session)) == ["Your dietary requirements"]
    assert page_version(programme) > before
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGED_SESSION,
        summary=f"Booking questions of the session '{session.title}': now asks the programme's questions",
    ).exists()


def test_a_question_cannot_be_added_to_a_session_that_asks_the_programmes(programme, session):
    with pytest.raises(ProgrammeError):
        add(programme, "Your school's name", session=session)

    assert not Question.objects.exists()


def test_copying_a_programme_copies_its_questions_and_its_sessions_own(programme, make_session):
    own, plain = make_session(title="Own questions"), make_session(title="Programme's questions")
    add(programme, "Your dietary requirements")
    removed = add(programme, "Removed before the copy")
    questions.remove_question(question=removed, actor=ORGANISER)
    questions.ask_own_questions(session=own, own=True, actor=ORGANISER)
    own.refresh_from_db()
    add(programme, "Which area you work in", session=own, kind=Kind.ONE_CHOICE, choices=("North", "South"))

    copy = copy_programme(programme=programme, first_day=dt.date(2030, 1, 14), title="Prevent Week 2030")

    copied = {session.title: session for session in copy.sessions.all()}
    assert labels(questions.list_of(programme=copy)) == ["Your dietary requirements"]
    assert copied["Own questions"].asks_own_questions
    assert labels(questions.questions_for(copied["Own questions"])) == [
        "Your dietary requirements",
        "Which area you work in",
    ]
    assert labels(questions.questions_for(copied["Programme's questions"])) == ["Your dietary requirements"]
    assert Question.objects.filter(programme=copy, choices=["North", "South"]).count() == 1
    assert labels(questions.questions_for(plain)) == ["Your dietary requirements"]  # the original is untouched


def test_questions_of_a_programme_lists_the_programmes_then_each_sessions_own(programme, make_session):
    first = make_session(title="First")
    add(programme, "Your dietary requirements")
    questions.ask_own_questions(session=first, own=True, actor=ORGANISER)
    first.refresh_from_db()
    add(programme, "Your school's name", session=first)

    assert labels(questions.questions_of_programme(programme)) == [
        "Your dietary requirements",
        "Your dietary requirements",
        "Your school's name",
    ]

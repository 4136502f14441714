"""Answers to the organiser's own questions are checked and kept with the booking, on every
path a booking takes (a free place, the locked path, the waiting list, approval, the email
confirmation hold), and stay as they were given whatever happens to the question later."""

import pytest
from django.utils import timezone

from bookyourplace.bookings import services
from bookyourplace.bookings.answers import answers_shown, check_answers, messages_for
from bookyourplace.bookings.errors import InvalidAnswers
from bookyourplace.bookings.models import Answer, Booking
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import questions
from bookyourplace.programmes.models import ApprovalMode, EmailConfirmation, Question
from bookyourplace.programmes.questions import QuestionDetails
from bookyourplace.programmes.testing import add_question

pytestmark = pytest.mark.django_db

ORGANISER = Actor(label="Priya (organiser)")
Kind = Question.Kind


@pytest.fixture
def asked(programme):
    """One question of each type, as the programme's list."""

    def add(kind, label, **details):
        return add_question(programme, kind, label, **details)

    return {
        "diet": add(Kind.SHORT_TEXT, "Your dietary requirements"),
        "story": add(Kind.LONG_TEXT, "What you hope to learn", required=False),
        "area": add(Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South")),
        "topics": add(Kind.SEVERAL_CHOICES, "Topics to cover", choices=("Online harms", "Referrals", "Extremism")),
        "drives": add(Kind.YES_NO, "Do you need a parking space?"),
        "level3": add(Kind.DATE, "Date you completed Level 3 training", required=False),
    }


def good_answers(asked) -> dict[int, str]:
    return {
        asked["diet"].pk: "Vegetarian",
        asked["story"].pk: "How to make a referral\r\nand who to call",
        asked["area"].pk: "South",
        asked["topics"].pk: "Extremism\nOnline harms",
        asked["drives"].pk: "yes",
        asked["level3"].pk: "2025-03-27",
    }


def kept(booking) -> dict[str, tuple[str, str]]:
    return {a.question_label: (a.question_kind, a.value) for a in Answer.objects.filter(booking=booking)}


EXPECTED = {
    "Your dietary requirements": ("short_text", "Vegetarian"),
    "What you hope to learn": ("long_text", "How to make a referral\nand who to call"),
    "Which area you work in": ("one_choice", "South"),
    "Topics to cover": ("several_choices", "Online harms\nExtremism"),  # in the organiser's order
    "Do you need a parking space?": ("yes_no", "Yes"),
    "Date you completed Level 3 training": ("date", "2025-03-27"),
}


def book(session, email, answers, **kwargs):
    from bookyourplace.bookings.testing import attendee_details

    return services.book_place(session_id=session.pk, attendee=attendee_details(email), answers=answers, **kwargs)


def test_a_free_place_keeps_every_answer_with_the_question_as_asked(session, asked):
    booking = book(session, "alex@coventry.gov.uk", good_answers(asked))

    assert booking.is_confirmed
    assert kept(booking) == EXPECTED


def test_the_locked_path_keeps_the_answers_once_and_the_first_attempt_leaves_none(session, asked, monkeypatch):
    # Under the lock the fast path is told the session is full, as if the last place went
    # just before; the locked path that follows counts for real and books.
    real_count_places = services.count_places
    calls = []

    def full_the_first_time(locked_session):
        calls.append(locked_session.pk)
        if len(calls) == 1:
            return locked_session.capacity + 1, 0
        return real_count_places(locked_session)

    monkeypatch.setattr(services, "count_places", full_the_first_time)

    booking = book(session, "alex@coventry.gov.uk", good_answers(asked))

    assert len(calls) == 2
    assert kept(booking) == EXPECTED
    assert Answer.objects.count() == len(EXPECTED)


def test_a_place_on_the_waiting_list_keeps_the_answers(make_session, asked):
    session = make_session(capacity=1)
    book(session, "first@coventry.gov.uk", good_answers(asked))

    waiting = book(session, "second@coventry.gov.uk", good_answers(asked), join_waiting_list=True)

    assert waiting.status == Booking.Status.WAITING
    assert kept(waiting) == EXPECTED


def test_a_booking_waiting_for_approval_keeps_the_answers(make_session, asked):
    session = make_session(approval_mode=ApprovalMode.APPROVAL)

    pending = book(session, "alex@coventry.gov.uk", good_answers(asked))

    assert pending.status == Booking.Status.PENDING
    assert kept(pending) == EXPECTED


def test_a_place_held_until_the_email_address_is_confirmed_keeps_the_answers(programme, session, asked):
    programme.email_confirmation = EmailConfirmation.ALWAYS
    programme.save()

    held = book(session, "alex@coventry.gov.uk", good_answers(asked))

    assert held.status == Booking.Status.UNCONFIRMED_EMAIL
    assert kept(held) == EXPECTED


def test_an_optional_question_left_blank_is_kept_as_not_answered(session, asked):
    answers = good_answers(asked)
    del answers[asked["story"].pk], answers[asked["level3"].pk]

    booking = book(session, "alex@coventry.gov.uk", answers)

    assert kept(booking)["What you hope to learn"] == ("long_text", "")
    assert kept(booking)["Date you completed Level 3 training"] == ("date", "")


def test_booking_again_with_the_same_address_leaves_the_first_answers(session, asked):
    first = book(session, "alex@coventry.gov.uk", good_answers(asked))
    again = good_answers(asked) | {asked["diet"].pk: "Vegan", asked["area"].pk: "North"}

    with pytest.raises(services.AlreadyBooked):
        book(session, "ALEX@coventry.gov.uk", again)

    assert kept(first) == EXPECTED
    assert Answer.objects.count() == len(EXPECTED)


def test_answers_the_form_would_refuse_are_each_named_and_nothing_is_booked(session, asked):
    answers = good_answers(asked) | {
        asked["diet"].pk: "  ",
        asked["area"].pk: "East",
        asked["topics"].pk: "Extremism\nKnitting",
        asked["drives"].pk: "maybe",
        asked["level3"].pk: "2025-02-30",
    }

    with pytest.raises(InvalidAnswers) as refusal:
        book(session, "alex@coventry.gov.uk", answers)

    assert refusal.value.problems == {
        f"question_{asked['diet'].pk}": ["Enter your dietary requirements"],
        f"question_{asked['area'].pk}": ["Select which area you work in from the list"],
        f"question_{asked['topics'].pk}": ["Select topics to cover from the list"],
        f"question_{asked['drives'].pk}": ["Select your answer to ‘Do you need a parking space?’ from the list"],
        f"question_{asked['level3'].pk}": ["Date you completed Level 3 training must be a real date"],
    }
    assert not Booking.objects.exists() and not Answer.objects.exists()


def test_a_required_question_must_be_answered_whatever_the_face(session, asked):
    with pytest.raises(InvalidAnswers) as refusal:
        book(session, "alex@coventry.gov.uk", None)

    assert list(refusal.value.problems.values()) == [
        ["Enter your dietary requirements"],
        ["Select which area you work in"],
        ["Select topics to cover"],
        ["Select yes or no for ‘Do you need a parking space?’"],
    ]


def test_answers_to_questions_the_session_does_not_ask_are_not_kept(programme, session, asked):
    other_programme_question = Question.objects.create(
        programme=programme, session=None, position=99, kind=Kind.SHORT_TEXT, label="Removed", removed_at=timezone.now()
    )

    booking = book(session, "alex@coventry.gov.uk", good_answers(asked) | {other_programme_question.pk: "Sneaky"})

    assert "Removed" not in kept(booking)


def test_changing_or_removing_a_question_later_keeps_the_answers_given(session, asked):
    booking = book(session, "alex@coventry.gov.uk", good_answers(asked))

    questions.change_question(
        question=asked["area"],
        details=QuestionDetails(kind=Kind.ONE_CHOICE, label="Your region", choices=("East", "West")),
        actor=ORGANISER,
    )
    questions.remove_question(question=asked["diet"], actor=ORGANISER)

    assert kept(booking) == EXPECTED
    # The answered question is only hidden: its answers still point to it
    asked["diet"].refresh_from_db()
    assert asked["diet"].removed_at is not None
    assert Answer.objects.get(booking=booking, question_label="Your dietary requirements").question == asked["diet"]
    assert [q.label for q in questions.questions_for(session)][:2] == ["What you hope to learn", "Your region"]
    shown = {answer.label: answer.value for answer in answers_shown(booking)}
    assert shown["Which area you work in"] == "South"
    assert shown["Date you completed Level 3 training"] == "27 March 2025"


def test_a_session_with_its_own_questions_checks_the_answers_against_them(programme, make_session, asked):
    session = make_session()
    questions.ask_own_questions(session=session, own=True, actor=ORGANISER)
    session.refresh_from_db()
    own = questions.add_question(
        programme=programme,
        session=session,
        details=QuestionDetails(kind=Kind.SHORT_TEXT, label="Your school's name"),
        actor=ORGANISER,
    )
    copied = {q.label: q.pk for q in questions.questions_for(session)}

    answers = {copied[label]: good_answers(asked)[asked[key].pk] for key, label in _keys_and_labels(asked)}
    booking = book(session, "alex@coventry.gov.uk", answers | {own.pk: "Whitley Academy"})

    assert kept(booking)["Your school's name"] == ("short_text", "Whitley Academy")
    assert Answer.objects.filter(booking=booking, question__session=session).count() == len(EXPECTED) + 1


def _keys_and_labels(asked):
    return [(key, question.label) for key, question in asked.items()]


@pytest.mark.parametrize(
    ("kind", "label", "required", "not_a_date"),
    [
        (Kind.SHORT_TEXT, "Your dietary requirements", "Enter your dietary requirements", None),
        (Kind.ONE_CHOICE, "Which area you work in", "Select which area you work in", None),
        (Kind.SEVERAL_CHOICES, "DBS check types", "Select DBS check types", None),
        (
            Kind.DATE,
            "Date you completed Level 3 training",
            "Enter the date you completed Level 3 training",
            "Date you completed Level 3 training must be a real date",
        ),
        (
            Kind.DATE,
            "When did you complete Level 3 training?",
            "Enter a date for ‘When did you complete Level 3 training?’",
            "The date for ‘When did you complete Level 3 training?’ must be a real date",
        ),
        (Kind.LONG_TEXT, "What do you hope to learn?", "Enter your answer to ‘What do you hope to learn?’", None),
        (Kind.YES_NO, "I need a parking space", "Select yes or no for I need a parking space", None),
    ],
)
def test_messages_are_written_from_the_questions_wording(kind, label, required, not_a_date):
    messages = messages_for(Question(kind=kind, label=label))

    assert messages.required == required
    if not_a_date:
        assert messages.not_a_date == not_a_date


def test_a_short_answer_with_a_line_break_is_refused_and_a_long_one_keeps_its_lines():
    short = Question(pk=1, kind=Kind.SHORT_TEXT, label="Your job title", required=True)
    long = Question(pk=2, kind=Kind.LONG_TEXT, label="Anything else", required=True)

    with pytest.raises(InvalidAnswers) as refusal:
        check_answers([short, long], {1: "Nurse\nBcc: x@example.org", 2: "Line one\nLine two"})
    assert refusal.value.problems == {"question_1": ["Your job title must not contain special characters"]}
    assert check_answers([long], {2: " Line one\r\nLine two "}) == {2: "Line one\nLine two"}

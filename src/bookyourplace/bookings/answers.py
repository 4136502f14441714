"""Answers to the organiser's own questions (programmes/questions.py), kept with the booking.

Every face books through ``book_place``, which checks the answers here against the questions
the session asks (``programmes.questions.questions_for``) and saves them in the booking's own
transaction. An answer is kept as text, with the question's wording and type as they were
asked: a question changed or removed later leaves the answers already given as they were.

The error messages are written from the question's wording in the GOV.UK style, for the
booking form and for the service alike: a label that names the answer ("Your dietary
requirements") gives "Enter your dietary requirements"; one asked as a question ("Do you
drive?") gives "Select yes or no for ‘Do you drive?’".
"""

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bookyourplace.bookings.attendees import has_control_characters
from bookyourplace.bookings.errors import InvalidAnswers
from bookyourplace.bookings.models import Answer, Booking
from bookyourplace.programmes.models import Question

Kind = Question.Kind
YES, NO = "Yes", "No"
SHORT_MAX_LENGTH = 250
LONG_MAX_LENGTH = 2000
# Answers whose words are the person's own: emptied at retention and erasure. Choices (and a
# yes or no) name no one and are counted in the reports, as feedback keeps its ratings.
FREE_TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT, Kind.DATE)
COUNTED_KINDS = (Kind.ONE_CHOICE, Kind.SEVERAL_CHOICES, Kind.YES_NO)


def field_name(question_id: int) -> str:
    """The booking form's field for a question, and the key of its problems."""
    return f"question_{question_id}"


# --- Messages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerMessages:
    required: str
    invalid_choice: str
    too_long: str
    special_characters: str
    not_a_date: str
    # With "%(parts)s" where the parts of a date left out go ("month", "day and year"), as
    # core.forms.GovukDateField fills it in.
    incomplete_date: str


def max_length(kind: str) -> int:
    return SHORT_MAX_LENGTH if kind == Kind.SHORT_TEXT else LONG_MAX_LENGTH


def _name(label: str) -> str:
    """The label as it reads inside a sentence: "Your dietary requirements" -> "your dietary
    requirements"; an initialism ("DBS number") or "I" stays as it is."""
    text = label.strip().rstrip(".:").strip()
    first = text.split(" ", 1)[0]
    if first == "I" or sum(ch.isupper() for ch in first) > 1:
        return text
    return text[:1].lower() + text[1:]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def messages_for(question: Question) -> AnswerMessages:
    """The question's error messages, in the GOV.UK style."""
    label = question.label.strip()
    kind = question.kind
    most = max_length(kind)
    if label.endswith("?"):
        # A question cannot follow "Enter": the message quotes it instead.
        quoted = {"question": label, "max": most}
        required = {
            Kind.SHORT_TEXT: _("Enter your answer to ‘%(question)s’"),
            Kind.LONG_TEXT: _("Enter your answer to ‘%(question)s’"),
            Kind.ONE_CHOICE: _("Select your answer to ‘%(question)s’"),
            Kind.SEVERAL_CHOICES: _("Select at least one answer to ‘%(question)s’"),
            Kind.YES_NO: _("Select yes or no for ‘%(question)s’"),
            Kind.DATE: _("Enter a date for ‘%(question)s’"),
        }.get(kind, _("Enter your answer to ‘%(question)s’"))
        return AnswerMessages(
            required=required % quoted,
            invalid_choice=_("Select your answer to ‘%(question)s’ from the list") % quoted,
            too_long=_("Your answer to ‘%(question)s’ must be %(max)d characters or fewer") % quoted,
            special_characters=_("Your answer to ‘%(question)s’ must not contain special characters") % quoted,
            not_a_date=_("The date for ‘%(question)s’ must be a real date") % quoted,
            incomplete_date=_("The date for ‘%(question)s’ must include a %%(parts)s") % quoted,
        )
    name = _name(label)
    named = {"name": name, "Name": _sentence(name), "max": most}
    required = {
        Kind.ONE_CHOICE: _("Select %(name)s"),
        Kind.SEVERAL_CHOICES: _("Select %(name)s"),
        Kind.YES_NO: _("Select yes or no for %(name)s"),
    }.get(kind, _("Enter %(name)s"))
    if kind == Kind.DATE and name.startswith("date "):
        # "Enter the date you completed Level 3 training", as GOV.UK words it.
        required = _("Enter the %(name)s")
    return AnswerMessages(
        required=required % named,
        invalid_choice=_("Select %(name)s from the list") % named,
        too_long=_("%(Name)s must be %(max)d characters or fewer") % named,
        special_characters=_("%(Name)s must not contain special characters") % named,
        not_a_date=_("%(Name)s must be a real date") % named,
        incomplete_date=_("%(Name)s must include a %%(parts)s") % named,
    )


# --- Checking -------------------------------------------------------------------------------


def check_answers(questions: Iterable[Question], answers: Mapping[int, str] | None) -> dict[int, str]:
    """Each question's answer as it is kept (text; "" for an optional one left blank), or
    InvalidAnswers with a problem for each answer the form would refuse. Answers to questions
    not asked are left out."""
    answers = answers or {}
    checked: dict[int, str] = {}
    problems: dict[str, list[str]] = {}
    for question in questions:
        try:
            checked[question.pk] = _checked(question, answers.get(question.pk))
        except ValueError as problem:
            problems[field_name(question.pk)] = [str(problem)]
    if problems:
        raise InvalidAnswers(problems)
    return checked


def _checked(question: Question, raw: object) -> str:
    messages = messages_for(question)
    text = "" if raw is None else str(raw)
    kind = question.kind
    if kind == Kind.SHORT_TEXT:
        if has_control_characters(text):
            raise ValueError(messages.special_characters)
        value = text.strip()
    elif kind == Kind.LONG_TEXT:
        value = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        if has_control_characters(value.replace("\n", " ").replace("\t", " ")):
            raise ValueError(messages.special_characters)
    elif kind == Kind.ONE_CHOICE:
        value = text.strip()
        if value and value not in question.choices:
            raise ValueError(messages.invalid_choice)
    elif kind == Kind.SEVERAL_CHOICES:
        chosen = {line.strip() for line in text.splitlines() if line.strip()}
        if chosen - set(question.choices):
            raise ValueError(messages.invalid_choice)
        value = "\n".join(choice for choice in question.choices if choice in chosen)
    elif kind == Kind.YES_NO:
        value = {"yes": YES, "no": NO, "": ""}.get(text.strip().casefold())
        if value is None:
            raise ValueError(messages.invalid_choice)
    else:  # a date, as YYYY-MM-DD
        value = text.strip()
        if value:
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise ValueError(messages.not_a_date) from None
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT) and len(value) > max_length(kind):
        raise ValueError(messages.too_long)
    if question.required and not value:
        raise ValueError(messages.required)
    return value


# --- Keeping --------------------------------------------------------------------------------


def save_answers(*, booking: Booking, questions: Iterable[Question], checked: Mapping[int, str]) -> None:
    """One answer per question asked, with its wording and type as asked (in the booking's
    transaction: the answers exist if and only if the booking does)."""
    Answer.objects.bulk_create(
        [
            Answer(
                booking=booking,
                question=question,
                question_label=question.label,
                question_kind=question.kind,
                value=checked.get(question.pk, ""),
            )
            for question in questions
        ]
    )


def as_date(answer_value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(answer_value)
    except ValueError:
        return None


def shown(kind: str, value: str, *, separator: str = "\n") -> str:
    """An answer as a person reads it: a date written out, several choices one per line (or
    with ``separator``)."""
    if kind == Kind.DATE and (day := as_date(value)) is not None:
        return date_format(day, "j F Y")
    if kind == Kind.SEVERAL_CHOICES:
        return separator.join(value.splitlines())
    return value


@dataclass(frozen=True)
class ShownAnswer:
    label: str
    value: str


def answers_shown(booking: Booking) -> list[ShownAnswer]:
    """The booking's answers as the booking detail page shows them: the question as it was
    asked, and the answer (in the order the questions were asked)."""
    return [
        ShownAnswer(answer.question_label, shown(answer.question_kind, answer.value))
        for answer in booking.answers.order_by("pk")
    ]


# --- Personal data (bookings/personal_data.py) ---------------------------------------------


def empty_free_text(booking_ids: Collection[int]) -> int:
    """Anonymising: the person's own words (text and dates) go; choices stay, for the counts."""
    return (
        Answer.objects.filter(booking_id__in=booking_ids, question_kind__in=FREE_TEXT_KINDS)
        .exclude(value="")
        .update(value="")
    )


def remove_all(booking_ids: Collection[int]) -> int:
    """Erasing a person: every answer they gave goes, choices too."""
    removed, _by_model = Answer.objects.filter(booking_id__in=booking_ids).delete()
    return removed


def held_fields(booking: Booking) -> dict[str, str]:
    """The booking's answers for a subject access export: question as asked -> answer."""
    return {answer.label: answer.value for answer in answers_shown(booking)}

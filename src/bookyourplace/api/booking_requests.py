"""A booking as an API client asks for one, checked with the public booking form's own rules.

The attendee's details go through ``bookings/forms.py: BookingForm`` (the same fields, limits and
messages as the public form, consent included); the answers to the organiser's questions
through ``bookings/answers.py: check_answers``. Every problem is reported at once, each named
as the request names it (``email``, ``answers.12``), as the form shows them all together.
``book_place`` checks everything again and decides the rest (places, the waiting list,
approval, the email address confirmed first).
"""

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field

from bookyourplace.api.problems import answer_problems, field_problem
from bookyourplace.api.schemas import ONE_LINE_PATTERN
from bookyourplace.bookings.answers import check_answers
from bookyourplace.bookings.attendees import AttendeeDetails
from bookyourplace.bookings.errors import InvalidAnswers
from bookyourplace.bookings.forms import BookingForm
from bookyourplace.bookings.models import Sector
from bookyourplace.programmes.models import Question, Session


def _text(description: str, max_length: int, *, one_line: bool = True, email: bool = False, required: bool = True):
    """A text field whose limits are written in the schema and checked by the booking form,
    which words its messages for people (not by the parser, which words them for programmers)."""
    extra: dict = {"maxLength": max_length}
    if required:
        extra["minLength"] = 1
    if one_line:
        extra["pattern"] = ONE_LINE_PATTERN
    if email:
        extra["format"] = "email"
    return Field(... if required else "", description=description, json_schema_extra=extra)


AnswerValue = Annotated[
    str | list[str],
    Field(
        description="Text; yes or no; a date as YYYY-MM-DD; one of the choices; or a list of choices for several_choices."
    ),
]


class NewBooking(BaseModel):
    """A place (or a place on the waiting list) for one person, as the public booking form takes it."""

    first_name: str = _text("First name.", 100)
    last_name: str = _text("Last name.", 100)
    email: str = _text("Their own work email address: the confirmation and joining details go here.", 254, email=True)
    organisation: str = _text("The school, trust, practice or team they work for.", 200)
    sector: Sector = Field(description="The sector they work in.")
    job_title: str = _text("Job title or role.", 200)
    line_manager_email: str = _text(
        "Their line manager's email address, sent a copy of the booking (optional).", 254, email=True, required=False
    )
    access_needs: str = _text(
        "Anything that would help them take part (optional; never given back by the API).",
        1000,
        one_line=False,
        required=False,
    )
    consent: bool = Field(
        description="True: the person agrees to their details being used to manage the booking and report on "
        "attendance, as the privacy notice says. A booking is refused without it.",
        json_schema_extra={"const": True},
    )
    join_waiting_list: bool = Field(
        default=False, description="When the session is full, put them on its waiting list instead of refusing."
    )
    answers: dict[str, AnswerValue] = Field(
        default_factory=dict,
        description="Answers to the session's questions (GET /api/sessions/{id}), by question id.",
        json_schema_extra={"propertyNames": {"pattern": "^[0-9]{1,18}$"}},
    )


@dataclass(frozen=True)
class CheckedBooking:
    attendee: AttendeeDetails
    answers: dict[int, str]
    questions: list[Question]


class Refused(Exception):
    """The request's fields could not be accepted: ``problems`` are the field problems."""

    def __init__(self, problems: list[dict]):
        super().__init__(problems)
        self.problems = problems


def check(payload: NewBooking, *, session: Session, questions: list[Question]) -> CheckedBooking:
    """The attendee and the answers as book_place takes them, or Refused with every problem."""
    data = payload.model_dump(exclude={"answers", "join_waiting_list"})
    data["sector"] = payload.sector.value
    form = BookingForm(data=data, organiser=session.programme.organiser)
    problems = [field_problem(name, message) for name, messages in form.errors.items() for message in messages]
    answers: dict[int, str] = {}
    for key, value in payload.answers.items():
        if not key.isdigit() or len(key) > 18:
            problems.append(field_problem(f"answers.{key}", "This is not the id of a question."))
            continue
        answers[int(key)] = "\n".join(value) if isinstance(value, list) else value
    try:
        check_answers(questions, answers)
    except InvalidAnswers as invalid:
        problems += answer_problems(invalid)
    if problems:
        raise Refused(problems)
    return CheckedBooking(attendee=form.attendee(), answers=answers, questions=questions)

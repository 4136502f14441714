"""Giving feedback: the survey a programme's attendees answer, who may answer it and until
when, and one response per booking, changed in place until the survey closes.

Everyone who attended (fully or partly) may answer, from the session's start until
``open_days`` after its end. Only the overall satisfaction must be answered: one click is
worth having, and every other question may be left blank.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookyourplace.attendance.models import Attendance, Outcome
from bookyourplace.bookings.models import Booking
from bookyourplace.feedback import errors
from bookyourplace.feedback.models import DEFAULT_OPEN_DAYS, Answer, Kind, Question, Response, Role, Scale, Survey
from bookyourplace.programmes.models import Programme, Session

CAME = (Outcome.ATTENDED, Outcome.PARTLY_ATTENDED)
TEXT_MAX_LENGTH = 2000

# The five points of each scale, 1 first: what the radios say.
SCALE_LABELS = {
    Scale.SATISFACTION: (
        _("Very dissatisfied"),
        _("Dissatisfied"),
        _("Neither satisfied nor dissatisfied"),
        _("Satisfied"),
        _("Very satisfied"),
    ),
    Scale.CONFIDENCE: (
        _("Not at all confident"),
        _("Slightly confident"),
        _("Fairly confident"),
        _("Confident"),
        _("Very confident"),
    ),
    Scale.AGREEMENT: (
        _("Strongly disagree"),
        _("Disagree"),
        _("Neither agree nor disagree"),
        _("Agree"),
        _("Strongly agree"),
    ),
}

# The survey a programme starts with (issue 13, point 5).
DEFAULT_QUESTIONS = (
    (Kind.RATING, Scale.SATISFACTION, Role.SATISFACTION, _("Overall, how satisfied were you with this session?")),
    (
        Kind.RATING,
        Scale.CONFIDENCE,
        Role.CONFIDENCE_BEFORE,
        _("How confident were you, before this session, in recognising signs of radicalisation?"),
    ),
    (
        Kind.RATING,
        Scale.CONFIDENCE,
        Role.CONFIDENCE_AFTER,
        _("How confident are you now, after this session, in recognising signs of radicalisation?"),
    ),
    (Kind.TEXT, "", Role.NONE, _("What was most useful?")),
    (Kind.TEXT, "", Role.NONE, _("What could be better?")),
)


def survey_for(programme: Programme) -> Survey:
    """The programme's survey, made with the usual questions the first time it is needed."""
    survey = Survey.objects.filter(programme=programme).first()
    if survey is not None:
        return survey
    try:
        with transaction.atomic():
            survey = Survey.objects.create(programme=programme, open_days=DEFAULT_OPEN_DAYS)
            Question.objects.bulk_create(
                Question(survey=survey, position=position, kind=kind, scale=scale, role=role, text=str(text))
                for position, (kind, scale, role, text) in enumerate(DEFAULT_QUESTIONS, start=1)
            )
    except IntegrityError:
        # Made by another request meanwhile (two attendees opening the survey at once).
        return Survey.objects.get(programme=programme)
    return survey


def questions_of(survey: Survey) -> list[Question]:
    """The questions on the survey now, in order (removed ones are not)."""
    return list(survey.questions.filter(removed_at__isnull=True).order_by("position", "id"))


def open_days_of(programme: Programme) -> int:
    """How long the programme's survey stays open, without making one just to ask."""
    days = Survey.objects.filter(programme=programme).values_list("open_days", flat=True).first()
    return days or DEFAULT_OPEN_DAYS


def closes_at(session: Session, *, open_days: int | None = None) -> datetime:
    if open_days is None:
        open_days = open_days_of(session.programme)
    return session.ends_at + timedelta(days=open_days)


def is_open(session: Session, *, now: datetime | None = None, open_days: int | None = None) -> bool:
    now = now or timezone.now()
    return session.starts_at <= now < closes_at(session, open_days=open_days)


def attended(booking: Booking) -> bool:
    """Did this confirmed booking's attendee come (fully or partly), as marked so far?"""
    return booking.is_confirmed and Attendance.objects.filter(booking_id=booking.pk, outcome__in=CAME).exists()


def check_may_answer(booking: Booking, *, now: datetime | None = None) -> None:
    """Refuse with the reason, unless this booking's attendee may answer the survey now."""
    now = now or timezone.now()
    session = booking.session
    if session.is_cancelled or not attended(booking):
        raise errors.NotAttended()
    if now < session.starts_at:
        raise errors.SurveyNotOpen()
    if now >= closes_at(session):
        raise errors.SurveyClosed()


@dataclass(frozen=True)
class SurveyState:
    """What the survey page needs to know about one booking."""

    may_answer: bool
    refusal: errors.DomainError | None
    given: bool
    closes_at: datetime


def state_for(booking: Booking, *, now: datetime | None = None) -> SurveyState:
    try:
        check_may_answer(booking, now=now)
    except errors.DomainError as refusal:
        return SurveyState(False, refusal, has_given_feedback(booking), closes_at(booking.session))
    return SurveyState(True, None, has_given_feedback(booking), closes_at(booking.session))


def answers_of(booking: Booking) -> dict[int, int | str]:
    """The answers this booking gave, by question id: to fill the form in again."""
    return {
        question_id: rating if rating is not None else text
        for question_id, rating, text in Answer.objects.filter(response__booking_id=booking.pk).values_list(
            "question_id", "rating", "text"
        )
    }


def _clean_answer(question: Question, value) -> int | str | None:
    field = f"q{question.pk}"
    if value in (None, ""):
        if question.role == Role.SATISFACTION:
            raise errors.InvalidAnswer(_("Select how satisfied you were with the session"), field=field)
        return None
    if question.kind == Kind.RATING:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise errors.InvalidAnswer(_("Select one of the five answers"), field=field)
        return rating
    text = str(value).replace("\x00", "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise errors.InvalidAnswer(
            _("Your answer must be %(max)s characters or fewer") % {"max": TEXT_MAX_LENGTH}, field=field
        )
    return text or None


def give_feedback(*, booking: Booking, answers: Mapping[int, object], now: datetime | None = None) -> Response:
    """Keep this booking's answers (question id -> rating or text), replacing any given before.

    One response per booking: answering again changes it, until the survey closes."""
    now = now or timezone.now()
    check_may_answer(booking, now=now)
    survey = survey_for(booking.session.programme)
    questions = questions_of(survey)
    cleaned = {question: _clean_answer(question, answers.get(question.pk)) for question in questions}
    with transaction.atomic():
        # Locks the booking's row: two submits at once keep one response, the later one's answers.
        Booking.objects.select_for_update().filter(pk=booking.pk).exists()
        response = Response.objects.filter(booking_id=booking.pk).first()
        if response is None:
            response = Response.objects.create(
                booking_id=booking.pk, session_id=booking.session_id, submitted_at=now, changed_at=now
            )
        else:
            response.changed_at = now
            response.save(update_fields=["changed_at"])
        # Answers to the questions on the survey now are replaced; those to removed ones stay.
        Answer.objects.filter(response=response, question__in=questions).delete()
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=question,
                rating=value if question.kind == Kind.RATING else None,
                text=value if question.kind == Kind.TEXT else "",
                wording=question.text,
            )
            for question, value in cleaned.items()
            if value is not None
        )
    return response


def has_given_feedback(booking: Booking) -> bool:
    return Response.objects.filter(booking_id=booking.pk).exists()


def bookings_with_feedback(booking_ids: Iterable[int]) -> set[int]:
    """Which of these bookings have given feedback (one query)."""
    return set(Response.objects.filter(booking_id__in=list(booking_ids)).values_list("booking_id", flat=True))


def open_surveys(bookings: Iterable[Booking], *, now: datetime | None = None) -> set[int]:
    """Of these bookings, those whose attendee may answer the survey now and has not yet: the
    open feedback requests on a person's list of bookings, in three queries whatever their
    number (the rule of ``check_may_answer``). The bookings need their session loaded."""
    now = now or timezone.now()
    started = [b for b in bookings if b.is_confirmed and not b.session.is_cancelled and b.session.starts_at <= now]
    if not started:
        return set()
    ids = [b.pk for b in started]
    came = set(Attendance.objects.filter(booking_id__in=ids, outcome__in=CAME).values_list("booking_id", flat=True))
    given = bookings_with_feedback(ids)
    days = dict(
        Survey.objects.filter(programme_id__in={b.session.programme_id for b in started}).values_list(
            "programme_id", "open_days"
        )
    )
    return {
        b.pk
        for b in started
        if b.pk in came
        and b.pk not in given
        and now < closes_at(b.session, open_days=days.get(b.session.programme_id) or DEFAULT_OPEN_DAYS)
    }

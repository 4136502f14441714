"""What attendees said, for the organisers: per session and per programme, counted and
averaged in the database (a constant number of queries however many responded), and the rows
of the CSV export.

"Asked" is everyone sent the feedback email, plus anyone who answered from their manage page
before it went; "answered" is the responses. Comments are shown without names; the CSV
names people only for those allowed to export personal data.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bookyourplace.bookings.models import Booking
from bookyourplace.feedback.models import Answer, FeedbackRequest, Kind, Question, Response, Role, Survey
from bookyourplace.feedback.services import SCALE_LABELS, survey_for
from bookyourplace.programmes.models import Programme, Session

RATINGS = range(1, 6)


@dataclass(frozen=True)
class Point:
    value: int
    label: str
    count: int
    percent: int


@dataclass
class RatingResult:
    question: Question
    answered: int = 0
    average: float | None = None
    points: list[Point] = field(default_factory=list)


@dataclass
class TextResult:
    question: Question
    comments: list[str] = field(default_factory=list)


@dataclass
class Confidence:
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def change_shown(self) -> str:
        """The change with its sign, as organisers read it: "+1.5", "-0.3", "0.0"."""
        change = self.change
        if change is None:
            return ""
        return f"{change:+.1f}" if round(change, 1) else "0.0"


def _rate(answered: int, asked: int) -> int | None:
    return round(100 * answered / asked) if asked else None


@dataclass
class SessionResults:
    session: Session
    asked: int
    answered: int
    ratings: list[RatingResult]
    texts: list[TextResult]

    @property
    def response_rate(self) -> int | None:
        return _rate(self.answered, self.asked)

    def _rating(self, role: str) -> RatingResult | None:
        return next((r for r in self.ratings if r.question.role == role), None)

    @property
    def satisfaction(self) -> RatingResult | None:
        return self._rating(Role.SATISFACTION)

    @property
    def confidence(self) -> Confidence:
        before, after = self._rating(Role.CONFIDENCE_BEFORE), self._rating(Role.CONFIDENCE_AFTER)
        return Confidence(before.average if before else None, after.average if after else None)


def _asked(sessions_filter: Q) -> QuerySet[Booking]:
    asked = FeedbackRequest.objects.filter(booking_id=OuterRef("pk"))
    answered = Response.objects.filter(booking_id=OuterRef("pk"))
    return Booking.objects.filter(sessions_filter).filter(Q(Exists(asked)) | Q(Exists(answered)))


def _points(question: Question, counts: dict[int, int], answered: int) -> list[Point]:
    labels = SCALE_LABELS.get(question.scale, ("1", "2", "3", "4", "5"))
    return [
        Point(value, str(labels[value - 1]), counts.get(value, 0), _rate(counts.get(value, 0), answered) or 0)
        for value in RATINGS
    ]


def _shown_questions(survey: Survey, answered_ids: set[int]) -> list[Question]:
    """The survey's questions, and removed ones that these answers answered."""
    return [q for q in survey.questions.order_by("position", "id") if q.removed_at is None or q.pk in answered_ids]


def session_results(session: Session) -> SessionResults:
    survey = survey_for(session.programme)
    answers = Answer.objects.filter(response__session=session)
    averages = {
        row["question_id"]: row
        for row in answers.filter(rating__isnull=False).values("question_id").annotate(n=Count("id"), avg=Avg("rating"))
    }
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in answers.filter(rating__isnull=False).values("question_id", "rating").annotate(n=Count("id")):
        counts[row["question_id"]][row["rating"]] = row["n"]
    comments: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (
        answers.exclude(text="").order_by("response__submitted_at", "pk").values_list("question_id", "text")
    ):
        comments[question_id].append(text)
    ratings, texts = [], []
    for question in _shown_questions(survey, set(averages) | set(comments)):
        if question.kind == Kind.RATING:
            row = averages.get(question.pk, {"n": 0, "avg": None})
            ratings.append(
                RatingResult(question, row["n"], row["avg"], _points(question, counts[question.pk], row["n"]))
            )
        else:
            texts.append(TextResult(question, comments[question.pk]))
    return SessionResults(
        session=session,
        asked=_asked(Q(session=session)).count(),
        answered=Response.objects.filter(session=session).count(),
        ratings=ratings,
        texts=texts,
    )


@dataclass
class SessionRow:
    session: Session
    asked: int
    answered: int
    satisfaction: float | None
    confidence: Confidence

    @property
    def response_rate(self) -> int | None:
        return _rate(self.answered, self.asked)


@dataclass
class ProgrammeResults:
    programme: Programme
    rows: list[SessionRow]
    total: SessionRow
    satisfaction: RatingResult | None


ROLES = (Role.SATISFACTION, Role.CONFIDENCE_BEFORE, Role.CONFIDENCE_AFTER)


def programme_results(programme: Programme) -> ProgrammeResults:
    """A row per session (those that have begun, or have answers), and the programme's totals."""
    survey = survey_for(programme)
    asked = _asked(Q(session=OuterRef("pk"))).order_by().values("session").annotate(n=Count("pk")).values("n")
    answered = (
        Response.objects.filter(session=OuterRef("pk")).order_by().values("session").annotate(n=Count("pk")).values("n")
    )
    sessions = list(
        Session.objects.filter(programme=programme)
        .annotate(asked=Coalesce(Subquery(asked), 0), answered=Coalesce(Subquery(answered), 0))
        .filter(Q(asked__gt=0) | Q(answered__gt=0))
        .select_related("programme")
        .order_by("starts_at", "pk")
    )
    role_answers = Answer.objects.filter(
        response__session__programme=programme, question__survey=survey, question__role__in=ROLES, rating__isnull=False
    )
    by_session: dict[tuple[int, str], float] = {
        (row["response__session_id"], row["question__role"]): row["avg"]
        for row in role_answers.values("response__session_id", "question__role").annotate(avg=Avg("rating"))
    }
    overall = {
        row["question__role"]: row["avg"] for row in role_answers.values("question__role").annotate(avg=Avg("rating"))
    }
    rows = [
        SessionRow(
            session=s,
            asked=s.asked,
            answered=s.answered,
            satisfaction=by_session.get((s.pk, Role.SATISFACTION)),
            confidence=Confidence(
                by_session.get((s.pk, Role.CONFIDENCE_BEFORE)), by_session.get((s.pk, Role.CONFIDENCE_AFTER))
            ),
        )
        for s in sessions
    ]
    total = SessionRow(
        session=None,
        asked=sum(r.asked for r in rows),
        answered=sum(r.answered for r in rows),
        satisfaction=overall.get(Role.SATISFACTION),
        confidence=Confidence(overall.get(Role.CONFIDENCE_BEFORE), overall.get(Role.CONFIDENCE_AFTER)),
    )
    satisfaction = None
    question = survey.questions.filter(role=Role.SATISFACTION).first()
    if question is not None:
        counts = dict(
            Answer.objects.filter(response__session__programme=programme, question=question, rating__isnull=False)
            .values_list("rating")
            .annotate(n=Count("id"))
            .values_list("rating", "n")
        )
        n = sum(counts.values())
        satisfaction = RatingResult(question, n, overall.get(Role.SATISFACTION), _points(question, counts, n))
    return ProgrammeResults(programme=programme, rows=rows, total=total, satisfaction=satisfaction)


# --- The CSV export ---------------------------------------------------------------------------


def export_rows(*, programme: Programme, session: Session | None = None, with_names: bool) -> Iterator[list]:
    """The header, then one row per response: the session, who (only ``with_names``), when,
    and an answer per question. Plain values; the face writes them out (formulas neutralised)."""
    survey = survey_for(programme)
    responses = Response.objects.filter(session__programme=programme)
    if session is not None:
        responses = responses.filter(session=session)
    answers: dict[int, dict[int, object]] = defaultdict(dict)
    for response_id, question_id, rating, text in Answer.objects.filter(response__in=responses).values_list(
        "response_id", "question_id", "rating", "text"
    ):
        answers[response_id][question_id] = rating if rating is not None else text
    answered_ids = {question_id for by_question in answers.values() for question_id in by_question}
    questions = _shown_questions(survey, answered_ids)
    header = [_("Session"), _("Session date")]
    if with_names:
        header += [_("Reference"), _("First name"), _("Last name"), _("Email"), _("Organisation")]
    header += [_("Given on"), _("Last changed")]
    header += [q.text + (" " + _("(removed)") if q.removed_at else "") for q in questions]
    yield header
    tz = programme.tz
    columns = ["pk", "session__title", "session__starts_at", "submitted_at", "changed_at"]
    if with_names:
        columns += [
            "booking__reference",
            "booking__first_name",
            "booking__last_name",
            "booking__email",
            "booking__organisation",
        ]
    # Without names, no order that could be matched to a register or a sign-in time.
    ordering = (
        ("session__starts_at", "session_id", "submitted_at", "pk")
        if with_names
        else ("session__starts_at", "session_id", "pk")
    )
    for values in responses.order_by(*ordering).values_list(*columns):
        response_id, title, starts_at, submitted_at, changed_at, *who = values
        row: list = [title, starts_at.astimezone(tz).date()]
        row += who
        row += [_local(submitted_at, tz, with_names), _local(changed_at, tz, with_names)]
        row += [answers[response_id].get(q.pk, "") for q in questions]
        yield row


def _local(moment: dt.datetime, tz, with_time: bool):
    local = moment.astimezone(tz)
    return local.replace(tzinfo=None, second=0, microsecond=0) if with_time else local.date()

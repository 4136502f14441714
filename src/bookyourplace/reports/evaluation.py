"""Did it help? Feedback across sessions and sectors, and the Prevent evaluation summary.

Feedback is read from the feedback app's records (its questions' roles say which answer is
the satisfaction and which the confidence before and after), counted and averaged in the
database: a fixed handful of queries whatever the number of responses (who was asked and who
answered come from reports/counts.py; the ratings are summed and counted in one more query and
added up here for sessions, sectors and the whole report).

- **Asked**: sent the feedback email, or answered before it went (as ``feedback.results``
  counts it); **answered**: gave a response; the response rate is one over the other.
- **Confidence before and after** are the averages of each answer (1 to 5); the **uplift** is
  after minus before.
- **The comments most often made**: short comments (up to 80 characters) grouped once
  lower-cased and stripped of punctuation and the spaces around them, so "Too short." and
  "too short" are one; the five most frequent, with how many made each; and the latest
  few longer comments as they were written.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Min, QuerySet, Sum, TextField, Value
from django.db.models.functions import Length, Lower, Replace, Trim
from django.utils import timezone

from bookyourplace.bookings.models import Sector
from bookyourplace.feedback.models import Answer, Kind, Role, Scale
from bookyourplace.feedback.results import Confidence
from bookyourplace.feedback.services import SCALE_LABELS
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.attendance_rates import Outcomes, attendance_rates
from bookyourplace.reports.audience import CAME, confirmed_bookings
from bookyourplace.reports.counts import BookingCounts, Counts, booking_counts
from bookyourplace.reports.filters import ReportFilter, sessions_in
from bookyourplace.reports.tables import percent

ROLES = (Role.SATISFACTION, Role.CONFIDENCE_BEFORE, Role.CONFIDENCE_AFTER)
SHORT_COMMENT = 80
COMMON_COMMENTS = 5
RECENT_LONG_COMMENTS = 3
# Taken out before short comments are compared: "Too short." is "too short".
PUNCTUATION = ".,!?;:'\"’‘“”()-–…"


@dataclass(frozen=True)
class FeedbackRow:
    label: str
    asked: int
    answered: int
    satisfaction: float | None
    # How many gave a satisfaction rating, and a confidence rating (the fewer of before and after).
    satisfaction_answers: int
    confidence: Confidence
    confidence_answers: int
    session_id: int | None = None
    sector: str = ""
    starts_at: dt.datetime | None = None
    time_zone: str = ""

    @property
    def response_rate(self) -> int | None:
        return percent(self.answered, self.asked)

    @property
    def uplift(self) -> float | None:
        return self.confidence.change

    @property
    def local_start(self) -> dt.datetime | None:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone)) if self.starts_at else None


@dataclass(frozen=True)
class RatingCount:
    value: int
    label: str
    count: int


@dataclass(frozen=True)
class Evaluation:
    sessions: list[FeedbackRow]
    sectors: list[FeedbackRow]
    total: FeedbackRow
    satisfaction: list[RatingCount] = field(default_factory=list)


def _averages(report_filter: ReportFilter, allowed: QuerySet[Programme]) -> dict[tuple, dict]:
    """{(session id, sector, role): {"sum": .., "n": ..}} over the rating answers of the three
    roles: one query, added up below for sessions, sectors and the whole report."""
    answers = Answer.objects.filter(
        report_filter.booking_q(allowed, prefix="response__booking__"),
        question__role__in=ROLES,
        rating__isnull=False,
    ).order_by()
    return {
        (row["response__session_id"], row["response__booking__sector"], row["question__role"]): row
        for row in answers.values("response__session_id", "response__booking__sector", "question__role").annotate(
            sum=Sum("rating"), n=Count("pk")
        )
    }


def _added(averages: dict[tuple, dict], position: int | None) -> dict[tuple, dict]:
    """The sums and counts by (session or sector, role), or by role alone (``position`` None)."""
    added: dict[tuple, dict] = {}
    for key, row in averages.items():
        to = (key[position], key[2]) if position is not None else (key[2],)
        into = added.setdefault(to, {"sum": 0, "n": 0})
        into["sum"] += row["sum"]
        into["n"] += row["n"]
    return added


def _row(label: str, counts: Counts, averages: dict, key: tuple, **where) -> FeedbackRow:
    def avg(role):
        row = averages.get((*key, role))
        return row["sum"] / row["n"] if row and row["n"] else None

    def n(role):
        return averages.get((*key, role), {}).get("n", 0)

    return FeedbackRow(
        label=label,
        asked=counts.asked,
        answered=counts.answered,
        satisfaction=avg(Role.SATISFACTION),
        satisfaction_answers=n(Role.SATISFACTION),
        confidence=Confidence(avg(Role.CONFIDENCE_BEFORE), avg(Role.CONFIDENCE_AFTER)),
        confidence_answers=min(n(Role.CONFIDENCE_BEFORE), n(Role.CONFIDENCE_AFTER)),
        **where,
    )


def evaluation(
    report_filter: ReportFilter,
    allowed: QuerySet[Programme],
    *,
    now: dt.datetime | None = None,
    counts: BookingCounts | None = None,
) -> Evaluation:
    if counts is None:
        counts = booking_counts(report_filter, allowed, now=now or timezone.now())
    averages = _averages(report_filter, allowed)
    by_session, by_sector = counts.by_session(), counts.by_sector()

    # Per session: those with anyone asked or answering, in date order.
    asked_or_answered = [pk for pk, c in by_session.items() if c.asked or c.answered]
    session_averages = _added(averages, 0)
    sessions = [
        _row(
            s["title"],
            by_session[s["pk"]],
            session_averages,
            (s["pk"],),
            session_id=s["pk"],
            starts_at=s["starts_at"],
            time_zone=s["programme__time_zone"],
        )
        for s in sessions_in(report_filter, allowed)
        .filter(pk__in=asked_or_answered)
        .order_by("starts_at", "pk")
        .values("pk", "title", "starts_at", "programme__time_zone")
    ]

    labels = dict(Sector.choices)
    sector_averages = _added(averages, 1)
    sectors = sorted(
        (
            _row(str(labels.get(sector, sector)), c, sector_averages, (sector,), sector=sector)
            for sector, c in by_sector.items()
            if c.asked or c.answered
        ),
        key=lambda row: (-row.answered, row.label),
    )
    total = _row("", counts.total(), _added(averages, None), ())

    ratings = dict(
        Answer.objects.filter(
            report_filter.booking_q(allowed, prefix="response__booking__"),
            question__role=Role.SATISFACTION,
            rating__isnull=False,
        )
        .order_by()
        .values("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    scale = SCALE_LABELS[Scale.SATISFACTION]
    satisfaction = [RatingCount(value, str(scale[value - 1]), ratings.get(value, 0)) for value in range(1, 6)]
    return Evaluation(sessions=sessions, sectors=sectors, total=total, satisfaction=satisfaction)


# --- Comments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    text: str
    count: int


def _comparable(expression):
    """The comment lower-cased, without punctuation or the spaces around it."""
    for mark in PUNCTUATION:
        expression = Replace(expression, Value(mark), Value(""), output_field=TextField())
    return Trim(expression)


def _comments(report_filter: ReportFilter, allowed: QuerySet[Programme]) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(report_filter.booking_q(allowed, prefix="response__booking__"), question__kind=Kind.TEXT)
        .annotate(length=Length(Trim("text")))
        .filter(length__gt=0)
        .order_by()
    )


def common_comments(
    report_filter: ReportFilter, allowed: QuerySet[Programme], *, top: int = COMMON_COMMENTS
) -> list[Comment]:
    rows = (
        _comments(report_filter, allowed)
        .filter(length__lte=SHORT_COMMENT)
        .annotate(key=_comparable(Lower(Trim("text"))))
        .exclude(key="")
        .values("key")
        .annotate(shown=Min(Trim("text")), n=Count("pk"))
        .order_by("-n", "key")[:top]
    )
    return [Comment(_tidy(row["shown"]), row["n"]) for row in rows]


def _tidy(text: str) -> str:
    """One of the group's wordings, as a sentence: "too short!" -> "Too short"."""
    text = text.strip().rstrip(".!?…;:,").strip()
    return text[:1].upper() + text[1:]


def recent_long_comments(
    report_filter: ReportFilter, allowed: QuerySet[Programme], *, limit: int = RECENT_LONG_COMMENTS
) -> list[str]:
    return list(
        _comments(report_filter, allowed)
        .filter(length__gt=SHORT_COMMENT)
        .order_by("-response__submitted_at", "-pk")
        .values_list("text", flat=True)[:limit]
    )


# --- The Prevent evaluation summary -----------------------------------------------------------


@dataclass(frozen=True)
class SectorSummary:
    label: str
    people_trained: int
    outcomes: Outcomes
    confidence: Confidence
    confidence_answers: int


@dataclass(frozen=True)
class PreventSummary:
    report_filter: ReportFilter
    sessions: int
    people_trained: int
    organisations: int
    outcomes: Outcomes
    sectors: list[SectorSummary]
    feedback: FeedbackRow
    common_comments: list[Comment]
    recent_comments: list[str]


def prevent_summary(
    report_filter: ReportFilter, allowed: QuerySet[Programme], *, now: dt.datetime | None = None
) -> PreventSummary:
    """For the Prevent board: how many were trained, from which sectors, did they come, did it
    help (confidence before and after), and what they said most often."""
    now = now or timezone.now()
    came = confirmed_bookings(report_filter, allowed).filter(CAME)
    people = {row["sector"]: row["n"] for row in came.values("sector").annotate(n=Count("email", distinct=True))}
    totals = came.aggregate(
        people=Count("email", distinct=True), organisations=Count(Lower(Trim("organisation")), distinct=True)
    )
    counts = booking_counts(report_filter, allowed, now=now)
    rates = attendance_rates(report_filter, allowed, now=now, counts=counts)
    feedback = evaluation(report_filter, allowed, counts=counts)
    feedback_by_sector = {row.sector: row for row in feedback.sectors}
    sectors = []
    for sector in rates.sectors:
        row = feedback_by_sector.get(sector.sector)
        sectors.append(
            SectorSummary(
                label=sector.label,
                people_trained=people.get(sector.sector, 0),
                outcomes=sector.outcomes,
                confidence=row.confidence if row else Confidence(None, None),
                confidence_answers=row.confidence_answers if row else 0,
            )
        )
    return PreventSummary(
        report_filter=report_filter,
        sessions=sessions_in(report_filter, allowed).filter(starts_at__lte=now).count(),
        people_trained=totals["people"],
        organisations=totals["organisations"],
        outcomes=rates.total,
        sectors=sectors,
        feedback=feedback.total,
        common_comments=common_comments(report_filter, allowed),
        recent_comments=recent_long_comments(report_filter, allowed),
    )

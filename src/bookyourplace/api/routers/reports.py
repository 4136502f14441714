"""Figures, with a read:reports token, about the token's organiser's programmes only.

- Feedback summaries of a programme or a session: feedback/results.py, the numbers the
  back office's results pages show (asked, answered, averages); never a comment's words.
- Report figures: the back office's report (reports/report.py: build_report, over
  reports/filters.py's filter, bounded by the token's programmes), table by table, as the report
  is exported: counts of fewer than 5 people held back (reports/small_numbers.py).
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Path, Query, Router, Schema
from pydantic import Field

from bookyourplace.accounts.models import ApiScope
from bookyourplace.api.auth import needs
from bookyourplace.api.problems import Problem, field_problem, invalid
from bookyourplace.api.schemas import ONE_LINE_PATTERN, Day, Id, Slug
from bookyourplace.api.scoping import programme_of_token, programmes_of, session_of_token
from bookyourplace.bookings.models import Sector
from bookyourplace.feedback.results import Confidence, RatingResult, programme_results, session_results
from bookyourplace.programmes.models import Session
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.report import build_report
from bookyourplace.reports.tables import Table

router = Router(tags=["Feedback and reports"])


# --- Feedback --------------------------------------------------------------------------------------


class Point(Schema):
    value: int = Field(description="1 to 5.")
    label: str
    count: int
    percent: int


class Rating(Schema):
    question: str
    role: str = Field(description="satisfaction, confidence_before, confidence_after, or empty for another question.")
    answered: int
    average: float | None
    points: list[Point]


class ConfidenceOut(Schema):
    before: float | None
    after: float | None
    change: float | None


class SessionFeedback(Schema):
    session_id: int
    title: str
    starts_at: datetime
    asked: int = Field(description="Sent the feedback request (or answered before it went).")
    answered: int
    response_rate: int | None = Field(description="Per cent of those asked who answered.")
    ratings: list[Rating]
    comments: int = Field(description="How many written comments were given (their words are not in the API).")


class SessionRow(Schema):
    session_id: int | None
    title: str
    starts_at: datetime | None
    asked: int
    answered: int
    response_rate: int | None
    satisfaction: float | None
    confidence: ConfidenceOut


class ProgrammeFeedback(Schema):
    programme: str
    sessions: list[SessionRow] = Field(description="The sessions that have begun or have answers.")
    total: SessionRow
    satisfaction: Rating | None


def _rating(result: RatingResult) -> dict:
    return {
        "question": result.question.text,
        "role": result.question.role,
        "answered": result.answered,
        "average": result.average,
        "points": [{"value": p.value, "label": p.label, "count": p.count, "percent": p.percent} for p in result.points],
    }


def _confidence(confidence: Confidence) -> dict:
    return {"before": confidence.before, "after": confidence.after, "change": confidence.change}


def _row(row) -> dict:
    session = row.session
    return {
        "session_id": session.pk if session is not None else None,
        "title": session.title if session is not None else "All sessions",
        "starts_at": session.starts_at if session is not None else None,
        "asked": row.asked,
        "answered": row.answered,
        "response_rate": row.response_rate,
        "satisfaction": row.satisfaction,
        "confidence": _confidence(row.confidence),
    }


@router.get(
    "/programmes/{slug}/feedback",
    response={200: ProgrammeFeedback, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="Feedback summary of a programme",
    **needs(ApiScope.READ_REPORTS),
)
def programme_feedback(request, slug: Path[Slug]):
    """Per session and in total: how many were asked and answered, satisfaction and confidence before and after."""
    results = programme_results(programme_of_token(request, slug))
    return {
        "programme": results.programme.slug,
        "sessions": [_row(row) for row in results.rows],
        "total": _row(results.total),
        "satisfaction": _rating(results.satisfaction) if results.satisfaction is not None else None,
    }


@router.get(
    "/sessions/{session_id}/feedback",
    response={200: SessionFeedback, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="Feedback summary of a session",
    **needs(ApiScope.READ_REPORTS),
)
def session_feedback(request, session_id: Path[Id]):
    """Each rating question's answers counted and averaged; how many comments were written."""
    session = session_of_token(request, session_id)
    results = session_results(session)
    return {
        "session_id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at,
        "asked": results.asked,
        "answered": results.answered,
        "response_rate": results.response_rate,
        "ratings": [_rating(r) for r in results.ratings],
        "comments": sum(len(t.comments) for t in results.texts),
    }


# --- Report figures -------------------------------------------------------------------------------------


class ReportQuery(Schema):
    date_from: Day | None = Field(default=None, description="Sessions starting on or after this day (UK time).")
    date_to: Day | None = Field(default=None, description="Sessions starting on or before this day (UK time).")
    programme: Slug | None = Field(default=None, description="Only this programme (its slug).")
    session: Id | None = Field(default=None, description="Only this session (its id).")
    sector: Sector | None = Field(default=None, description="Only people of this sector.")
    organisation: str | None = Field(
        default=None,
        max_length=200,
        pattern=ONE_LINE_PATTERN,
        description="Only people whose organisation's name contains this.",
    )
    delivery: Literal[tuple(Session.Delivery.values)] | None = Field(
        default=None, description="Only online or in-person sessions."
    )


Cell = Annotated[
    int | float | str | None,
    Field(
        description='A number; "fewer than 5" where a count is held back; "–" where there is nothing to show; or text.'
    ),
]


class Column(Schema):
    header: str
    kind: str = Field(description="text, count, places, rate (per cent), average or change.")


class TableOut(Schema):
    slug: str
    title: str
    note: str
    columns: list[Column]
    rows: list[list[Cell]]
    total: list[Cell] | None


class SectionOut(Schema):
    slug: str
    title: str
    tables: list[TableOut]


class Report(Schema):
    made_at: datetime
    small_numbers_held_back: bool = Field(description="Always true: counts of 1 to 4 people read “fewer than 5”.")
    sections: list[SectionOut]


def _cell(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    return str(value)


def _table(table: Table) -> dict:
    visible = table.visible
    return {
        "slug": table.slug,
        "title": str(table.title),
        "note": str(table.note),
        "columns": [{"header": str(c.header), "kind": c.kind} for c in table.headers],
        "rows": [[_cell(table.value(row, i)) for i in visible] for row in table.rows],
        "total": [_cell(table.value(table.total, i)) for i in visible] if table.total is not None else None,
    }


@router.get(
    "/reports",
    response={200: Report, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="Report figures",
    **needs(ApiScope.READ_REPORTS),
)
def report(request, query: Query[ReportQuery]):
    """The back office's report: uptake, unmet demand, cancellations, attendance, the audience,
    feedback and the answers to the organiser's questions, table by table, for the sessions the
    filter picks among your organiser's programmes."""
    allowed = programmes_of(request)
    programme_ids: tuple[int, ...] = ()
    if query.programme:
        programme_ids = (programme_of_token(request, query.programme).pk,)
    if query.session is not None:
        session_of_token(request, query.session)
    if query.date_from and query.date_to and query.date_to < query.date_from:
        return invalid([field_problem("date_to", "The end date must be the same as or after the start date.", "query")])
    built = build_report(
        ReportFilter(
            date_from=query.date_from,
            date_to=query.date_to,
            programme_ids=programme_ids,
            session_id=query.session,
            sector=query.sector.value if query.sector else "",
            organisation=query.organisation or "",
            delivery=query.delivery or "",
        ),
        allowed,
        suppress=True,
    )
    return {
        "made_at": built.made_at,
        "small_numbers_held_back": built.suppressed,
        "sections": [
            {"slug": s.slug, "title": str(s.title), "tables": [_table(t) for t in s.tables]} for s in built.sections
        ],
    }

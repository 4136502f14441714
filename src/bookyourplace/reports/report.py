"""The whole report, section by section: its figures as tables and charts, for the page, the
downloads and the printed PDF alike.

``build_report`` asks each figure module once (a fixed number of queries) and lays the answers
out; ``suppress`` holds back small numbers (reports/small_numbers.py) in the tables and in the
charts drawn from them, as anything exported or printed must, and as viewers see the page.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.programmes.models import Programme
from bookyourplace.reports import charts
from bookyourplace.reports.attendance_rates import AttendanceRates, attendance_rates
from bookyourplace.reports.audience import AccessNeeds, Audience, access_needs, audience
from bookyourplace.reports.booking_questions import QuestionCounts, question_counts
from bookyourplace.reports.counts import booking_counts
from bookyourplace.reports.evaluation import Evaluation, FeedbackRow, PreventSummary, evaluation
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.small_numbers import is_small
from bookyourplace.reports.tables import (
    AVERAGE,
    CHANGE,
    COUNT,
    LEFT_OUT,
    PLACES,
    RATE,
    TEXT,
    Column,
    Section,
    Table,
    shown_figure,
)
from bookyourplace.reports.uptake import Uptake, uptake


@dataclass(frozen=True)
class Figures:
    uptake: Uptake
    attendance: AttendanceRates
    audience: Audience
    access_needs: AccessNeeds
    evaluation: Evaluation
    # The organiser's own questions, counted (a report about one programme only).
    questions: list[QuestionCounts] = field(default_factory=list)


def figures(report_filter: ReportFilter, allowed: QuerySet[Programme], *, now: dt.datetime | None = None) -> Figures:
    now = now or timezone.now()
    # The bookings are read once for every table (reports/counts.py).
    counts = booking_counts(report_filter, allowed, now=now)
    return Figures(
        uptake=uptake(report_filter, allowed, now=now, counts=counts),
        attendance=attendance_rates(report_filter, allowed, now=now, counts=counts),
        audience=audience(report_filter, allowed, counts=counts),
        access_needs=access_needs(report_filter, allowed, counts=counts),
        evaluation=evaluation(report_filter, allowed, counts=counts),
        questions=question_counts(report_filter, allowed),
    )


@dataclass(frozen=True)
class Report:
    report_filter: ReportFilter
    sections: list[Section]
    suppressed: bool
    made_at: dt.datetime

    def table(self, slug: str) -> Table | None:
        return next((t for section in self.sections for t in section.tables if t.slug == slug), None)


def _day(moment: dt.datetime | None) -> str:
    return date_format(moment, "j M Y") if moment else ""


def _session_label(row) -> str:
    return f"{_day(row.local_start)}: {row.title}"


# --- The tables -------------------------------------------------------------------------------


def _session_and_date() -> list[Column]:
    return [Column(_("Session"), TEXT), Column(_("Date"), TEXT)]


def _sessions_table(up: Uptake) -> Table:
    return Table(
        slug="sessions",
        title=_("Places filled by session"),
        columns=[
            Column(_("Session"), TEXT),
            Column(_("Date"), TEXT),
            Column(_("Programme"), TEXT),
            Column(_("Places"), PLACES),
            Column(_("Confirmed"), COUNT),
            Column(_("Fill rate"), RATE, based_on=(4,)),
        ],
        rows=[
            [s.title, _day(s.local_start), s.programme_title, s.capacity, s.confirmed, s.fill_rate] for s in up.sessions
        ],
        total=[_("All sessions"), "", "", up.capacity, up.confirmed, up.fill_rate],
        empty=_("No sessions match these filters."),
    )


def _unmet_table(up: Uptake) -> Table:
    return Table(
        slug="unmet-demand",
        title=_("Unmet demand by session"),
        columns=[
            Column(_("Session"), TEXT),
            Column(_("Date"), TEXT),
            Column(_("Waiting list at the start"), COUNT),
            Column(_("Offers declined"), COUNT),
            Column(_("Offers that ran out"), COUNT),
        ],
        rows=[
            [s.title, _day(s.local_start), s.waiting_at_start, s.offers_declined, s.offers_expired]
            for s in up.with_unmet_demand
        ],
        total=[_("All sessions"), "", up.waiting_at_start, up.offers_declined, up.offers_expired],
        note=_(
            "The waiting list at the start counts people still waiting when the session began "
            "(for a session still to come: waiting now)."
        ),
        empty=_("Nobody was left waiting, and no offer was declined or ran out."),
    )


def _cancellations_table(up: Uptake) -> Table:
    rows = [
        [
            s.title,
            _day(s.local_start),
            s.cancellations.more_than_a_week,
            s.cancellations.one_to_seven_days,
            s.cancellations.within_a_day,
            s.cancellations.after_the_start,
            s.cancellations.total,
        ]
        for s in up.sessions
        if s.cancellations.total
    ]
    c = up.cancellations
    return Table(
        slug="cancellations",
        title=_("Cancellations by how long before the start"),
        columns=[
            Column(_("Session"), TEXT),
            Column(_("Date"), TEXT),
            Column(_("More than 7 days before"), COUNT),
            Column(_("1 to 7 days before"), COUNT),
            Column(_("Within 24 hours"), COUNT),
            Column(_("After the start"), COUNT),
            Column(_("All cancellations"), COUNT),
        ],
        rows=rows,
        total=[
            _("All sessions"),
            "",
            c.more_than_a_week,
            c.one_to_seven_days,
            c.within_a_day,
            c.after_the_start,
            c.total,
        ],
        note=_("Confirmed places that were cancelled, by the attendee or by an organiser."),
        empty=_("No confirmed place was cancelled."),
    )


def _outcome_columns(first: list[Column]) -> list[Column]:
    n = len(first)
    known = (n, n + 1, n + 2)  # attended, partly attended, no-show: the rates' base
    return [
        *first,
        Column(_("Attended"), COUNT),
        Column(_("Partly attended"), COUNT),
        Column(_("No-show"), COUNT),
        Column(_("Not marked yet"), COUNT),
        Column(_("Attendance rate"), RATE, based_on=known),
        Column(_("No-show rate"), RATE, based_on=known),
    ]


def _outcome_cells(o) -> list:
    return [o.attended, o.partly, o.no_show, o.not_marked_yet, o.attendance_rate, o.no_show_rate]


def _attendance_table(rates: AttendanceRates) -> Table:
    return Table(
        slug="attendance",
        title=_("Attendance by session"),
        columns=_outcome_columns(_session_and_date()),
        rows=[[s.title, _day(s.local_start), *_outcome_cells(s.outcomes)] for s in rates.sessions],
        total=[_("All sessions"), "", *_outcome_cells(rates.total)],
        note=_(
            "Confirmed places of sessions that have begun. Unmarked after the session ended counts as a no-show; "
            "the rates leave out those not marked yet."
        ),
        empty=_("No session has begun yet."),
    )


def _attendance_by_sector_table(rates: AttendanceRates) -> Table:
    return Table(
        slug="attendance-by-sector",
        title=_("Attendance by sector"),
        columns=_outcome_columns([Column(_("Sector"), TEXT)]),
        rows=[[s.label, *_outcome_cells(s.outcomes)] for s in rates.sectors],
        total=[_("All sectors"), *_outcome_cells(rates.total)],
        empty=_("No session has begun yet."),
    )


def _groups_table(slug: str, title: str, label: str, groups, empty: str) -> Table:
    return Table(
        slug=slug,
        title=title,
        columns=[Column(label, TEXT), Column(_("Places confirmed"), COUNT), Column(_("Came"), COUNT)],
        rows=[[g.label, g.booked, g.came] for g in groups],
        total=[_("All"), sum(g.booked for g in groups), sum(g.came for g in groups)],
        note=_("Came: attended in full or in part."),
        empty=empty,
    )


def _new_and_returning_table(aud: Audience) -> Table:
    return Table(
        slug="new-and-returning",
        title=_("New and returning people"),
        columns=[Column(_("People"), TEXT), Column(_("Number of people"), COUNT)],
        rows=[[_("New"), aud.new], [_("Returning"), aud.returning]] if aud.people else [],
        total=[_("All people"), aud.people],
        note=_("Returning: the same email address had a confirmed place on an earlier session."),
        empty=_("Nobody has a confirmed place."),
    )


def _feedback_columns(first: list[Column]) -> list[Column]:
    n = len(first)
    satisfied, confident = n + 7, n + 8  # the hidden counts of answers behind the averages
    return [
        *first,
        Column(_("Asked"), COUNT),
        Column(_("Answered"), COUNT),
        Column(_("Response rate"), RATE, based_on=(n + 1,)),
        Column(_("Satisfaction (out of 5)"), AVERAGE, based_on=(satisfied,)),
        Column(_("Confidence before"), AVERAGE, based_on=(confident,)),
        Column(_("Confidence after"), AVERAGE, based_on=(confident,)),
        Column(_("Uplift"), CHANGE, based_on=(confident,)),
        Column(_("Satisfaction answers"), COUNT, hidden=True),
        Column(_("Confidence answers"), COUNT, hidden=True),
    ]


def _feedback_cells(row: FeedbackRow) -> list:
    return [
        row.asked,
        row.answered,
        row.response_rate,
        row.satisfaction,
        row.confidence.before,
        row.confidence.after,
        row.uplift,
        row.satisfaction_answers,
        row.confidence_answers,
    ]


def _feedback_table(ev: Evaluation) -> Table:
    return Table(
        slug="feedback",
        title=_("Feedback by session"),
        columns=_feedback_columns(_session_and_date()),
        rows=[[r.label, _day(r.local_start), *_feedback_cells(r)] for r in ev.sessions],
        total=[_("All sessions"), "", *_feedback_cells(ev.total)],
        note=_("Ratings from 1 to 5. Uplift: confidence after the session minus confidence before it."),
        empty=_("No feedback yet."),
    )


def _feedback_by_sector_table(ev: Evaluation) -> Table:
    return Table(
        slug="feedback-by-sector",
        title=_("Feedback by sector"),
        columns=_feedback_columns([Column(_("Sector"), TEXT)]),
        rows=[[r.label, *_feedback_cells(r)] for r in ev.sectors],
        total=[_("All sectors"), *_feedback_cells(ev.total)],
        empty=_("No feedback yet."),
    )


def _satisfaction_table(ev: Evaluation) -> Table:
    answers = sum(point.count for point in ev.satisfaction)
    return Table(
        slug="satisfaction",
        title=_("Overall satisfaction"),
        columns=[Column(_("Rating"), TEXT), Column(_("Answers"), COUNT)],
        rows=[[f"{p.value}: {p.label}", p.count] for p in ev.satisfaction] if answers else [],
        total=[_("All answers"), answers],
        empty=_("No feedback yet."),
    )


def _access_needs_table(needs: AccessNeeds) -> Table:
    return Table(
        slug="access-needs",
        title=_("Access needs requested by session"),
        columns=[*_session_and_date(), Column(_("Bookings with access needs"), COUNT)],
        rows=[[s.title, _day(s.local_start), s.count] for s in needs.sessions],
        total=[_("All sessions"), "", needs.total],
        note=_("Counts only: who asked, and what for, is on each booking for the organisers who need it."),
        empty=_("Nobody with a confirmed place asked for access needs to be met."),
    )


def _question_table(number: int, counts: QuestionCounts) -> Table:
    rows = [[answer.answer, answer.count] for answer in counts.answers]
    if counts.not_answered:
        rows.append([_("Not answered"), counts.not_answered])
    return Table(
        slug=f"question-{number}",
        title=counts.label,
        columns=[Column(_("Answer"), TEXT), Column(_("Confirmed bookings"), COUNT)],
        rows=rows,
        total=[_("Asked the question"), counts.asked],
        note=_("People could choose more than one answer, so the answers add up to more than those asked.")
        if counts.several
        else "",
        empty=_("Nobody with a confirmed place has answered it."),
    )


# --- The charts -------------------------------------------------------------------------------


def chart_from(
    table: Table,
    *,
    title: str,
    category: int,
    series: list[int],
    value_label: str,
    category_label: str,
    unit: str = "",
    kind: str = "bar",
    categories: list[str] | None = None,
    **options,
) -> charts.Chart | None:
    """A chart of some of the table's columns: a series per column, a category per row. Cells
    held back are gaps in the drawing and "fewer than 5" or "–" in its table."""
    if not table.rows:
        return None

    def point(row, index):
        if table.is_hidden(row, index) or row[index] is None:
            return None
        value = row[index]
        return round(value, 1) if table.columns[index].kind in (AVERAGE, CHANGE) else value

    names = categories or [str(row[category]) for row in table.rows]
    drawn = [charts.Series(table.columns[i].header, [point(row, i) for row in table.rows]) for i in series]
    draw = charts.line_chart if kind == "line" else charts.bar_chart
    chart = draw(
        title=title,
        categories=names,
        series=drawn,
        value_label=value_label,
        category_label=category_label,
        unit=unit,
        **options,
    )
    if not table.suppressed:
        return chart
    # Say why a figure is missing, rather than "No data".
    rows = []
    for name, row, shown in zip(names, table.rows, chart.table.rows, strict=True):
        cells = [name]
        hidden_any = False
        for position, i in enumerate(series):
            if table.is_hidden(row, i):
                hidden_any = True
                cells.append(table.value(row, i))
            else:
                cells.append(shown[1 + position])
        # A stacked chart's table adds a total: not given when a part of it is held back.
        for extra in shown[1 + len(series) :]:
            cells.append(LEFT_OUT if hidden_any else extra)
        rows.append(cells)
    return replace(chart, table=replace(chart.table, rows=rows))


def _sections(f: Figures, suppress: bool) -> list[Section]:
    def held(table: Table) -> Table:
        return table.held_back(suppress)

    up, rates, aud, ev = f.uptake, f.attendance, f.audience, f.evaluation
    sessions = held(_sessions_table(up))
    labels = [_session_label(s) for s in up.sessions]
    uptake_section = Section(
        "uptake",
        _("Uptake"),
        tables=[sessions],
        cards=[
            (_("Sessions"), str(len(up.sessions))),
            (_("Places"), sessions.shown(sessions.total, 3)),
            (_("Confirmed"), sessions.shown(sessions.total, 4)),
            (_("Fill rate"), sessions.shown(sessions.total, 5)),
        ],
        charts=[
            chart_from(
                sessions,
                title=_("Places and confirmed bookings by session"),
                category=0,
                categories=labels,
                series=[3, 4],
                value_label=_("People"),
                category_label=_("Session"),
                horizontal=True,
            )
        ],
    )
    unmet = held(_unmet_table(up))
    unmet_section = Section(
        "unmet-demand",
        _("Unmet demand"),
        tables=[unmet],
        cards=[
            (_("Waiting list at the start"), unmet.shown(unmet.total, 2)),
            (_("Offers declined"), unmet.shown(unmet.total, 3)),
            (_("Offers that ran out"), unmet.shown(unmet.total, 4)),
        ],
        charts=[
            chart_from(
                unmet,
                title=_("Unmet demand by session"),
                category=0,
                categories=[_session_label(s) for s in up.with_unmet_demand],
                series=[2, 3, 4],
                value_label=_("People"),
                category_label=_("Session"),
                horizontal=True,
                stacked=True,
            )
        ],
    )
    cancellations = held(_cancellations_table(up))
    buckets = Table(
        slug="cancellation-times",
        title=_("Cancellations"),
        columns=[Column(_("When"), TEXT), Column(_("Cancellations"), COUNT)],
        rows=[[cancellations.columns[i].header, cancellations.total[i]] for i in range(2, 6)]
        if up.cancellations.total
        else [],
        suppressed=suppress,
    )
    cancellations_section = Section(
        "cancellations",
        _("Cancellations"),
        tables=[cancellations],
        cards=[(_("Confirmed places cancelled"), cancellations.shown(cancellations.total, 6))],
        charts=[
            chart_from(
                buckets,
                title=_("Cancellations by how long before the start"),
                category=0,
                series=[1],
                value_label=_("Cancellations"),
                category_label=_("When"),
            )
        ],
    )
    attendance = held(_attendance_table(rates))
    by_sector = held(_attendance_by_sector_table(rates))
    attendance_section = Section(
        "attendance",
        _("Attendance"),
        tables=[attendance, by_sector],
        cards=[
            (_("Came"), shown_figure(rates.total.came, suppressed=suppress)),
            (_("Attendance rate"), attendance.shown(attendance.total, 6)),
            (_("No-show rate"), attendance.shown(attendance.total, 7)),
        ],
        charts=[
            chart_from(
                attendance,
                title=_("Attendance by session"),
                category=0,
                categories=[_session_label(s) for s in rates.sessions],
                series=[2, 3, 4],
                value_label=_("People"),
                category_label=_("Session"),
                horizontal=True,
                stacked=True,
            ),
            chart_from(
                by_sector,
                title=_("Attendance rate by sector"),
                category=0,
                series=[5],
                value_label=_("Attendance rate"),
                category_label=_("Sector"),
                unit="%",
                horizontal=True,
            ),
        ],
    )
    sectors = held(
        _groups_table("sectors", _("By sector"), _("Sector"), aud.sectors, _("Nobody has a confirmed place."))
    )
    organisations = held(
        _groups_table(
            "organisations",
            _("By organisation: the 10 with most places"),
            _("Organisation"),
            aud.organisations,
            _("Nobody has a confirmed place."),
        )
    )
    new_returning = held(_new_and_returning_table(aud))
    who_section = Section(
        "who-came",
        _("Who came"),
        tables=[sectors, organisations, new_returning],
        cards=[
            (_("People"), new_returning.shown(new_returning.total, 1)),
            (_("New"), shown_figure(aud.new, suppressed=suppress)),
            (_("Returning"), shown_figure(aud.returning, suppressed=suppress)),
        ],
        charts=[
            chart_from(
                sectors,
                title=_("Places and attendance by sector"),
                category=0,
                series=[1, 2],
                value_label=_("People"),
                category_label=_("Sector"),
                horizontal=True,
            ),
            chart_from(
                organisations,
                title=_("Places and attendance by organisation"),
                category=0,
                series=[1, 2],
                value_label=_("People"),
                category_label=_("Organisation"),
                horizontal=True,
            ),
            chart_from(
                new_returning,
                title=_("New and returning people"),
                category=0,
                series=[1],
                value_label=_("People"),
                category_label=_("People"),
            ),
        ],
    )
    feedback = held(_feedback_table(ev))
    feedback_by_sector = held(_feedback_by_sector_table(ev))
    satisfaction = held(_satisfaction_table(ev))
    feedback_section = Section(
        "feedback",
        _("Feedback"),
        tables=[feedback, feedback_by_sector, satisfaction],
        cards=[
            (_("Response rate"), feedback.shown(feedback.total, 4)),
            (_("Satisfaction (out of 5)"), feedback.shown(feedback.total, 5)),
            (_("Confidence uplift"), feedback.shown(feedback.total, 8)),
        ],
        charts=[
            chart_from(
                feedback,
                title=_("Confidence before and after, by session"),
                category=0,
                categories=[f"{_day(r.local_start)}: {r.label}" for r in ev.sessions],
                series=[6, 7],
                value_label=_("Average confidence (1 to 5)"),
                category_label=_("Session"),
                horizontal=True,
            ),
            chart_from(
                feedback_by_sector,
                title=_("Confidence before and after, by sector"),
                category=0,
                series=[5, 6],
                value_label=_("Average confidence (1 to 5)"),
                category_label=_("Sector"),
                horizontal=True,
            ),
            chart_from(
                satisfaction,
                title=_("Overall satisfaction"),
                category=0,
                series=[1],
                value_label=_("Answers"),
                category_label=_("Rating"),
            ),
        ],
    )
    needs = held(_access_needs_table(f.access_needs))
    access_section = Section(
        "access-needs",
        _("Access needs"),
        tables=[needs],
        cards=[(_("Bookings with access needs"), needs.shown(needs.total, 2))],
        charts=[
            chart_from(
                needs,
                title=_("Bookings with access needs, by session"),
                category=0,
                categories=[_session_label(s) for s in f.access_needs.sessions],
                series=[2],
                value_label=_("Bookings"),
                category_label=_("Session"),
                horizontal=True,
            )
        ],
    )
    sections = [
        uptake_section,
        unmet_section,
        cancellations_section,
        attendance_section,
        who_section,
        feedback_section,
        access_section,
    ]
    if f.questions:
        sections.append(
            Section(
                "booking-questions",
                _("Booking questions"),
                tables=[held(_question_table(n, counts)) for n, counts in enumerate(f.questions, start=1)],
            )
        )
    for section in sections:
        section.charts = [chart for chart in section.charts if chart is not None]
    return sections


def build_report(
    report_filter: ReportFilter,
    allowed: QuerySet[Programme],
    *,
    suppress: bool,
    now: dt.datetime | None = None,
) -> Report:
    now = now or timezone.now()
    return Report(
        report_filter=report_filter,
        sections=_sections(figures(report_filter, allowed, now=now), suppress),
        suppressed=suppress,
        made_at=now,
    )


# --- The Prevent evaluation summary -----------------------------------------------------------


def prevent_summary_table(summary: PreventSummary) -> Table:
    """Trained, came and confidence by sector: small numbers always held back (it is written
    to be pasted into a board paper)."""
    columns = [
        Column(_("Sector"), TEXT),
        Column(_("People trained"), COUNT),
        *_outcome_columns([])[:3],
        Column(_("Attendance rate"), RATE, based_on=(2, 3, 4)),
        Column(_("Confidence before"), AVERAGE, based_on=(9,)),
        Column(_("Confidence after"), AVERAGE, based_on=(9,)),
        Column(_("Uplift"), CHANGE, based_on=(9,)),
        Column(_("Confidence answers"), COUNT, hidden=True),
    ]

    def cells(people, o, confidence, answers):
        return [
            people,
            o.attended,
            o.partly,
            o.no_show,
            o.attendance_rate,
            confidence.before,
            confidence.after,
            confidence.change,
            answers,
        ]

    return Table(
        slug="prevent-summary",
        title=_("Trained by sector"),
        columns=columns,
        rows=[
            [s.label, *cells(s.people_trained, s.outcomes, s.confidence, s.confidence_answers)] for s in summary.sectors
        ],
        total=[
            _("All sectors"),
            *cells(
                summary.people_trained,
                summary.outcomes,
                summary.feedback.confidence,
                summary.feedback.confidence_answers,
            ),
        ],
        suppressed=True,
        note=_(
            "People trained: attended in full or in part, each person once. Confidence from 1 to 5, before and "
            "after the session, from those who gave feedback."
        ),
        empty=_("Nobody was trained in this period."),
    )


def prevent_summary_sentences(summary: PreventSummary) -> list[str]:
    """The summary in plain sentences, small numbers held back."""

    def count(n):
        return shown_figure(n, suppressed=True)

    table = prevent_summary_table(summary)
    total = table.total
    sentences = [
        ngettext(
            "%(people)s people from %(organisations)s organisations were trained in %(sessions)s session "
            "(attended in full or in part).",
            "%(people)s people from %(organisations)s organisations were trained in %(sessions)s sessions "
            "(attended in full or in part).",
            summary.sessions,
        )
        % {
            "people": count(summary.people_trained),
            "organisations": count(summary.organisations),
            "sessions": number_format(summary.sessions, force_grouping=True),
        }
    ]
    if summary.outcomes.known:
        rate = table.shown(total, 5)
        if rate == LEFT_OUT:
            sentences.append(
                _(
                    "%(no_show)s of those with a confirmed place did not come (no-shows); the attendance rate "
                    "is left out, so that they cannot be worked out from it."
                )
                % {"no_show": count(summary.outcomes.no_show)}
            )
        else:
            sentences.append(
                _("%(rate)s of those with a confirmed place came; %(no_show)s did not (no-shows).")
                % {"rate": rate, "no_show": count(summary.outcomes.no_show)}
            )
    feedback = summary.feedback
    if feedback.confidence.change is not None:
        sentences.append(
            _(
                "Of those who gave feedback, average confidence went from %(before)s before the session to "
                "%(after)s after it, out of 5 (%(uplift)s)."
            )
            % {"before": table.shown(total, 6), "after": table.shown(total, 7), "uplift": table.shown(total, 8)}
        )
    if feedback.asked:
        rate = LEFT_OUT if is_small(feedback.answered) else f"{feedback.response_rate}%"
        satisfaction = (
            LEFT_OUT
            if is_small(feedback.satisfaction_answers) or feedback.satisfaction is None
            else f"{feedback.satisfaction:.1f}"
        )
        sentences.append(
            _("%(rate)s of those asked gave feedback; their satisfaction averaged %(satisfaction)s out of 5.")
            % {"rate": rate, "satisfaction": satisfaction}
        )
    # A sentence may begin with a figure held back: "Fewer than 5 people...".
    return [sentence[:1].upper() + sentence[1:] for sentence in sentences]


def comment_count(count: int) -> str:
    return shown_figure(count, suppressed=True)

"""The whole report: its tables as a coordinator reads them, small numbers held back in
anything exported or printed (CSV, Excel, PDF) and in the charts drawn from them, cells a
spreadsheet would run made plain text, and a fixed number of queries however many bookings."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.testing import end_session
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.programmes.models import Programme
from bookyourplace.reports import report_exports
from bookyourplace.reports.evaluation import prevent_summary
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.report import build_report
from bookyourplace.reports.report_pdf import report_pdf
from bookyourplace.reports.testing import people

EVERYTHING = ReportFilter()


@pytest.fixture
def small_school(make_session):
    """Six from the council and two from a small school came; the school's name is typed as a formula."""
    session = make_session(title="Understanding Prevent")
    council = people(session, 6, prefix="council", sector="childrens_services", organisation="Coventry City Council")
    school = people(session, 2, prefix="school", sector="schools", organisation='=HYPERLINK("http://x")')
    end_session(session)
    for booking in council + school:
        mark(booking, Outcome.ATTENDED)
    return session


def _csv(table) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(report_exports.table_csv(table)).lstrip("\ufeff"))))


def test_organisers_see_exact_figures_on_screen(small_school):
    report = build_report(EVERYTHING, Programme.objects.all(), suppress=False)

    rows = {cells[0].text: [c.text for c in cells[1:]] for cells in report.table("organisations").shown_rows()}
    assert rows['=HYPERLINK("http://x")'] == ["2", "2"]


def test_a_group_of_fewer_than_five_is_held_back_with_the_rates_from_it(small_school):
    report = build_report(EVERYTHING, Programme.objects.all(), suppress=True)

    sectors = {c[0].text: [x.text for x in c[1:]] for c in report.table("attendance-by-sector").shown_rows()}
    # attended, partly, no-show, not marked yet, attendance rate, no-show rate
    assert sectors["Schools"] == ["fewer than 5", "0", "0", "0", "–", "–"]
    assert sectors["Local authority children's services"] == ["6", "0", "0", "0", "100%", "0%"]


def test_a_csv_download_holds_back_small_numbers_and_neutralises_formulas(small_school):
    table = build_report(EVERYTHING, Programme.objects.all(), suppress=True).table("organisations")

    rows = _csv(table)

    assert rows == [
        ["Organisation", "Places confirmed", "Came"],
        ["Coventry City Council", "6", "6"],
        ['\'=HYPERLINK("http://x")', "fewer than 5", "fewer than 5"],
        ["All", "8", "8"],
    ]


def test_an_excel_download_holds_back_small_numbers_and_neutralises_formulas(small_school):
    table = build_report(EVERYTHING, Programme.objects.all(), suppress=True).table("organisations")
    file = io.BytesIO()

    report_exports.table_xlsx(table, file=file)

    file.seek(0)
    sheet = load_workbook(file).active
    assert sheet.title == "By organisation the 10 with mos"  # no ":" in a sheet's name
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Organisation", "Places confirmed", "Came"],
        ["Coventry City Council", 6, 6],
        ['\'=HYPERLINK("http://x")', "fewer than 5", "fewer than 5"],
        ["All", 8, 8],
    ]


def test_the_charts_of_a_held_back_report_say_fewer_than_5_and_draw_nothing_for_it(small_school):
    report = build_report(EVERYTHING, Programme.objects.all(), suppress=True)
    who = next(s for s in report.sections if s.slug == "who-came")

    chart = next(c for c in who.charts if c.title == "Places and attendance by organisation")

    rows = {str(row[0]): row[1:] for row in chart.table.rows}
    assert rows['=HYPERLINK("http://x")'] == ["fewer than 5", "fewer than 5"]
    assert rows["Coventry City Council"] == [6, 6]


def test_the_printed_report_holds_back_small_numbers(small_school):
    pdf = report_pdf(report_filter=EVERYTHING, allowed=Programme.objects.all(), title="Report")

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert text.startswith("Report")
    assert "Attendance by sector" in text
    assert "Coventry City Council 6 6" in text
    assert 'HYPERLINK("http://x") fewer than 5 fewer than 5' in text


def test_the_report_names_what_it_is_filtered_to(programme):
    lines = report_exports.describe(
        ReportFilter(programme_ids=(programme.pk,), sector="schools", organisation="Whitley"),
        Programme.objects.all(),
    )

    assert lines == ["Programmes: Coventry Prevent Week", "Sector: Schools", "Organisation name containing “Whitley”"]


def _bookings(make_session, count: int):
    """``count`` people on two past sessions, all marked, most answering the survey."""
    sessions = [make_session(title=f"Session {n}", capacity=count) for n in range(2)]
    for n, session in enumerate(sessions):
        booked = people(session, count // 2, prefix=f"s{n}-", organisation=f"Org {n}")
        end_session(session)
        for booking in booked:
            mark(booking, Outcome.ATTENDED)
        queue_feedback_requests()
        for booking in booked[:-1]:
            answer(booking, satisfaction=4, before=2, after=4, useful="Too short")


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


@pytest.mark.parametrize(
    "what",
    [
        lambda: build_report(EVERYTHING, Programme.objects.all(), suppress=True),
        lambda: prevent_summary(EVERYTHING, Programme.objects.all()),
    ],
    ids=["report", "evaluation summary"],
)
def test_as_many_queries_for_30_bookings_as_for_3(make_session, what):
    _bookings(make_session, 4)
    few = _queries(what)
    _bookings(make_session, 30)

    assert _queries(what) == few

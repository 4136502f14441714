"""The report pages in the back office: across programmes and for one, filtered (to schools,
say), the downloads of each table and the printed report, the Prevent evaluation summary; who
sees exact figures and who "fewer than 5"; and nothing from programmes one may not see."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person, sign_in_as
from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing import text_of
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Organiser, Programme


def came(session, prefix: str, count: int, **details):
    booked = [book(session, f"{prefix}{n}@example.org", **details) for n in range(count)]
    return booked


@pytest.fixture
def history(make_session, programme):
    """Our programme's session: six from a school and three from a hospital came (two of the
    nurses asked for access needs), five answered the survey. Another organiser's programme
    has its own people, who must never show here."""
    session = make_session(title="Understanding Prevent")
    teachers = came(session, "teacher", 6, sector="schools", organisation="Whitley Academy")
    nurses = came(session, "nurse", 1, sector="health", organisation="UHCW NHS Trust")
    nurses += came(session, "needs", 2, sector="health", organisation="UHCW NHS Trust", access_needs="Step-free")
    end_session(session)
    for booking in teachers + nurses:
        mark(booking, Outcome.ATTENDED)
    queue_feedback_requests()
    for booking in teachers[:5]:
        answer(booking, satisfaction=4, before=2, after=4, useful="More local case studies")
    elsewhere = Organiser.objects.create(
        name="Warwickshire Prevent", slug="warwickshire", contact_email="w@example.org"
    )
    theirs = Programme.objects.create(
        organiser=elsewhere, title="Their week", slug="their-week", status=Programme.Status.PUBLISHED
    )
    came(make_session(programme=theirs, title="Their session"), "secret", 7, organisation="Secret Organisation")
    return {"session": session, "theirs": theirs}


def get(client, name, query: dict | None = None, **kwargs):
    return client.get(reverse(f"backoffice:{name}", kwargs=kwargs), query or {})


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))


def test_the_report_has_a_section_for_each_question(client, admin, history):
    page = text_of(get(client, "reports"))

    for heading in ("Uptake", "Unmet demand", "Cancellations", "Attendance", "Who came", "Feedback", "Access needs"):
        assert f"{heading} in figures" in page or f"Contents {heading}" in page, heading
    assert "Places 20 Confirmed 9 Fill rate 45%" in page
    assert "Bookings with access needs 2" in page


def test_organisers_see_exact_figures(client, admin, history):
    page = text_of(get(client, "reports"))

    assert "UHCW NHS Trust 3 3" in page
    assert "Whitley Academy 6 6" in page


def test_viewers_see_fewer_than_5_for_small_groups(client, viewer, history):
    page = text_of(get(client, "reports"))

    assert "UHCW NHS Trust fewer than 5 fewer than 5" in page
    assert "Whitley Academy 6 6" in page
    assert "Bookings with access needs fewer than 5" in page


def test_filtering_to_schools(client, admin, history):
    page = text_of(get(client, "reports", {"sector": "schools"}))

    assert "Showing: Sector: Schools." in page
    assert "Whitley Academy 6 6" in page
    assert "UHCW" not in page
    assert "Places 20 Confirmed 6 Fill rate 30%" in page


def test_the_confidence_uplift_chart_and_its_table(client, admin, history):
    page = text_of(get(client, "reports"))

    assert "Confidence before and after, by session" in page
    assert "Confidence before Confidence after" in page
    assert "2.0 4.0 +2.0" in page  # before, after, uplift in the feedback table


def test_a_wrong_date_is_explained_and_filters_nothing(client, admin, history):
    response = get(client, "reports", {"date_from": "2026-02-30"})

    page = text_of(response)
    assert page.startswith("Error:")
    assert "There is a problem Enter the first day as a real date" in page
    assert "Whitley Academy 6 6" in page


def test_nothing_from_another_organisers_programmes(client, admin, history):
    theirs = history["theirs"].pk

    page = text_of(get(client, "reports", {"programme": theirs}))
    download = _csv(get(client, "report_table_csv", {"programme": theirs}, table="organisations"))

    assert "Select programmes from the list" in page
    assert "Secret Organisation" not in page
    assert "Secret Organisation" not in str(download)


def test_an_organiser_sees_only_the_programmes_of_their_team(client, organiser, history, make_session):
    other = Programme.objects.create(
        organiser=organiser, title="Autumn Week", slug="autumn-week", status=Programme.Status.PUBLISHED
    )
    came(make_session(programme=other, title="Autumn session"), "autumn", 5, organisation="Autumn College")
    member = make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk", programmes=(other,))
    sign_in_as(client, member.user)

    page = text_of(get(client, "reports"))

    assert "Autumn College 5 0" in page
    assert "Whitley Academy" not in page


def test_the_programme_report_is_about_that_programme_only(client, admin, history, make_session, organiser):
    other = Programme.objects.create(
        organiser=organiser, title="Autumn Week", slug="autumn-week", status=Programme.Status.PUBLISHED
    )
    came(make_session(programme=other, title="Autumn session"), "autumn", 5, organisation="Autumn College")

    response = get(client, "programme_report", programme_id=history["session"].programme_id)

    page = text_of(response)
    assert "Coventry Prevent Week Report" in page
    assert "Whitley Academy 6 6" in page
    assert "Autumn College" not in page
    programme_id = history["session"].programme_id
    assert f'href="/backoffice/reports/organisations.csv?programme={programme_id}"' in response.content.decode()


def test_a_table_downloads_as_csv_with_small_numbers_held_back(client, admin, history):
    response = get(client, "report_table_csv", {"sector": "health"}, table="organisations")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="report-organisations.csv"'
    assert _csv(response) == [
        ["Organisation", "Places confirmed", "Came"],
        ["UHCW NHS Trust", "fewer than 5", "fewer than 5"],
        ["All", "fewer than 5", "fewer than 5"],
    ]
    event = AuditEvent.objects.get(action="reports.exported")
    assert event.summary == (
        "Downloaded the report table 'By organisation: the 10 with most places' as CSV (Sector: Health)"
    )


def test_a_viewer_downloads_a_table_as_excel(client, viewer, history):
    response = get(client, "report_table_xlsx", table="attendance-by-sector")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Sector",
        "Attended",
        "Partly attended",
        "No-show",
        "Not marked yet",
        "Attendance rate",
        "No-show rate",
    ]
    assert ["Schools", 6, 0, 0, 0, 100, 0] in rows
    assert ["Health", "fewer than 5", 0, 0, 0, "–", "–"] in rows


def test_an_unknown_table_is_not_found(client, admin, history):
    assert get(client, "report_table_csv", table="people").status_code == 404


def test_the_printed_report(client, viewer, history):
    response = get(client, "reports_pdf", {"programme": history["session"].programme_id})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-coventry-prevent-week.pdf"'
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Report: Coventry Prevent Week" in text
    assert "Confidence before and after, by session" in text
    assert "UHCW NHS Trust fewer than 5 fewer than 5" in text
    assert "Secret Organisation" not in text


def test_the_prevent_evaluation_summary(client, admin, history):
    page = text_of(get(client, "evaluation_summary"))

    assert "9 people from fewer than 5 organisations were trained in 1 session (attended in full or in part)." in page
    assert "average confidence went from 2.0 before the session to 4.0 after it, out of 5 (+2.0)" in page
    assert "Schools 6 6 0 0 100% 2.0 4.0 +2.0" in page
    assert "Health fewer than 5 fewer than 5 0 0 – – – –" in page
    assert "More local case studies 5" in page


def test_reports_are_in_the_menu_and_on_the_programme_page(client, viewer, programme):
    menu = get(client, "dashboard").content.decode()
    programme_page = get(client, "programme", programme_id=programme.pk).content.decode()

    assert f'href="{reverse("backoffice:reports")}"' in menu
    assert f'href="{reverse("backoffice:programme_report", kwargs={"programme_id": programme.pk})}"' in programme_page


def _queries(client, name, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get(client, name, **kwargs).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["reports", "evaluation_summary"])
def test_a_report_page_needs_as_many_queries_for_30_bookings_as_for_3(client, admin, make_session, name):
    first = make_session(title="First", capacity=40)
    for booking in came(first, "first", 3):
        mark(booking, Outcome.ATTENDED)
    few = _queries(client, name)
    second = make_session(title="Second", capacity=40)
    for booking in came(second, "second", 27, sector="schools", organisation="Whitley Academy"):
        mark(booking, Outcome.ATTENDED)

    assert _queries(client, name) == few

"""The programme report counts the answers to the organiser's questions with a list of answers
(one choice, several choices, yes or no): confirmed bookings per answer, small numbers held
back where the report holds them back, never free text."""

import csv
import io

import pytest

from bookyourplace.bookings.services import book_place, cancel_booking
from bookyourplace.bookings.testing import attendee_details
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import questions
from bookyourplace.programmes.models import Programme, Question
from bookyourplace.programmes.testing import add_question
from bookyourplace.reports import report_exports
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.report import build_report

pytestmark = pytest.mark.django_db

ORGANISER = Actor(label="Priya (organiser)")
Kind = Question.Kind


@pytest.fixture
def asked(programme):
    def add(kind, label, **details):
        return add_question(programme, kind, label, **details)

    return {
        "diet": add(Kind.SHORT_TEXT, "Your dietary requirements"),
        "area": add(Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South", "=1+1")),
        "topics": add(Kind.SEVERAL_CHOICES, "Topics to cover", choices=("Online harms", "Referrals"), required=False),
        "parking": add(Kind.YES_NO, "Do you need a parking space?"),
    }


@pytest.fixture
def booked(session, asked):
    """Six from the north, two from the south, and one cancelled (not counted)."""
    made = []
    for n in range(9):
        made.append(
            book_place(
                session_id=session.pk,
                attendee=attendee_details(f"person{n}@example.org"),
                answers={
                    asked["diet"].pk: f"Secret diet {n}",
                    asked["area"].pk: "North" if n < 6 else "South",
                    asked["topics"].pk: "Online harms\nReferrals" if n < 5 else ("Referrals" if n < 7 else ""),
                    asked["parking"].pk: "Yes" if n % 3 == 0 else "No",
                },
            )
        )
    cancel_booking(booking_id=made[-1].pk)
    return made


def rows(table) -> dict[str, list[str]]:
    return {cells[0].text: [cell.text for cell in cells[1:]] for cells in table.shown_rows()}


def report_of(programme, *, suppress):
    return build_report(ReportFilter(programme_ids=(programme.pk,)), Programme.objects.all(), suppress=suppress)


def test_each_choice_is_counted_for_confirmed_bookings(programme, booked):
    report = report_of(programme, suppress=False)

    area, topics, parking = (report.table(f"question-{n}") for n in (1, 2, 3))
    assert area.title == "Which area you work in"
    assert rows(area) == {"North": ["6"], "South": ["2"], "=1+1": ["0"]}
    assert [cell.text for cell in area.shown_total()] == ["Asked the question", "8"]
    assert rows(topics) == {"Online harms": ["5"], "Referrals": ["7"], "Not answered": ["1"]}
    assert "more than one answer" in topics.note
    assert rows(parking) == {"Yes": ["3"], "No": ["5"]}
    # Free text is never counted
    assert not any("Secret diet" in str(row) for section in report.sections for t in section.tables for row in t.rows)
    assert [section.title for section in report.sections][-1] == "Booking questions"


def test_small_numbers_are_held_back_as_elsewhere_in_the_report(programme, booked):
    report = report_of(programme, suppress=True)

    assert rows(report.table("question-1")) == {"North": ["6"], "South": ["fewer than 5"], "=1+1": ["0"]}
    downloaded = list(
        csv.reader(io.StringIO("".join(report_exports.table_csv(report.table("question-1"))).lstrip("\ufeff")))
    )
    assert downloaded == [
        ["Answer", "Confirmed bookings"],
        ["North", "6"],
        ["South", "fewer than 5"],
        ["'=1+1", "0"],
        ["Asked the question", "8"],
    ]


def test_a_sessions_own_copy_of_a_question_is_counted_with_the_programmes(programme, make_session, booked):
    own = make_session(title="Own questions")
    questions.ask_own_questions(session=own, own=True, actor=ORGANISER)
    own.refresh_from_db()
    copied = {q.label: q.pk for q in questions.questions_for(own)}
    book_place(
        session_id=own.pk,
        attendee=attendee_details("late@example.org"),
        answers={
            copied["Your dietary requirements"]: "None",
            copied["Which area you work in"]: "South",
            copied["Do you need a parking space?"]: "No",
        },
    )

    assert rows(report_of(programme, suppress=False).table("question-1"))["South"] == ["3"]


def test_a_report_across_programmes_has_no_question_counts(programme, booked):
    report = build_report(ReportFilter(), Programme.objects.all(), suppress=False)

    assert "Booking questions" not in [section.title for section in report.sections]


def test_a_programme_without_answers_has_no_question_section(programme, session):
    report = report_of(programme, suppress=False)

    assert "Booking questions" not in [section.title for section in report.sections]

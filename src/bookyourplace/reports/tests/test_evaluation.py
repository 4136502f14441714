"""Did it help? Response rate, satisfaction, confidence before and after with the uplift, per
session and per sector; the comments most often made; the Prevent evaluation summary."""

import pytest

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.testing import end_session
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.evaluation import common_comments, evaluation, prevent_summary, recent_long_comments
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.report import prevent_summary_sentences, prevent_summary_table
from bookyourplace.reports.testing import people

EVERYTHING = ReportFilter()
LONG = (
    "The case studies were the most useful part: I would have liked more time on what to do after a referral "
    "is made, and who to call."
)


@pytest.fixture
def answered(make_session):
    """Six came to one session and were asked; four answered (two teachers, two nurses)."""
    session = make_session(title="Understanding Prevent")
    teachers = people(session, 2, prefix="teacher", sector="schools", organisation="Whitley Academy")
    nurses = people(session, 4, prefix="nurse", sector="health", organisation="UHCW NHS Trust")
    end_session(session)
    for booking in teachers + nurses:
        mark(booking, Outcome.ATTENDED)
    queue_feedback_requests()
    answer(teachers[0], satisfaction=5, before=1, after=4, useful="Too short.")
    answer(teachers[1], satisfaction=4, before=1, after=4, useful="too short")
    answer(nurses[0], satisfaction=4, before=3, after=4, useful="  Too short! ")
    answer(nurses[1], satisfaction=3, before=2, after=4, useful="More local case studies", better=LONG)
    return session


def test_response_rate_satisfaction_and_confidence_uplift_overall(answered):
    total = evaluation(EVERYTHING, Programme.objects.all()).total

    assert (total.asked, total.answered, total.response_rate) == (6, 4, 67)
    assert total.satisfaction == 4.0
    assert (total.confidence.before, total.confidence.after, total.uplift) == (1.75, 4.0, 2.25)


def test_feedback_per_session(answered):
    [row] = evaluation(EVERYTHING, Programme.objects.all()).sessions

    assert (row.label, row.session_id, row.asked, row.answered) == ("Understanding Prevent", answered.pk, 6, 4)


def test_confidence_uplift_per_sector(answered):
    sectors = {row.label: row for row in evaluation(EVERYTHING, Programme.objects.all()).sectors}

    assert (sectors["Schools"].asked, sectors["Schools"].answered, sectors["Schools"].uplift) == (2, 2, 3.0)
    assert (sectors["Health"].asked, sectors["Health"].answered, sectors["Health"].uplift) == (4, 2, 1.5)
    assert (sectors["Health"].satisfaction, sectors["Health"].response_rate) == (3.5, 50)


def test_satisfaction_distribution(answered):
    points = evaluation(EVERYTHING, Programme.objects.all()).satisfaction

    assert [(p.value, p.count) for p in points] == [(1, 0), (2, 0), (3, 1), (4, 2), (5, 1)]
    assert points[4].label == "Very satisfied"


def test_nothing_from_programmes_the_reader_cannot_see(answered):
    seen = evaluation(EVERYTHING, Programme.objects.none())

    assert (seen.sessions, seen.sectors, seen.total.asked) == ([], [], 0)
    assert common_comments(EVERYTHING, Programme.objects.none()) == []


def test_short_comments_are_grouped_whatever_their_case_and_punctuation(answered):
    comments = common_comments(EVERYTHING, Programme.objects.all())

    assert [(c.text, c.count) for c in comments] == [("Too short", 3), ("More local case studies", 1)]


def test_longer_comments_are_kept_as_written_newest_first(answered):
    assert recent_long_comments(EVERYTHING, Programme.objects.all()) == [LONG]


def test_the_prevent_summary_counts_people_trained_by_sector(answered):
    summary = prevent_summary(EVERYTHING, Programme.objects.all())

    assert (summary.sessions, summary.people_trained, summary.organisations) == (1, 6, 2)
    assert [(s.label, s.people_trained, s.outcomes.attendance_rate) for s in summary.sectors] == [
        ("Health", 4, 100),
        ("Schools", 2, 100),
    ]


def test_the_prevent_summary_holds_back_groups_of_fewer_than_five(answered):
    summary = prevent_summary(EVERYTHING, Programme.objects.all())

    table = prevent_summary_table(summary)

    rows = {cells[0].text: [c.text for c in cells[1:]] for cells in table.shown_rows()}
    # Four nurses and two teachers: each group too small to give its figures.
    assert rows["Health"] == ["fewer than 5", "fewer than 5", "0", "0", "–", "–", "–", "–"]
    assert [c.text for c in table.shown_total()] == ["All sectors", "6", "6", "0", "0", "100%", "–", "–", "–"]
    sentences = " ".join(prevent_summary_sentences(summary))
    assert "6 people from fewer than 5 organisations were trained in 1 session" in sentences


def test_the_summary_leaves_out_an_attendance_rate_that_would_give_away_a_few_no_shows(make_session):
    session = make_session()
    booked = people(session, 6, prefix="p")
    end_session(session)
    for booking in booked[:5]:
        mark(booking, Outcome.ATTENDED)

    sentences = prevent_summary_sentences(prevent_summary(EVERYTHING, Programme.objects.all()))

    assert sentences[:2] == [
        "5 people from fewer than 5 organisations were trained in 1 session (attended in full or in part).",
        "Fewer than 5 of those with a confirmed place did not come (no-shows); the attendance rate is left out, "
        "so that they cannot be worked out from it.",
    ]
